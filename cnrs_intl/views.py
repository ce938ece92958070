"""Site-wide pages that combine the apps: home, countries and their dossiers, search,
accessibility statement, robots.txt."""

from itertools import groupby

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from cnrs_intl.activity import (
    country_key_figures,
    dossier_records,
    dossier_themes,
    list_url,
    with_activity_counts,
    with_activity_filter,
    with_record_counts,
)
from cnrs_intl.contacts import who_to_contact
from core import jsonld
from core.filters import sort_key
from core.map import office_map
from core.models import DateStatus, KeyFigure, Publishable, Theme, today
from core.search import MAX_QUERY_LENGTH, clean_query, is_postgresql, ranked_search
from instruments.models import Instrument, Kind, Network
from offices.models import Country, Coverage, Office, Sector
from offices.views import coverage_years, current_coverage_prefetch, is_past
from partnerships.models import Agreement, Call, Institution, Milestone

PUBLISHED = Publishable.Status.PUBLISHED
LATEST_LIMIT = 8


# -- home --


def live_counts():
    """What holds today, counted from the published records: offices open, instruments and
    agreements active by their dates (a record whose dates are not known is not counted),
    calls open, countries with activity; and each kind with its active and published records."""
    active = Instrument.objects.published().active().values("pk")
    kinds = list(
        Kind.objects.annotate(
            count=Count("instruments", filter=Q(instruments__pk__in=active), distinct=True),
            total=Count("instruments", filter=Q(instruments__status=PUBLISHED), distinct=True),
        )
        .prefetch_related("legacy_names")
        .order_by("order", "code")
    )
    counts = {
        "offices": Office.objects.published().open().count(),
        "instruments": sum(kind.count for kind in kinds),
        "agreements": Agreement.objects.published().active().count(),
        "open_calls": Call.objects.published().active().count(),
        "countries": with_activity_filter(Country.objects.all()).count(),
    }
    return counts, kinds


# Each label is chosen by the count it goes with: ``LIVE_COUNT_LABELS[key] % {"count": n}``.
LIVE_COUNT_LABELS = {
    "offices": ngettext_lazy("office open today", "offices open today", "count"),
    "instruments": ngettext_lazy("instrument active today", "instruments active today", "count"),
    "agreements": ngettext_lazy("agreement in force", "agreements in force", "count"),
    "open_calls": ngettext_lazy("call for proposals open", "calls for proposals open", "count"),
    "countries": ngettext_lazy("country with activity", "countries with activity", "count"),
}
# The list each live count links to, filtered as it counts.
LIVE_COUNT_LISTS = {
    "offices": ("offices:list", {}),
    "instruments": ("instruments:list", {"status": ["active"]}),
    "agreements": ("partnerships:list", {"status": ["active"]}),
    "open_calls": ("calls:list", {"status": ["active"]}),
    "countries": ("countries:list", {}),
}


def compared_count(compare_with: str, counts: dict, kinds) -> int | None:
    """The live count a published figure is compared with (``offices``, ``kind:IRN``,
    ``kind:GDRI``): for a kind, its instruments active today; ``None`` when not counted."""
    key = (compare_with or "").strip()
    if not key:
        return None
    if key.lower().startswith("kind:"):
        code = key.split(":", 1)[1].strip().upper()
        for kind in kinds:
            if kind.code == code or code in {legacy.code for legacy in kind.legacy_names.all()}:
                return kind.count
        return None
    return counts.get(key.lower())


def latest_records(limit=LATEST_LIMIT):
    """The most recently published records of every kind, newest first."""
    order = (F("published_at").desc(nulls_last=True), "-created_at")
    sources = (
        (_("Instrument"), Instrument.objects.published().select_related("kind")),
        (_("Agreement"), Agreement.objects.published()),
        (_("Call for proposals"), Call.objects.published()),
        (_("Network"), Network.objects.published()),
        (_("Institution"), Institution.objects.published()),
    )
    rows = []
    for label, queryset in sources:
        for record in queryset.order_by(*order)[:limit]:
            rows.append({"label": label, "record": record, "date": record.published_at})
    rows.sort(
        key=lambda row: (row["date"] is not None, row["date"] or row["record"].created_at),
        reverse=True,
    )
    return rows[:limit]


class HomeView(TemplateView):
    """What the portal is and its search box first; then what holds today (live counts, each
    linking to its list, and the CNRS tools by kind), a short selection of published figures
    labelled with their date, the map of the offices, and what was published last."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts, kinds = live_counts()
        figures = list(KeyFigure.objects.published().headline())
        for figure in figures:
            figure.live_count = compared_count(figure.compare_with, counts, kinds)
        offices = list(
            Office.objects.published()
            .open()
            .select_related("country", "sector")
            .prefetch_related(
                Prefetch(
                    "coverages",
                    queryset=Coverage.objects.current().select_related("country"),
                    to_attr="current_coverages",
                )
            )
            .order_by("sector__order", "sector__slug", "order", "name")
        )
        covered = {}
        for office in offices:
            office.current_coverages.sort(key=lambda c: sort_key(str(c.country)))
            for coverage in office.current_coverages:
                covered.setdefault(str(coverage.country.code), coverage)
        tools = [k for k in kinds if k.cnrs_tool == Kind.CnrsTool.YES and k.total]
        partner_kinds = [k for k in kinds if k.cnrs_tool == Kind.CnrsTool.NO and k.total]
        for kind in tools:
            kind.active_url = list_url("instruments:list", kind=[kind.code], status=["active"])
            kind.all_url = list_url("instruments:list", kind=[kind.code])
        context.update(
            nav="home",
            counts=[
                (
                    key,
                    value,
                    LIVE_COUNT_LABELS[key] % {"count": value},
                    list_url(LIVE_COUNT_LISTS[key][0], **LIVE_COUNT_LISTS[key][1]),
                )
                for key, value in counts.items()
            ],
            kinds=tools,
            partner_programmes={
                "count": sum(kind.total for kind in partner_kinds),
                "url": list_url("instruments:list", kind=[kind.code for kind in partner_kinds]),
            },
            figures=figures,
            figure_count=KeyFigure.objects.published().count(),
            offices=offices,
            office_sectors=[
                (sector, list(group)) for sector, group in groupby(offices, key=lambda o: o.sector)
            ],
            map=office_map(offices, covered),
            latest=latest_records(),
        )
        return context


# -- countries --


class CountryListView(TemplateView):
    """Every country where something public happens, by sector, with the office covering it
    today and what is active there."""

    template_name = "countries/country_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        countries = (
            with_activity_counts(with_activity_filter(Country.objects.all()))
            .select_related("sector")
            .prefetch_related(current_coverage_prefetch())
        )
        by_sector = {}
        for country in countries:
            by_sector.setdefault(country.sector_id, []).append(country)
        groups = []
        for sector in Sector.objects.all():
            members = sorted(by_sector.get(sector.pk, []), key=lambda c: sort_key(str(c)))
            if members:
                groups.append({"sector": sector, "countries": members})
        context.update(
            nav="countries",
            groups=groups,
            country_count=sum(len(g["countries"]) for g in groups),
        )
        return context


def by_status(records) -> dict[str, list]:
    """Records in order, split by their status from the dates (``active``, ``upcoming``,
    ``ended``, ``unknown``)."""
    groups = {status: [] for status in DateStatus.values}
    for record in records:
        groups[record.date_status].append(record)
    return groups


class CountryDetailView(TemplateView):
    """A country's dossier: the office that covers it now and those that did before, active
    instruments by kind, agreements in force, partner institutions, open and coming calls, the
    timeline of milestones, themes and counts. Prints on A4."""

    template_name = "countries/country_detail.html"

    def get(self, request, *args, **kwargs):
        iso2 = kwargs["iso2"]
        if len(iso2) != 2 or not iso2.isascii() or not iso2.isalpha():
            raise Http404(_("No such country."))
        if iso2 != iso2.lower():
            return redirect("countries:detail", iso2=iso2.lower(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.kwargs["iso2"].upper()
        country = get_object_or_404(Country.objects.select_related("sector"), code=code)
        on = today()
        records = dossier_records(code)
        coverages = list(
            Coverage.objects.filter(country=country, office__status=PUBLISHED)
            .select_related("office", "office__country")
            .order_by(F("end_year").desc(nulls_first=True), "-start_year", "office__name")
        )
        # Status from the dates only: a record without dates is "status not known", never active.
        instruments = by_status(
            records["instruments"]
            .with_status("active", "upcoming", "unknown", on=on)
            .select_related("kind")
            .with_lineage()
            .order_by("kind__order", "kind__code", "title", "slug")
        )
        ended_instruments = records["instruments"].ended(on).count()
        agreements = by_status(
            records["agreements"]
            .with_status("active", "upcoming", "unknown", on=on)
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=Institution.objects.published().order_by("name"),
                    to_attr="published_parties",
                )
            )
            .order_by(F("signed_on").desc(nulls_last=True), "slug")
        )
        ended_agreements = records["agreements"].ended(on).count()
        calls = by_status(
            records["calls"]
            .with_status("active", "upcoming", "unknown", on=on)
            .order_by(F("closes_on").asc(nulls_last=True), "slug")
        )
        ended_calls = records["calls"].ended(on).count()
        institutions = sorted(
            with_record_counts(records["institutions"].select_related("country"), records),
            key=lambda i: (i.country_id != country.pk, -i.record_count, sort_key(i)),
        )
        networks = list(records["networks"].order_by("name"))
        milestones = list(
            records["milestones"]
            .prefetch_related(
                Prefetch(
                    "institutions",
                    queryset=Institution.objects.published().order_by("name"),
                    to_attr="public_institutions",
                ),
                Prefetch("countries", queryset=Country.objects.all(), to_attr="country_list"),
            )
            .order_by(F("date").asc(nulls_last=True), "slug")
        )
        for milestone in milestones:
            milestone.other_countries = sorted(
                (c for c in milestone.country_list if c.pk != country.pk), key=sort_key
            )
        themes = sorted(dossier_themes(code, records), key=lambda t: (-t.record_count, sort_key(t)))
        past_coverages = [c for c in coverages if not c.is_current and is_past(c, on.year)]
        for coverage in past_coverages:
            coverage.years = coverage_years(coverage)
        iso2 = code.lower()
        # A part with nothing to show is not a section of its own: the parts left empty are
        # named together on one line.
        has = {
            "instruments": bool(any(instruments.values()) or ended_instruments or networks),
            "agreements": bool(any(agreements.values()) or ended_agreements),
            "institutions": bool(institutions),
            "calls": bool(any(calls.values()) or ended_calls),
            "timeline": bool(milestones),
            "themes": bool(themes),
        }
        part_names = {
            "instruments": _("instruments"),
            "agreements": _("agreements"),
            "institutions": _("partner institutions"),
            "calls": _("calls for proposals"),
            "timeline": _("milestones"),
            "themes": _("themes"),
        }
        context.update(
            nav="countries",
            has=has,
            empty_sections=[part_names[part] for part, present in has.items() if not present],
            country=country,
            current_coverages=[c for c in coverages if c.is_current],
            contacts=who_to_contact(country, [c for c in coverages if c.is_current]),
            past_coverages=past_coverages,
            instrument_groups=[
                (kind, list(group))
                for kind, group in groupby(instruments["active"], key=lambda i: i.kind)
            ],
            instrument_count=len(instruments["active"]),
            upcoming_instruments=instruments["upcoming"],
            unknown_instruments=instruments["unknown"],
            ended_instrument_count=ended_instruments,
            agreements=agreements["active"],
            upcoming_agreements=agreements["upcoming"],
            unknown_agreements=agreements["unknown"],
            ended_agreement_count=ended_agreements,
            unknown_count=sum(len(part["unknown"]) for part in (instruments, agreements, calls)),
            calls=calls["active"] + calls["upcoming"],
            unknown_calls=calls["unknown"],
            open_call_count=len(calls["active"]),
            ended_call_count=ended_calls,
            institutions=institutions,
            institutions_based_here=[i for i in institutions if i.country_id == country.pk],
            institutions_named=[i for i in institutions if i.country_id != country.pk],
            networks=networks,
            milestones=milestones,
            themes=themes,
            key_figures=country_key_figures(code),
            links={
                "instruments": list_url("instruments:list", country=[iso2], status=["active"]),
                "ended_instruments": list_url("instruments:list", country=[iso2], status=["ended"]),
                "unknown_instruments": list_url(
                    "instruments:list", country=[iso2], status=["unknown"]
                ),
                "agreements": list_url("partnerships:list", country=[iso2], status=["active"]),
                "ended_agreements": list_url("partnerships:list", country=[iso2], status=["ended"]),
                "institutions": list_url("institutions:list", country=[iso2]),
                "calls": list_url("calls:list", country=[iso2]),
                "ended_calls": list_url("calls:list", country=[iso2], status=["ended"]),
            },
        )
        context["structured_data"] = country_json_ld(self.request, country, context)
        return context


def country_json_ld(request, country, context):
    """The dossier as a schema.org ``CollectionPage`` about the country, naming (``mentions``)
    what the page lists as running now: instruments, agreements in force, networks, open calls;
    and the office that follows the country as its contact."""
    data = jsonld.record(
        request, country, "CollectionPage", _("CNRS and %(country)s") % {"country": country}
    )
    data["inLanguage"] = translation.get_language()
    data["publisher"] = jsonld.CNRS
    data["about"] = {"@type": "Country", "name": str(country), "identifier": str(country.code)}
    mentions = [
        *(
            jsonld.reference(request, instrument, "ResearchProject", instrument.title)
            for _kind, group in context["instrument_groups"]
            for instrument in group
        ),
        *(
            jsonld.reference(request, agreement, "Project", agreement.title)
            for agreement in context["agreements"]
        ),
        *(
            jsonld.reference(request, network, "Organization", network.name)
            for network in context["networks"]
        ),
        *(jsonld.reference(request, call, "Grant", call.title) for call in context["calls"]),
    ]
    if mentions:
        data["mentions"] = mentions
    offices = [
        jsonld.reference(request, coverage.office, "GovernmentOffice", coverage.office.name)
        for coverage in context["current_coverages"]
    ]
    if offices:
        data["provider"] = offices
    return data


# -- search --


def _search_groups():
    """Each kind of record the search covers: key, heading, queryset, the fields searched where
    there is no full-text document, the list that shows all matches (``None`` if none)."""
    return (
        (
            "offices",
            _("Offices"),
            Office.objects.published().select_related("country"),
            ("name_fr", "name_en", "city_fr", "city_en", "description_fr", "description_en"),
            "offices:list",
        ),
        ("countries", _("Countries"), Country.objects.all(), ("name_fr", "name_en"), None),
        (
            "instruments",
            _("Instruments"),
            Instrument.objects.published().select_related("kind").with_lineage(),
            (
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
            ),
            "instruments:list",
        ),
        (
            "networks",
            _("Networks"),
            Network.objects.published(),
            ("name_fr", "name_en", "acronym", "description_fr", "description_en"),
            "instruments:networks",
        ),
        (
            "agreements",
            _("Agreements"),
            Agreement.objects.published(),
            ("title_fr", "title_en", "summary_fr", "summary_en"),
            "partnerships:list",
        ),
        (
            "institutions",
            _("Institutions"),
            Institution.objects.published().select_related("country"),
            ("name_fr", "name_en", "acronym", "ror_id", "description_fr", "description_en"),
            "institutions:list",
        ),
        (
            "calls",
            _("Calls for proposals"),
            Call.objects.published(),
            (
                "title_fr",
                "title_en",
                "description_fr",
                "description_en",
                "funding_fr",
                "funding_en",
            ),
            "calls:list",
        ),
        (
            "milestones",
            _("Milestones"),
            Milestone.objects.published().prefetch_related("countries"),
            ("title_fr", "title_en", "description_fr", "description_en"),
            None,
        ),
        (
            "themes",
            _("Themes"),
            Theme.objects.all(),
            ("name_fr", "name_en", "description_fr", "description_en"),
            None,
        ),
    )


def _kinds_matching(text: str):
    """Instrument kinds named by a word of the query, current or legacy (LIA finds the IRP)."""
    codes = Kind.objects.resolve_codes(text.split()[:20])
    by_name = ranked_search(Kind.objects.all(), text, ("name_fr", "name_en")).values("pk")
    return list(
        Kind.objects.filter(Q(code__in=codes) | Q(pk__in=by_name))
        .prefetch_related("legacy_names")
        .order_by("order", "code")
    )


class SearchView(TemplateView):
    """One box over every kind of record; results grouped by kind, best first.

    On PostgreSQL, full-text search (stemmed, accents ignored) and, when it finds nothing, names
    and titles close to the query (typos); elsewhere every word must appear in the record.
    """

    template_name = "search/search.html"
    per_group = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        query = clean_query(raw)
        groups, kinds, fuzzy = [], [], False
        if query:
            kinds = _kinds_matching(query)
            groups = self.run(query, fuzzy=False)
            if not any(g["count"] for g in groups) and is_postgresql():
                groups = self.run(query, fuzzy=True)
                fuzzy = any(g["count"] for g in groups)
        context.update(
            nav="search",
            query=query,
            truncated=len(str(raw)) > MAX_QUERY_LENGTH,
            groups=[g for g in groups if g["count"]],
            kinds=kinds,
            total=sum(g["count"] for g in groups) + len(kinds),
            fuzzy=fuzzy,
        )
        return context

    def run(self, query: str, *, fuzzy: bool):
        groups = []
        for key, label, queryset, fields, list_name in _search_groups():
            if fuzzy and key in ("countries", "themes"):
                continue
            results = ranked_search(queryset, query, fields, fuzzy=fuzzy)
            items = list(results[: self.per_group + 1])
            count = len(items) if len(items) <= self.per_group else results.count()
            if key == "countries":
                items.sort(key=lambda c: (-c.search_rank, sort_key(str(c))))
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "items": items[: self.per_group],
                    "count": count,
                    "more_url": list_url(list_name, q=[query]) if list_name and not fuzzy else "",
                }
            )
        return groups


# -- pages --


class AccessibilityView(TemplateView):
    """The accessibility statement (RGAA / WCAG 2.1 AA)."""

    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = "accessibility"
        # The department's page as the sectors' reference data gives it (with its source).
        context["department"] = Sector.objects.exclude(contact_page="").order_by("order").first()
        return context


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    """Crawlers may read the public pages, not the admin, the search results or the exports."""
    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_URL}"]
    for code, _name in settings.LANGUAGES:
        lines.append(f"Disallow: /{code}/search/")
    lines.append("Disallow: /*export.csv")
    lines.append("Disallow: /*export.xlsx")
    try:
        lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    except NoReverseMatch:  # pragma: no cover - the sitemap is always wired in
        pass
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
