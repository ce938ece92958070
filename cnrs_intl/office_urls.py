from django.urls import path

from offices import views

app_name = "offices"
urlpatterns = [
    path("offices/", views.OfficeListView.as_view(), name="list"),
    path("offices/<slug:slug>/", views.OfficeDetailView.as_view(), name="detail"),
    path("sectors/", views.SectorListView.as_view(), name="sectors"),
    path("sectors/<slug:slug>/", views.SectorDetailView.as_view(), name="sector"),
]
