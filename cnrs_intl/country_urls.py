"""Countries: the index of countries with activity and each country's dossier (``countries:``)."""

from django.urls import path

from cnrs_intl import exports, views

app_name = "countries"
urlpatterns = [
    path("countries/", views.CountryListView.as_view(), name="list"),
    # The dossier as a file (cnrs_intl/exports.py).
    path("countries/<str:iso2>/export.csv", exports.CountryExport.as_view(), name="export-csv"),
    path(
        "countries/<str:iso2>/export.xlsx",
        exports.CountryExport.as_view(file_format="xlsx"),
        name="export-xlsx",
    ),
    # Any case is accepted and redirected to the lower-case address.
    path("countries/<str:iso2>/", views.CountryDetailView.as_view(), name="detail"),
]
