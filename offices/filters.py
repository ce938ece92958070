"""What office list parameters mean, for pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import CatalogFilterSet, CountryThemeMixin, MultiValueFilter, lower, upper
from offices.models import Country, Office, Sector


def country_choices():
    for code, name in Country.objects.order_by("code").values_list("code", "name"):
        yield code, name or code


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
        method="filter_sector", choices_loader=sector_choices, normalize=lower, label=_("Sector")
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
