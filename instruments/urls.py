"""Public URLs of instruments and networks (``instruments:``)."""

from django.urls import path

from instruments import exports, views

app_name = "instruments"
urlpatterns = [
    path("instruments/", views.InstrumentListView.as_view(), name="list"),
    # Downloads of the filtered lists (instruments/exports.py), before any <slug> pattern.
    path("instruments/export.csv", exports.InstrumentExport.as_view(), name="export-csv"),
    path(
        "instruments/export.xlsx",
        exports.InstrumentExport.as_view(file_format="xlsx"),
        name="export-xlsx",
    ),
    path(
        "instruments/networks/export.csv",
        exports.NetworkExport.as_view(),
        name="networks-export-csv",
    ),
    path(
        "instruments/networks/export.xlsx",
        exports.NetworkExport.as_view(file_format="xlsx"),
        name="networks-export-xlsx",
    ),
    # Before the instrument pattern, so "networks" is never read as an instrument's slug.
    path("instruments/networks/", views.NetworkListView.as_view(), name="networks"),
    path("instruments/networks/<slug:slug>/", views.NetworkDetailView.as_view(), name="network"),
    path("instruments/<slug:slug>/", views.InstrumentDetailView.as_view(), name="detail"),
]
