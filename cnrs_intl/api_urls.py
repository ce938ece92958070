"""The read-only JSON API (/api/v1/): one router for every resource, its schema and its docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from cnrs_intl.api import KeyFigureViewSet
from cnrs_intl.changes import ChangesView
from core.api import ApiDocsView, InstituteViewSet, ThemeViewSet, not_found
from instruments.api import InstrumentViewSet, KindViewSet, NetworkViewSet
from offices.api import CountryViewSet, OfficeViewSet, SectorViewSet
from partnerships.api import AgreementViewSet, CallViewSet, InstitutionViewSet, MilestoneViewSet

app_name = "api"


class Router(DefaultRouter):
    include_root_view = True
    include_format_suffixes = False


router = Router(trailing_slash=True)
router.register("sectors", SectorViewSet, basename="sector")
router.register("countries", CountryViewSet, basename="country")
router.register("offices", OfficeViewSet, basename="office")
router.register("themes", ThemeViewSet, basename="theme")
router.register("institutes", InstituteViewSet, basename="institute")
router.register("kinds", KindViewSet, basename="kind")
router.register("networks", NetworkViewSet, basename="network")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("calls", CallViewSet, basename="call")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("key-figures", KeyFigureViewSet, basename="key-figure")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("changes/", ChangesView.as_view({"get": "list"}), name="change-list"),
    *router.urls,
    # Last: unknown addresses ending in a slash (without one, APPEND_SLASH redirects first).
    re_path(r"^.+/$", not_found),
]
