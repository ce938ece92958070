"""What office list parameters mean, for pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import CatalogFilterSet, CountryThemeMixin, country_filter, sector_filter
from offices.models import Office


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
