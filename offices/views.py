"""Office and sector pages: the part made of offices' own records.

What the pages show from the layers above (joint operators, what is active in each country) is
added by the site layer's subclasses (``cnrs_intl/offices.py``), which also wire the URLs.
"""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.filters import sort_key
from core.models import Publishable, today
from core.views import PublishedDetailView, filter_notices
from offices.filters import OfficeFilter
from offices.models import Country, Coverage, Office, Sector

PUBLISHED = Publishable.Status.PUBLISHED


def current_coverage_prefetch(to_attr="current_coverages", lookup="coverages"):
    """Today's coverages by published offices, office and its host country loaded."""
    return Prefetch(
        lookup,
        queryset=Coverage.objects.current()
        .filter(office__status=PUBLISHED)
        .select_related("office", "office__country")
        .order_by("office__order", "office__name"),
        to_attr=to_attr,
    )


def is_past(coverage, year=None) -> bool:
    """Whether a coverage is over (as ``CoverageQuerySet.past``): ended, or its office closed."""
    year = year or today().year
    office = coverage.office
    return (
        (coverage.end_year is not None and coverage.end_year < year)
        or (office.closed is not None and office.closed < year)
        or (office.is_closed and office.closed is None)
    )


def coverage_years(coverage) -> str:
    """``2007–2014``: from its start (or the office's opening) to its end (or the office's
    closing); ``since 2011`` style text is left to templates for current coverages."""
    office = coverage.office
    start = coverage.start_year or office.opened or ""
    end = coverage.end_year or office.closed or ("?" if office.is_closed else "")
    if not start and end not in ("", "?"):
        # Worded as the office's own years are (``closed_years``): "until 2011".
        return _("until %(year)s") % {"year": end}
    # Neither year known: nothing worth printing.
    return f"{start}–{end}" if start or end not in ("", "?") else ""


class OfficeListView(TemplateView):
    """Offices grouped by sector, the countries each covers today; former offices apart.

    The office filters of the contract apply (``q``, ``country``, ``sector``, ``sort``); a value
    that means nothing is named in a notice and ignored.
    """

    template_name = "offices/office_list.html"

    def get_queryset(self):
        return (
            Office.objects.published()
            .select_related("country", "sector", "predecessor")
            .prefetch_related(
                Prefetch(
                    "coverages",
                    queryset=Coverage.objects.current()
                    .select_related("country")
                    .order_by("country__name", "country__code"),
                    to_attr="current_coverages",
                ),
                Prefetch(
                    "successors",
                    queryset=Office.objects.published().order_by("name"),
                    to_attr="published_successors",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = OfficeFilter(self.request.GET or None, queryset=self.get_queryset())
        offices = list(filterset.qs)
        for office in offices:
            office.current_coverages.sort(key=lambda c: sort_key(str(c.country)))
        sectors = list(Sector.objects.all())
        open_offices = [o for o in offices if o.is_open]
        groups = [
            {"sector": sector, "offices": [o for o in open_offices if o.sector_id == sector.pk]}
            for sector in sectors
        ]
        context.update(
            nav="offices",
            filter=filterset,
            notices=filter_notices(filterset),
            is_filtered=bool(filterset.is_bound and filterset.active_filters),
            office_count=len(open_offices),
            groups=[g for g in groups if g["offices"]],
            former_offices=[o for o in offices if not o.is_open],
        )
        return context


class OfficeDetailView(PublishedDetailView):
    """One office: the countries it covers and covered (with the years), its contact, photo and
    the office it replaced or that replaced it."""

    model = Office
    template_name = "offices/office_detail.html"
    context_object_name = "office"
    nav = "offices"

    def optimize(self, queryset):
        return queryset.select_related("country", "sector", "predecessor").prefetch_related(
            Prefetch(
                "coverages",
                queryset=Coverage.objects.select_related("country", "office"),
                to_attr="all_coverages",
            ),
            Prefetch(
                "successors",
                queryset=Office.objects.published().order_by("opened", "name"),
                to_attr="published_successors",
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        office = self.object
        coverages = sorted(
            office.all_coverages,
            key=lambda c: (-(c.end_year or 9999), sort_key(str(c.country))),
        )
        current = [c for c in coverages if c.is_current]
        past = [c for c in coverages if not c.is_current and is_past(c)]
        for coverage in past:
            coverage.years = coverage_years(coverage)
        context.update(
            nav="offices",
            current_coverages=current,
            past_coverages=past,
            json_ld=office_json_ld(self.request, office, current),
        )
        return context


def office_json_ld(request, office, coverages):
    url = request.build_absolute_uri(office.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "@id": url,
        "url": url,
        "name": office.name,
        "parentOrganization": {
            "@type": "ResearchOrganization",
            "name": "CNRS",
            "url": "https://www.cnrs.fr/",
        },
        "address": {
            "@type": "PostalAddress",
            "addressLocality": office.city,
            "addressCountry": str(office.country.code),
        },
    }
    if office.address:
        data["address"]["streetAddress"] = " ".join(office.address.split())
    if office.latitude is not None and office.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(office.latitude),
            "longitude": float(office.longitude),
        }
    if office.email:
        data["email"] = office.email
    if office.website:
        data["sameAs"] = [office.website]
    if office.description:
        data["description"] = office.description
    if office.opened:
        data["foundingDate"] = str(office.opened)
    if office.photo:
        data["image"] = request.build_absolute_uri(office.photo.url)
    if coverages:
        data["areaServed"] = [{"@type": "Country", "name": str(c.country)} for c in coverages]
    return data


class SectorListView(TemplateView):
    """The four sectors with their open offices and how many countries each follows."""

    template_name = "offices/sector_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sectors = Sector.objects.annotate(country_count=Count("countries", distinct=True))
        sectors = sectors.prefetch_related(
            Prefetch(
                "offices",
                queryset=Office.objects.published().open().select_related("country"),
                to_attr="open_offices",
            )
        )
        context.update(nav="offices", sectors=list(sectors))
        return context


class SectorDetailView(TemplateView):
    """A sector: its offices (open and former) and every country in it, with the office that
    covers each today."""

    template_name = "offices/sector_detail.html"

    def countries(self, sector):
        return Country.objects.filter(sector=sector).prefetch_related(current_coverage_prefetch())

    def is_active(self, country) -> bool:
        """Whether the country is listed among the sector's active ones (covered today)."""
        return bool(country.current_coverages)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sector = get_object_or_404(Sector, slug=self.kwargs["slug"])
        offices = list(
            Office.objects.published()
            .filter(sector=sector)
            .select_related("country")
            .prefetch_related(
                Prefetch(
                    "coverages",
                    queryset=Coverage.objects.current().select_related("country"),
                    to_attr="current_coverages",
                )
            )
        )
        countries = sorted(self.countries(sector), key=lambda c: sort_key(str(c)))
        active_countries = [c for c in countries if self.is_active(c)]
        context.update(
            nav="offices",
            sector=sector,
            open_offices=[o for o in offices if o.is_open],
            former_offices=[o for o in offices if not o.is_open],
            countries=countries,
            active_countries=active_countries,
            other_countries=[c for c in countries if c not in active_countries],
        )
        return context
