"""What instrument and network list parameters mean, for pages, exports, feeds and the API."""

from django.utils.translation import gettext_lazy as _

from core.filters import (
    CatalogFilterSet,
    InstituteFilter,
    QuerySetMethodFilter,
    SortFilter,
    StatusFilter,
    ThemeFilter,
    YearFilter,
    lower,
    upper,
)
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.filters import CountryFilter, SectorFilter
from partnerships.filters import ByInstitutionFilter


def kind_choices():
    """Current codes, then the legacy names they replaced (GDRI finds the IRNs)."""
    for code, name in Kind.objects.values_list("code", "name"):
        yield code, f"{code} – {name}" if name else code
    for code, current in LegacyName.objects.values_list("code", "kind__code"):
        label = _("%(legacy)s (former name of %(current)s)") % {"legacy": code, "current": current}
        yield code, label


def network_choices():
    for slug, name, acronym in Network.objects.published().values_list("slug", "name", "acronym"):
        yield slug, f"{acronym} – {name}" if acronym else name


class KindFilter(QuerySetMethodFilter):
    """``kind``: current or former codes (``LIA`` finds the IRPs), any case (``of_kind``)."""

    queryset_method = "of_kind"
    defaults = {"choices_loader": kind_choices, "normalize": upper, "label": _("Kind")}


class InNetworkFilter(QuerySetMethodFilter):
    """``network``: network slugs (``in_network``)."""

    queryset_method = "in_network"
    defaults = {"choices_loader": network_choices, "normalize": lower, "label": _("Network")}


class InstrumentFilter(CatalogFilterSet):
    country = CountryFilter()
    sector = SectorFilter()
    theme = ThemeFilter()
    kind = KindFilter()
    institute = InstituteFilter()
    institution = ByInstitutionFilter(label=_("Partner institution"))
    network = InNetworkFilter()
    status = StatusFilter()
    year = YearFilter()
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

    # The codes and unit numbers too (UMI 3654, IRL 2010), so ``q`` finds them on every database.
    search_fields = (
        "title_fr",
        "title_en",
        "acronym",
        "unit_numbers",
        "former_codes",
        "stated_code",
        "city",
        "summary_fr",
        "summary_en",
        "coordinators",
    )

    class Meta:
        model = Instrument
        fields = []


class NetworkFilter(CatalogFilterSet):
    country = CountryFilter()
    sector = SectorFilter()
    theme = ThemeFilter()
    status = StatusFilter()
    year = YearFilter()
    sort = SortFilter(
        fields=(("name", "name"), ("launched_on", "launched")),
        field_labels={"name": _("Name"), "launched_on": _("Launched")},
        label=_("Sort by"),
    )

    search_fields = ("name_fr", "name_en", "acronym", "description_fr", "description_en")

    class Meta:
        model = Network
        fields = []
