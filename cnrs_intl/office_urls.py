"""Office and sector pages (``offices:``): the offices app's views, completed by the site layer."""

from django.urls import path

from cnrs_intl import pages
from offices import views

app_name = "offices"
urlpatterns = [
    path("offices/", pages.OfficeListView.as_view(), name="list"),
    path("offices/<slug:slug>/", pages.OfficeDetailView.as_view(), name="detail"),
    path("sectors/", views.SectorListView.as_view(), name="sectors"),
    path("sectors/<slug:slug>/", pages.SectorDetailView.as_view(), name="sector"),
]
