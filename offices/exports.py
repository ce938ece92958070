"""Sectors, countries and offices as rows: the published reads shared by the API, exports and dump."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.exports import Column, common_columns, public, reference_source_columns, slug_of
from offices.models import Country, Coverage, Office, Sector


def countries_prefetch(lookup: str = "countries"):
    return Prefetch(
        lookup,
        queryset=Country.objects.select_related("sector").order_by("code"),
        to_attr="country_list",
    )


def country_codes(obj) -> list[str]:
    return [country.iso2 for country in obj.country_list]


def country_names(obj) -> list[str]:
    return [str(country) for country in obj.country_list]


def countries_column() -> Column:
    return Column("countries", _("Countries"), country_codes, country_names)


def public_sectors():
    return Sector.objects.prefetch_related(
        Prefetch("offices", queryset=Office.objects.published(), to_attr="public_offices"),
        Prefetch("countries", queryset=Country.objects.order_by("code"), to_attr="country_list"),
    )


def current_coverages():
    return (
        Coverage.objects.current()
        .select_related("office")
        .filter(office__status=Office.Status.PUBLISHED)
    )


def public_countries():
    return Country.objects.select_related("sector").prefetch_related(
        Prefetch(
            "coverages",
            queryset=current_coverages().order_by("office__order", "office__name"),
            to_attr="current_coverages",
        )
    )


def public_offices():
    return (
        Office.objects.published()
        .select_related("country__sector", "sector", "predecessor")
        .prefetch_related(
            Prefetch(
                "coverages",
                queryset=Coverage.objects.select_related("country").order_by(
                    "country__code", "start_year"
                ),
                to_attr="coverage_list",
            )
        )
    )


def sector_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("name", _("Name"), translated=True),
        Column("order", _("Order")),
        Column("description", _("Description"), translated=True),
        *reference_source_columns(),
    ]


def country_columns() -> list[Column]:
    return [
        Column("iso2", _("Code"), lambda o: o.iso2),
        Column("name", _("Name"), translated=True),
        Column("sector", _("Sector"), lambda o: o.sector.slug, lambda o: str(o.sector)),
    ]


def covered_now(office) -> list:
    return [c.country for c in office.coverage_list if c.is_current]


def coverage_text(coverage) -> str:
    period = coverage.period
    return f"{coverage.country.iso2} ({period})" if period else coverage.country.iso2


def office_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("name", _("Name"), translated=True),
        Column("city", _("City"), translated=True),
        Column("country", _("Host country"), lambda o: o.country.iso2, lambda o: str(o.country)),
        Column("sector", _("Sector"), lambda o: o.sector.slug, lambda o: str(o.sector)),
        Column("opened", _("Opened")),
        Column("closed", _("Closed")),
        Column("predecessor", _("Replaced office"), lambda o: slug_of(o.predecessor), _name),
        Column(
            "countries",
            _("Countries followed now"),
            lambda o: [c.iso2 for c in covered_now(o)],
            lambda o: [str(c) for c in covered_now(o)],
        ),
        Column(
            "coverage",
            _("Countries followed (years)"),
            lambda o: [coverage_text(c) for c in o.coverage_list],
        ),
        Column("address", _("Address")),
        Column("email", _("E-mail")),
        Column("website", _("Website")),
        Column("latitude", _("Latitude")),
        Column("longitude", _("Longitude")),
        Column("description", _("Description"), translated=True),
        *common_columns(),
    ]


def _name(office):
    predecessor = public(office.predecessor)
    return str(predecessor) if predecessor else None
