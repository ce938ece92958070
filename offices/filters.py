"""What office list parameters mean, and the shared ``country`` and ``sector`` parameters."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import CatalogFilterSet, QuerySetMethodFilter, lower, sort_key
from core.models import country_codes
from offices.models import Country, Office, Sector


def country_choices():
    """Codes with the country's name in the current language, in alphabetical order."""
    rows = [(code, name or code) for code, name in Country.objects.values_list("code", "name")]
    yield from sorted(rows, key=lambda row: sort_key(row[1]))


def sector_choices():
    yield from Sector.objects.values_list("slug", "name")


def country_code(value: str) -> str:
    codes = country_codes([value])
    return codes[0] if codes else ""


class CountryFilter(QuerySetMethodFilter):
    """``country``: ISO 3166-1 alpha-2 codes, any case (``for_country``)."""

    queryset_method = "for_country"
    defaults = {"choices_loader": country_choices, "normalize": country_code, "label": _("Country")}


class SectorFilter(QuerySetMethodFilter):
    """``sector``: sector slugs (``in_sector``)."""

    queryset_method = "in_sector"
    defaults = {
        "choices_loader": sector_choices,
        "normalize": lower,
        "label": _("Sector"),
        "widget": forms.CheckboxSelectMultiple,
    }


class OfficeFilter(CatalogFilterSet):
    country = CountryFilter()
    sector = SectorFilter()
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("opened", "opened")),
        field_labels={"name": _("Name"), "opened": _("Opened")},
        label=_("Sort by"),
    )

    search_fields = ("name_fr", "name_en", "city_fr", "city_en", "description_fr", "description_en")

    class Meta:
        model = Office
        fields = []
