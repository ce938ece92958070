"""Record and office pages completed with what the layers above them hold.

A domain app's view shows its own records (``offices.views``, ``partnerships.views``); the
subclasses here add the sections read from other apps (an office's joint operators and what is
active in its countries, the instruments launched under an agreement…). The site layer wires
these pages' URLs (``cnrs_intl/office_urls.py``, ``cnrs_intl/partnership_urls.py``).
"""

from django.db.models import Prefetch

from cnrs_intl.activity import activity_querysets, list_url, with_activity_counts
from core.filters import sort_key
from core.models import published_prefetch
from instruments.models import Instrument, Network
from offices import views as office_views
from offices.models import Country
from partnerships import views as partnership_views
from partnerships.models import Institution

# How many records of each kind an office page lists before linking to the full, filtered list.
LIST_LIMIT = 12


def joint_operators_prefetch():
    return Prefetch(
        "joint_operators",
        queryset=Institution.objects.published().order_by("name"),
        to_attr="published_joint_operators",
    )


def cooperation_prefetches():
    """The instruments (with their kind) and networks an agreement or institution is part of."""
    return (
        published_prefetch("instruments", Instrument, "kind"),
        published_prefetch("networks", Network),
    )


class OfficeListView(office_views.OfficeListView):
    def get_queryset(self):
        return super().get_queryset().prefetch_related(joint_operators_prefetch())


class OfficeDetailView(office_views.OfficeDetailView):
    """An office page, with its joint operators and what is active in its countries today."""

    def optimize(self, queryset):
        return super().optimize(queryset).prefetch_related(joint_operators_prefetch())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = context["current_coverages"]
        codes = [str(c.country.code) for c in current]
        instruments, agreements, calls = activity_querysets()
        active = {}
        for key, queryset, url_name in (
            ("instruments", instruments.select_related("kind"), "instruments:list"),
            ("agreements", agreements, "partnerships:list"),
            ("calls", calls.order_by("closes_on", "slug"), "calls:list"),
        ):
            rows = queryset.for_country(*codes) if codes else queryset.none()
            items = list(rows[: LIST_LIMIT + 1])
            active[key] = {
                "items": items[:LIST_LIMIT],
                "count": len(items) if len(items) <= LIST_LIMIT else rows.count(),
                "url": list_url(url_name, country=[c.lower() for c in codes], status=["active"]),
            }
        counted = {
            c.pk: c
            for c in with_activity_counts(
                Country.objects.filter(pk__in=[c.country_id for c in current])
            )
        }
        context.update(
            active=active,
            coverage_rows=sorted(
                ((coverage, counted[coverage.country_id]) for coverage in current),
                key=lambda row: sort_key(str(row[1])),
            ),
        )
        return context


class SectorDetailView(office_views.SectorDetailView):
    """A sector page, each country with what is active there."""

    def countries(self, sector):
        return with_activity_counts(super().countries(sector))

    def is_active(self, country) -> bool:
        return super().is_active(country) or bool(
            country.instrument_count or country.agreement_count or country.call_count
        )


class AgreementDetailView(partnership_views.AgreementDetailView):
    def optimize(self, queryset):
        return super().optimize(queryset).prefetch_related(*cooperation_prefetches())


class InstitutionDetailView(partnership_views.InstitutionDetailView):
    def optimize(self, queryset):
        return super().optimize(queryset).prefetch_related(*cooperation_prefetches())
