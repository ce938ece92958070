"""What instrument and network list parameters mean, for pages, exports, feeds and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import (
    CatalogFilterSet,
    CountryThemeMixin,
    MultiValueFilter,
    SortFilter,
    institute_choices,
    status_filter,
    theme_filter,
    upper,
    year_filter,
)
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.filters import country_filter, sector_filter
from partnerships.models import Institution


def kind_choices():
    """Current codes, then the legacy names they replaced (GDRI finds the IRNs)."""
    for code, name in Kind.objects.values_list("code", "name"):
        yield code, f"{code} – {name}" if name else code
    for code, current in LegacyName.objects.values_list("code", "kind__code"):
        label = _("%(legacy)s (former name of %(current)s)") % {"legacy": code, "current": current}
        yield code, label


def institution_choices():
    for slug, name, acronym in Institution.objects.published().values_list(
        "slug", "name", "acronym"
    ):
        yield slug, f"{name} ({acronym})" if acronym else name


def network_choices():
    for slug, name, acronym in Network.objects.published().values_list("slug", "name", "acronym"):
        yield slug, f"{acronym} – {name}" if acronym else name


def lower(value):
    return value.strip().lower()


class InstrumentFilter(CountryThemeMixin, CatalogFilterSet):
    country = country_filter()
    sector = sector_filter()
    theme = theme_filter()
    kind = MultiValueFilter(
        method="filter_kind", choices_loader=kind_choices, normalize=upper, label=_("Kind")
    )
    institute = MultiValueFilter(
        method="filter_institute",
        choices_loader=institute_choices,
        normalize=upper,
        label=_("CNRS institute"),
        widget=forms.CheckboxSelectMultiple,
    )
    institution = MultiValueFilter(
        method="filter_institution",
        choices_loader=institution_choices,
        normalize=lower,
        selected_only=True,
        label=_("Partner institution"),
    )
    network = MultiValueFilter(
        method="filter_network",
        choices_loader=network_choices,
        normalize=lower,
        label=_("Network"),
    )
    status = status_filter()
    year = year_filter()
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("acronym", "acronym"),
            ("start_on", "start"),
            ("end_on", "end"),
        ),
        field_labels={
            "title": _("Title"),
            "acronym": _("Acronym"),
            "start_on": _("Start"),
            "end_on": _("End"),
        },
        label=_("Sort by"),
    )

    search_fields = ("title_fr", "title_en", "acronym", "summary_fr", "summary_en", "coordinators")

    class Meta:
        model = Instrument
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset.of_kind(*value)

    def filter_institute(self, queryset, name, value):
        return queryset.for_institute(*value)

    def filter_institution(self, queryset, name, value):
        return queryset.for_institution(*value)

    def filter_network(self, queryset, name, value):
        return queryset.in_network(*value)


class NetworkFilter(CountryThemeMixin, CatalogFilterSet):
    country = country_filter()
    sector = sector_filter()
    theme = theme_filter()
    status = status_filter()
    year = year_filter()
    sort = SortFilter(
        fields=(("name", "name"), ("launched_on", "launched")),
        field_labels={"name": _("Name"), "launched_on": _("Launched")},
        label=_("Sort by"),
    )

    search_fields = ("name_fr", "name_en", "acronym", "description_fr", "description_en")

    class Meta:
        model = Network
        fields = []
