"""What is happening in a country, read across the domain apps.

The office, sector and country pages, the home page and the sitemap all ask the same questions
(what is active there today, is anything public there at all); they are answered here, the one
layer that may name every app's models.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from core.models import Publishable, today
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
    return {
        "offices": Office.objects.published().for_country(code),
        "instruments": Instrument.objects.published().for_country(code),
        "networks": Network.objects.published().for_country(code),
        "agreements": Agreement.objects.published().for_country(code),
        "calls": Call.objects.published().for_country(code),
        "institutions": Institution.objects.published().for_country(code),
        "milestones": Milestone.objects.published().for_country(code),
    }
