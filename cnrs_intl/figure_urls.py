"""The published key figures: their list and its downloads (``figures:``)."""

from django.urls import path

from cnrs_intl import exports, figures

app_name = "figures"

urlpatterns = [
    path("figures/", figures.KeyFigureListView.as_view(), name="list"),
    path("figures/export.csv", exports.KeyFigureExport.as_view(), name="export-csv"),
    path(
        "figures/export.xlsx",
        exports.KeyFigureExport.as_view(file_format="xlsx"),
        name="export-xlsx",
    ),
]
