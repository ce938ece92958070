"""Public pages for offices and sectors.

An office page shows what is active in the countries the office covers: instruments, agreements
and calls live in the layers above, so their models are read from the relations that point here
(``Country.instruments``…), never imported.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.filters import sort_key
from core.models import Publishable, today
from core.views import PublishedDetailView
from offices.filters import OfficeFilter
from offices.models import Country, Coverage, Office, Sector

PUBLISHED = Publishable.Status.PUBLISHED
# How many records of each kind a page lists before linking to the full, filtered list.
LIST_LIMIT = 12


def related_model(model, relation: str):
    """The model at the other end of ``model.<relation>`` (a layer above may own it)."""
    return model._meta.get_field(relation).related_model


def activity_querysets(on=None):
    """Published instruments, agreements in force and open calls, as of ``on`` (today)."""
    on = on or today()
    instruments = related_model(Country, "instruments")._default_manager.published().active(on)
    agreements = related_model(Country, "agreements")._default_manager.published().active(on)
    calls = related_model(Country, "calls")._default_manager.published().active(on)
    return instruments, agreements, calls


def _count_for_country(queryset):
    """A subquery counting ``queryset``'s rows linked to the outer country (``countries`` M2M)."""
    counted = (
        queryset.filter(countries=OuterRef("pk"))
        .order_by()
        .values("countries")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_activity_counts(countries, on=None):
    """Countries annotated with ``instrument_count``, ``agreement_count`` and ``call_count``."""
    instruments, agreements, calls = activity_querysets(on)
    return countries.annotate(
        instrument_count=_count_for_country(instruments),
        agreement_count=_count_for_country(agreements),
        call_count=_count_for_country(calls),
    )


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
    # Neither year known: nothing worth printing.
    return f"{start}–{end}" if start or end not in ("", "?") else ""


def list_url(name: str, **params) -> str:
    """A public list's address with filters, or ``""`` if that list is not wired in."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    query = urlencode([(key, v) for key, values in params.items() for v in values], doseq=True)
    return f"{url}?{query}" if query else url


class OfficeListView(TemplateView):
    """Offices grouped by sector, the countries each covers today; former offices apart.

    The office filters of the contract apply (``q``, ``country``, ``sector``, ``sort``); a value
    that means nothing is named in a notice and ignored.
    """

    template_name = "offices/office_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = OfficeFilter(
            self.request.GET or None,
            queryset=Office.objects.published()
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
                Prefetch(
                    "joint_operators",
                    queryset=related_model(Office, "joint_operators")
                    ._default_manager.published()
                    .order_by("name"),
                    to_attr="published_joint_operators",
                ),
            ),
        )
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


def filter_notices(filterset) -> list[str]:
    """A sentence per filter value the form rejected (``country=ZZ``): it was ignored."""
    if not filterset.is_bound:
        return []
    notices = []
    for name, errors in filterset.form.errors.items():
        field = filterset.form.fields.get(name)
        label = field.label if field is not None else name
        for error in errors:
            notices.append(
                _("The filter “%(label)s” (%(param)s) was ignored: %(error)s")
                % {"label": label, "param": name, "error": error}
            )
    return notices


class OfficeDetailView(PublishedDetailView):
    """One office: the countries it covers and covered (with the years), its contact, photo,
    joint operators, the office it replaced or that replaced it, and what is active in its
    countries today."""

    model = Office
    template_name = "offices/office_detail.html"
    context_object_name = "office"
    nav = "offices"

    def optimize(self, queryset):
        Institution = related_model(Office, "joint_operators")
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
            Prefetch(
                "joint_operators",
                queryset=Institution._default_manager.published().order_by("name"),
                to_attr="published_joint_operators",
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
        codes = [str(c.country.code) for c in current]
        country_ids = [c.country_id for c in current]

        instruments, agreements, calls = activity_querysets()
        active = {}
        for key, queryset, url_name, extra in (
            ("instruments", instruments.select_related("kind"), "instruments:list", {}),
            ("agreements", agreements, "partnerships:list", {}),
            ("calls", calls.order_by("closes_on", "slug"), "calls:list", {}),
        ):
            rows = queryset.for_country(*codes) if codes else queryset.none()
            items = list(rows[: LIST_LIMIT + 1])
            count = len(items) if len(items) <= LIST_LIMIT else rows.count()
            active[key] = {
                "items": items[:LIST_LIMIT],
                "count": count,
                "url": list_url(
                    url_name, country=[c.lower() for c in codes], status=["active"], **extra
                ),
            }
        counted = {
            c.pk: c for c in with_activity_counts(Country.objects.filter(pk__in=country_ids))
        }
        coverage_rows = sorted(
            ((coverage, counted[coverage.country_id]) for coverage in current),
            key=lambda row: sort_key(str(row[1])),
        )
        context.update(
            nav="offices",
            current_coverages=current,
            past_coverages=past,
            coverage_rows=coverage_rows,
            active=active,
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
    covers each today and what is active there."""

    template_name = "offices/sector_detail.html"

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
        countries = sorted(
            with_activity_counts(Country.objects.filter(sector=sector)).prefetch_related(
                current_coverage_prefetch()
            ),
            key=lambda c: sort_key(str(c)),
        )
        active_countries = [
            c
            for c in countries
            if c.current_coverages or c.instrument_count or c.agreement_count or c.call_count
        ]
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


def with_activity_filter(countries):
    """Countries something public happens in: covered today by a published office, or named by
    a published instrument, agreement, call, milestone, network or institution."""
    condition = Q(
        pk__in=Coverage.objects.current().filter(office__status=PUBLISHED).values("country")
    )
    for relation in ("instruments", "agreements", "calls", "milestones", "networks"):
        model = related_model(Country, relation)
        condition |= Q(pk__in=model._default_manager.published().values("countries"))
    Institution = related_model(Country, "institutions")
    condition |= Q(pk__in=Institution._default_manager.published().values("country"))
    return countries.filter(condition)
