"""What office list parameters mean, for pages and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import (
    CatalogFilterSet,
    CountryThemeMixin,
    MultiValueFilter,
    lower,
    sort_key,
    upper,
)
from offices.models import Country, Office, Sector


def country_choices():
    """Codes with the country's name in the current language, in alphabetical order."""
    rows = [(code, name or code) for code, name in Country.objects.values_list("code", "name")]
    yield from sorted(rows, key=lambda row: sort_key(row[1]))


def sector_choices():
    yield from Sector.objects.values_list("slug", "name")


def country_filter():
    """``country``: ISO 3166-1 alpha-2 codes, any case."""
    return MultiValueFilter(
        method="filter_country",
        choices_loader=country_choices,
        normalize=upper,
        label=_("Country"),
    )


def sector_filter():
    """``sector``: sector slugs."""
    return MultiValueFilter(
        method="filter_sector",
        choices_loader=sector_choices,
        normalize=lower,
        label=_("Sector"),
        widget=forms.CheckboxSelectMultiple,
    )


class OfficeFilter(CountryThemeMixin, CatalogFilterSet):
    country = country_filter()
    sector = sector_filter()
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("opened", "opened")),
        field_labels={"name": _("Name"), "opened": _("Opened")},
        label=_("Sort by"),
    )

    search_fields = ("name_fr", "name_en", "city_fr", "city_en", "description_fr", "description_en")

    class Meta:
        model = Office
        fields = []
