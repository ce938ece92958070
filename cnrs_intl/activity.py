"""What is happening in a country, read across the domain apps.

The office, sector and country pages, the home page and the sitemap all ask the same questions
(what is active there today, is anything public there at all); they are answered here, the one
layer that may name every app's models.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from core.models import KeyFigure, Publishable, Theme, today
from instruments.models import Instrument, Network
from offices.models import Coverage, Office
from partnerships.models import Agreement, Call, Institution, Milestone

PUBLISHED = Publishable.Status.PUBLISHED


def activity_querysets(on=None):
    """Published instruments, agreements in force and open calls, as of ``on`` (today)."""
    on = on or today()
    return (
        Instrument.objects.published().active(on),
        Agreement.objects.published().active(on),
        Call.objects.published().active(on),
    )


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


def with_activity_filter(countries):
    """Countries something public happens in: covered today by a published office, or named by
    a published instrument, agreement, call, milestone, network or institution."""
    condition = Q(
        pk__in=Coverage.objects.current().filter(office__status=PUBLISHED).values("country")
    )
    for model in (Instrument, Agreement, Call, Milestone, Network):
        condition |= Q(pk__in=model.objects.published().values("countries"))
    condition |= Q(pk__in=Institution.objects.published().values("country"))
    return countries.filter(condition)


def list_url(name: str, **params) -> str:
    """A public list's address with filters, or ``""`` if that list is not wired in."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    query = urlencode([(key, v) for key, values in params.items() for v in values], doseq=True)
    return f"{url}?{query}" if query else url


def dossier_records(code: str) -> dict:
    """Every published record about a country, by part: the dossier page and its downloads
    both start from these querysets (the page then shows what is current, the files it all)."""
    records = {
        "offices": Office.objects.published().for_country(code),
        "instruments": Instrument.objects.published().for_country(code),
        "networks": Network.objects.published().for_country(code),
        "agreements": Agreement.objects.published().for_country(code),
        "calls": Call.objects.published().for_country(code),
        "milestones": Milestone.objects.published().for_country(code),
    }
    # Institutions based in the country and those its records name (their own country may be
    # another one, or not stated by the sources).
    records["institutions"] = Institution.objects.published().filter(
        dossier_institution_filter(code, records)
    )
    return records


def dossier_institution_filter(code: str, records: dict) -> Q:
    """Published institutions a country's dossier lists: based in the country, or named by one
    of its published records (instrument partners, network institutions, agreement parties, call
    funders, milestone institutions)."""
    condition = Q(country__code=code.upper())
    for through, owner, part in _institution_links():
        condition |= Q(
            pk__in=through.objects.filter(**{f"{owner}__in": records[part]}).values("institution")
        )
    return condition


def _institution_links():
    """(through model, its record field, dossier part) for each relation naming an institution."""
    return (
        (Instrument.partners.through, "instrument", "instruments"),
        (Network.institutions.through, "network", "networks"),
        (Agreement.parties.through, "agreement", "agreements"),
        (Call.funders.through, "call", "calls"),
        (Milestone.institutions.through, "milestone", "milestones"),
    )


def with_record_counts(institutions, records: dict):
    """Institutions annotated with ``record_count``: how many of the dossier's records name them
    (one query: a counting subquery per relation)."""
    total = Value(0)
    for through, owner, part in _institution_links():
        counted = (
            through.objects.filter(institution=OuterRef("pk"), **{f"{owner}__in": records[part]})
            .order_by()
            .values("institution")
            .annotate(n=Count(owner, distinct=True))
            .values("n")
        )
        total = total + Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    return institutions.annotate(record_count=total)


# The parts of a dossier that carry themes, with the list each theme links to.
THEMED_PARTS = (
    ("instruments", "instruments:list"),
    ("agreements", "partnerships:list"),
    ("calls", "calls:list"),
    ("networks", "instruments:networks"),
)


def dossier_themes(code: str, records: dict) -> list:
    """The themes the country's records carry, each with ``counts``: (part, number, list address)
    for the parts that carry it. A theme counts its sub-themes' records too, as the list filtered
    on it shows them, so each number is what its link gives. Two queries whatever the size."""
    pairs = None
    for part, _list_name in THEMED_PARTS:
        model = records[part].model
        through = model.themes.through
        owner = model._meta.model_name
        rows = (
            through.objects.filter(**{f"{owner}__in": records[part]})
            .annotate(part=Value(part))
            .values_list("theme_id", "part", f"{owner}_id")
            .order_by()
        )
        pairs = rows if pairs is None else pairs.union(rows, all=True)
    linked = list(pairs)
    if not linked:
        return []
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    found: dict[int, dict[str, set]] = {}
    for theme_id, part, owner_id in linked:
        seen = set()
        theme = themes.get(theme_id)
        # The record counts for its theme and every broader one (a cycle is never followed).
        while theme is not None and theme.pk not in seen:
            seen.add(theme.pk)
            found.setdefault(theme.pk, {}).setdefault(part, set()).add(owner_id)
            theme = themes.get(theme.parent_id)
    direct = {theme_id for theme_id, _part, _owner in linked}
    iso2 = code.lower()
    result = []
    for theme_id in direct:
        theme = themes[theme_id]
        theme.counts = [
            (part, len(found[theme_id][part]), list_url(name, country=[iso2], theme=[theme.slug]))
            for part, name in THEMED_PARTS
            if found[theme_id].get(part)
        ]
        theme.record_count = sum(number for _part, number, _url in theme.counts)
        result.append(theme)
    return result


def country_key_figures(code: str) -> list:
    """Published figures about the country, once key figures name the countries they are about
    (``KeyFigure.objects.for_country``, being added to core); none until then."""
    figures = KeyFigure.objects.published()
    if not hasattr(figures, "for_country"):
        return []
    return list(figures.for_country(code))
