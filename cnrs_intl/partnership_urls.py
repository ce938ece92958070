"""Public URLs of agreements, institutions and calls: three lists, each with its own namespace
(``partnerships:``, ``institutions:``, ``calls:``), included by the root URLconf. Agreement and
institution pages are the site layer's (they list instruments and networks)."""

from django.urls import path

from cnrs_intl import pages
from partnerships import exports, views

app_name = "partnerships"

agreement_patterns = [
    path("partnerships/", views.AgreementListView.as_view(), name="list"),
    path("partnerships/export.csv", exports.AgreementExport.as_view(), name="export-csv"),
    path(
        "partnerships/export.xlsx",
        exports.AgreementExport.as_view(file_format="xlsx"),
        name="export-xlsx",
    ),
    path("partnerships/<slug:slug>/", pages.AgreementDetailView.as_view(), name="detail"),
]

institution_patterns = [
    path("institutions/", views.InstitutionListView.as_view(), name="list"),
    path("institutions/export.csv", exports.InstitutionExport.as_view(), name="export-csv"),
    path(
        "institutions/export.xlsx",
        exports.InstitutionExport.as_view(file_format="xlsx"),
        name="export-xlsx",
    ),
    path("institutions/<slug:slug>/", pages.InstitutionDetailView.as_view(), name="detail"),
]

call_patterns = [
    path("calls/", views.CallListView.as_view(), name="list"),
    path("calls/export.csv", exports.CallExport.as_view(), name="export-csv"),
    path("calls/export.xlsx", exports.CallExport.as_view(file_format="xlsx"), name="export-xlsx"),
    path("calls/<slug:slug>/", views.CallDetailView.as_view(), name="detail"),
]

urlpatterns = agreement_patterns
