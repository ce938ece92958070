"""Core: themes, CNRS institutes, published key figures, and the bases every record shares."""

import datetime
import re
from collections.abc import Callable, Iterable
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries as ISO_COUNTRIES


class Provenance(models.Model):
    """Where a record's facts come from and when someone last checked them."""

    source_title = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Title of the document or page the facts were taken from."),
    )
    source_url = models.URLField(
        _("source link"), max_length=500, blank=True, help_text=_("Address of that source.")
    )
    checked_on = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("When the facts were last checked against the source."),
    )

    class Meta:
        abstract = True


class Audited(models.Model):
    """Who created and last changed a record, and when; stamped by the admin, never typed."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modified"), auto_now=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modified by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


def country_codes(codes) -> list[str]:
    """ISO 3166-1 alpha-2 codes as stored (``cn`` → ``CN``): the one normalisation of the
    ``country`` parameter, used by its filter field and every ``for_country``."""
    return [str(code).strip().upper() for code in codes if code and str(code).strip()]


class CatalogQuerySet(models.QuerySet):
    """Reads shared by every public record: publication, country and theme filters.

    Subclasses name the lookups that reach a country code and a theme slug.
    """

    country_lookup: str | None = None
    theme_lookup: str | None = "themes__slug"

    def published(self):
        return self.filter(status=Publishable.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Publishable.Status.DRAFT)

    def _via(self, lookup: str, values):
        """Rows related to any of ``values`` through a to-many ``lookup``, without duplicates."""
        inner = self.model._default_manager.filter(**{f"{lookup}__in": values}).values("pk")
        return self.filter(pk__in=inner)

    def for_country(self, *codes):
        """Rows about any of the countries (ISO 3166-1 alpha-2 codes, any case)."""
        if self.country_lookup is None:
            raise NotImplementedError(f"{self.model.__name__} has no country")
        return self._via(self.country_lookup, country_codes(codes))

    def for_theme(self, *slugs):
        """Rows on any of the themes, a parent theme including its sub-themes."""
        if self.theme_lookup is None:
            raise NotImplementedError(f"{self.model.__name__} has no theme")
        return self._via(self.theme_lookup, Theme.objects.expand_slugs(slugs))


# How long an end the sources leave open is taken as still to come (see DatedQuerySet).
OPEN_END_YEARS = 5


def years_before(on: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


class DatedQuerySet(CatalogQuerySet):
    """Status from dates: a row is active between its start and end (either may be open).

    Each date is read at its precision (``<date field>_precision``): an end given as "December
    2026" has not passed before the end of December 2026, a start given as "2027" has come on
    1 January 2027. A row with neither date has no status the dates can tell ("status not
    known"): it is never active, ended or upcoming.

    An end the sources do not give does not mean the row is still running (the reference data
    says so of its empty ends): an open end holds for one standard term (``open_end_years``,
    the five years of CNRS cooperation tools) from the latest thing the sources tell of the
    row — its start, its last renewal, or the date of the source that reports it; after that
    the dates no longer tell, and the row's status is not known either.
    """

    start_field = "start_on"
    end_field = "end_on"
    renewal_field: str | None = None
    open_end_years: int | None = OPEN_END_YEARS

    def _has_precision(self, field_name: str) -> bool:
        return any(f.name == f"{field_name}_precision" for f in self.model._meta.concrete_fields)

    def _at_precision(self, field_name: str, lookup: str, on, period_bound):
        """``field_name`` compared with ``on`` (``gte``/``lte``), a date known to the month or
        the year compared with that period's bound (``period_bound``: start or end)."""
        if not self._has_precision(field_name):
            return Q(**{f"{field_name}__{lookup}": on})
        precision = f"{field_name}_precision"
        compare = f"{field_name}__{lookup}"
        return (
            Q(**{precision: DatePrecision.YEAR, compare: period_bound(on, "year")})
            | Q(**{precision: DatePrecision.MONTH, compare: period_bound(on, "month")})
            | (
                ~Q(**{f"{precision}__in": [DatePrecision.YEAR, DatePrecision.MONTH]})
                & Q(**{compare: on})
            )
        )

    def _not_before(self, field_name: str, on):
        """The date in ``field_name`` is on or after ``on``, at the date's precision."""
        return self._at_precision(field_name, "gte", on, period_start)

    def _not_after(self, field_name: str, on):
        """The date in ``field_name`` is on or before ``on``, at the date's precision."""
        return self._at_precision(field_name, "lte", on, period_end)

    def _dated(self):
        """Rows with at least one date; the others' status is not known."""
        return Q(**{f"{self.start_field}__isnull": False}) | Q(
            **{f"{self.end_field}__isnull": False}
        )

    # The dates that say a row was going on: its start, its renewal, its source's date.
    reported_fields: tuple[str, ...] = ("checked_on",)

    def _reported_within(self, on, years: int):
        """The start, the renewal or the source's date falls within ``years`` before ``on``."""
        cutoff = years_before(on, years)
        fields = [self.start_field, self.renewal_field, *self.reported_fields]
        condition = Q(pk__in=[])
        for name in filter(None, fields):
            condition |= Q(**{f"{name}__isnull": False}) & self._not_before(name, cutoff)
        return condition

    def _open_end_holds(self, on):
        """The end is given, or the sources told of the row within one standard term."""
        given = Q(**{f"{self.end_field}__isnull": False}) | Q(
            **{f"{self.start_field}__isnull": True}
        )
        if not self.open_end_years:
            return Q()
        return given | self._reported_within(on, self.open_end_years)

    def _known(self, on):
        """Rows whose dates tell their status on ``on``."""
        return self._dated() & self._open_end_holds(on)

    def _started(self, on):
        return Q(**{f"{self.start_field}__isnull": True}) | self._not_after(self.start_field, on)

    def _not_ended(self, on):
        return Q(**{f"{self.end_field}__isnull": True}) | self._not_before(self.end_field, on)

    def _ended(self, on):
        return Q(**{f"{self.end_field}__isnull": False}) & ~self._not_before(self.end_field, on)

    def _upcoming(self, on):
        return Q(**{f"{self.start_field}__isnull": False}) & ~self._not_after(self.start_field, on)

    def _active(self, on):
        return self._known(on) & self._started(on) & self._not_ended(on)

    def active(self, on=None):
        return self.filter(self._active(on or today()))

    def ended(self, on=None):
        return self.filter(self._ended(on or today()))

    def upcoming(self, on=None):
        return self.filter(self._upcoming(on or today()))

    def status_unknown(self, on=None):
        return self.exclude(self._known(on or today()))

    def with_status(self, *statuses, on=None):
        """Rows in any of the statuses ``active``, ``ended``, ``upcoming``, ``unknown``."""
        on = on or today()
        condition = Q(pk__in=[])
        if "active" in statuses:
            condition |= self._active(on)
        if "ended" in statuses:
            condition |= self._ended(on)
        if "upcoming" in statuses:
            condition |= self._upcoming(on)
        if "unknown" in statuses:
            condition |= ~self._known(on)
        return self.filter(condition)

    def during_year(self, *years):
        """Rows active at some point of any of the years (never one whose dates are unknown)."""
        condition = Q(pk__in=[])
        for year in years:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            condition |= self._started(last) & self._not_ended(first) & self._open_end_holds(first)
        return self.filter(condition & self._dated())


class DateStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("date status", "Active")
    ENDED = "ended", pgettext_lazy("date status", "Ended")
    UPCOMING = "upcoming", pgettext_lazy("date status", "Upcoming")
    UNKNOWN = "unknown", pgettext_lazy("date status", "Status not known")


def period_start(value: datetime.date, precision) -> datetime.date:
    """The first day of the month or year ``value`` falls in (``value`` itself for a day)."""
    if precision == "year":
        return datetime.date(value.year, 1, 1)
    if precision == "month":
        return value.replace(day=1)
    return value


def period_end(value: datetime.date, precision) -> datetime.date:
    """The last day of the month or year ``value`` falls in (``value`` itself for a day)."""
    if precision == "year":
        return datetime.date(value.year, 12, 31)
    if precision == "month":
        following = (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)
    return value


def date_status(
    start,
    end,
    on=None,
    start_precision="day",
    end_precision="day",
    *,
    renewed=None,
    renewed_precision="day",
    reported=None,
    reported_precision="day",
    open_end_years=OPEN_END_YEARS,
) -> str:
    """Active, ended or upcoming from the dates at their precision; unknown without any date,
    or with an open end past one standard term from the start, the renewal or the source's
    date (``reported``; see DatedQuerySet).

    A start known only to the month has come once that month has begun; an end known only to
    the month has passed once that month is over ("December 2026" is not over on 4 December).
    """
    if start is None and end is None:
        return DateStatus.UNKNOWN
    on = on or today()
    if start and period_start(start, start_precision) > on:
        return DateStatus.UPCOMING
    if end and period_end(end, end_precision) < on:
        return DateStatus.ENDED
    if end is None and start is not None and open_end_years:
        cutoff = years_before(on, open_end_years)
        told = [(start, start_precision), (renewed, renewed_precision)]
        told.append((reported, reported_precision))
        known = [(value, precision) for value, precision in told if value is not None]
        if all(value < period_start(cutoff, precision) for value, precision in known):
            return DateStatus.UNKNOWN
    return DateStatus.ACTIVE


class DatePrecision(models.TextChoices):
    """How precisely a source dates something: a date known to the month is stored as a day of
    that month (usually the first), and shown as the month only."""

    DAY = "day", pgettext_lazy("date precision", "Day")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    YEAR = "year", pgettext_lazy("date precision", "Year")


def date_precision_field(verbose_name):
    """The precision of the date field beside it, named ``<date field>_precision``."""
    return models.CharField(
        verbose_name,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "How precisely the source gives this date. When it gives only the month or the "
            "year, enter a day of it (usually the first) and choose Month or Year: the site, "
            "the API and the downloads then show only that."
        ),
    )


def end_after_start(start: str, end: str, name: str = "end_after_start") -> models.CheckConstraint:
    """The database's rule that field ``end`` does not precede field ``start``; either may be
    empty. ``check_end_after_start`` is its mirror in the model's ``clean()``."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=f"%(app_label)s_%(class)s_{name}",
    )


def check_end_after_start(instance: models.Model, *pairs: tuple[str, str]) -> None:
    """``end_after_start`` for forms: each ``(start, end)`` pair whose end precedes its start
    is an error on the end field, naming the start field."""
    errors = {}
    for start, end in pairs:
        start_value, end_value = getattr(instance, start), getattr(instance, end)
        if start_value is not None and end_value is not None and end_value < start_value:
            label = instance._meta.get_field(start).verbose_name
            errors[end] = ValidationError(
                _("Cannot precede “%(start)s”."), code="end_before_start", params={"start": label}
            )
    if errors:
        raise ValidationError(errors)


class SourceNotes(models.Model):
    """What the reference data says of a record beside its main source: its id there, the other
    pages that state it, what the sources last reported of its state, where they disagree."""

    data_id = models.CharField(
        _("reference data id"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_(
            "The record's id in the reference data (fixtures/cooperation/); empty for a record "
            "entered here."
        ),
    )
    checked_on_precision = date_precision_field(_("last checked precision"))
    other_source_urls = models.TextField(
        _("other sources"),
        blank=True,
        help_text=_("Other pages that state the same facts, one address per line."),
    )
    reported_status = models.CharField(
        _("status last reported"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the source says of the record's state at the source's date (\"renewed 2019\"), "
            "as the source words it: a dated statement, not a current status."
        ),
    )
    contradictions = models.TextField(
        _("where the sources disagree"),
        blank=True,
        help_text=_("The values the sources give, and which source gives each."),
    )
    # Notes about the sources ("the day is not given") belong here, not in the public summary.
    open_questions = models.TextField(
        _("what the sources leave open"),
        blank=True,
        help_text=_("What the sources do not say (a day, a name, the other countries followed)."),
    )

    class Meta:
        abstract = True


class Publishable(models.Model):
    """A record that is a draft until a DERCI editor publishes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("publication status", "Draft")
        PUBLISHED = "published", pgettext_lazy("publication status", "Published")

    status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Only published records appear on the public site, the API and exports."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def publish(self, *, user=None, save=True):
        self.status = self.Status.PUBLISHED
        if self.published_at is None:
            self.published_at = timezone.now()
        if user is not None and hasattr(self, "updated_by"):
            self.updated_by = user
        if save:
            self.save()

    def unpublish(self, *, user=None, save=True):
        self.status = self.Status.DRAFT
        if user is not None and hasattr(self, "updated_by"):
            self.updated_by = user
        if save:
            self.save()


class ThemeQuerySet(models.QuerySet):
    def expand_slugs(self, slugs) -> list[str]:
        """The given slugs with every descendant theme's slug (one query for the whole tree)."""
        wanted = {str(s).strip().lower() for s in slugs if s}
        if not wanted:
            return []
        children: dict[str | None, list[str]] = {}
        for slug, parent_slug in Theme.objects.values_list("slug", "parent__slug"):
            children.setdefault(parent_slug, []).append(slug)
        result, stack = set(), list(wanted)
        while stack:
            slug = stack.pop()
            if slug in result:
                continue
            result.add(slug)
            stack.extend(children.get(slug, []))
        return sorted(result)


class Theme(Provenance):
    """A scientific theme records are tagged with (biodiversity under environment…)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Broader theme this one belongs to; filtering on the parent includes it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug=""), name="%(app_label)s_%(class)s_slug_not_empty"
            )
        ]

    def __str__(self):
        return self.name


class Institute(Provenance):
    """One of the ten CNRS institutes (INEE, INSB, INC…)."""

    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("Official acronym, e.g. INEE.")
    )
    name = models.CharField(_("name"), max_length=200)
    usage_name = models.CharField(
        _("usage name"),
        max_length=200,
        blank=True,
        help_text=_('The "CNRS + discipline" name used since 2023–24.'),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CNRS institute")
        verbose_name_plural = _("CNRS institutes")

    def __str__(self):
        return self.code


def figure_country_codes(value) -> str:
    """The ``countries`` of a key figure as stored: upper-case codes, sorted, one space apart
    (``"jp; ca"`` → ``"CA JP"``); empty for a worldwide figure."""
    parts = re.split(r"[\s,;]+", str(value or ""))
    return " ".join(sorted(set(country_codes(parts))))


class KeyFigureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publishable.Status.PUBLISHED)

    def headline(self):
        """The figures the home page shows."""
        return self.filter(on_home_page=True)

    def for_country(self, *codes):
        """Figures about any of the countries (ISO 3166-1 alpha-2, any case): a code of the
        figure's ``countries``, matched whole (``IN`` is not in ``CN IT``). Worldwide figures
        name no country and are not returned."""
        condition = Q(pk__in=[])
        for code in country_codes(codes):
            condition |= (
                Q(countries=code)
                | Q(countries__startswith=f"{code} ")
                | Q(countries__endswith=f" {code}")
                | Q(countries__contains=f" {code} ")
            )
        return self.filter(condition)

    def worldwide(self):
        return self.filter(countries="")

    def of_kind(self, *codes):
        """Figures counting any of the tool codes, as the source names the tool (``UMI`` gives
        the figures counting UMIs, not those counting their successors, the IRLs)."""
        return self.filter(kind__in=[str(code).strip().upper() for code in codes if code])

    def newest_first(self):
        """Latest "as of" first; undated figures last."""
        return self.order_by(F("as_of").desc(nulls_last=True), "order", "slug")


class KeyFigure(Publishable, Provenance, SourceNotes, Audited):
    """An officially published figure, with its source and date; never a live count."""

    # What ``compare_with`` may name: one of the portal's live counts, or ``kind:CODE`` for the
    # instruments of a current kind. Core knows no kind: the instruments app installs the
    # lookup of their codes when it starts (``InstrumentsConfig.ready``).
    LIVE_COUNTS = ("offices", "institutions", "agreements", "instruments")
    KIND_PREFIX = "kind:"
    kind_codes: ClassVar[Callable[[], Iterable[str]]] = staticmethod(lambda: ())

    class Qualifier(models.TextChoices):
        EXACT = "exact", pgettext_lazy("figure qualifier", "exactly")
        ABOUT = "about", pgettext_lazy("figure qualifier", "about")
        MORE_THAN = "more_than", pgettext_lazy("figure qualifier", "more than")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_('The number; empty when the source writes no number ("the only", "first").'),
    )
    figure = models.CharField(
        _("figure as written"),
        max_length=100,
        blank=True,
        help_text=_(
            'The figure as the source writes it ("about 80", "5 of 7", "7th"); shown instead '
            "of the value when given."
        ),
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. %"))
    label = models.CharField(_("label"), max_length=300)
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("Date (or start of the year) the figure describes; empty when undated."),
    )
    as_of_precision = date_precision_field(_("as-of date precision"))
    as_of_label = models.CharField(
        _("period"),
        max_length=100,
        blank=True,
        help_text=_('How the source dates it, e.g. "FP7 / Horizon 2020 era".'),
    )
    kind = models.CharField(
        _("tool counted"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_(
            "Code of the CNRS tool the figure counts, as the source names it (IRL, UMI, LIA, "
            "PICS…); empty when it counts something else."
        ),
    )
    countries = models.CharField(
        _("countries"),
        max_length=300,
        blank=True,
        db_index=True,
        help_text=_(
            "ISO codes of the countries the figure is about, separated by spaces (CA JP); "
            "empty for a worldwide figure."
        ),
    )
    compare_with = models.CharField(
        _("live count to compare with"),
        max_length=40,
        blank=True,
        help_text=_(
            'What the portal counts for the same thing: "offices", "institutions", '
            '"agreements", "instruments", or "kind:CODE" (e.g. kind:IRN).'
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    on_home_page = models.BooleanField(
        _("on the home page"),
        default=True,
        help_text=_(
            "Shown among the key figures of the home page (the catalogue's figures are not)."
        ),
    )

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")

    def __str__(self):
        return f"{self.display_value} {self.label}"

    def save(self, *args, **kwargs):
        self.countries = figure_country_codes(self.countries)
        self.kind = self.kind.strip().upper()
        super().save(*args, **kwargs)

    @property
    def country_code_list(self) -> list[str]:
        return self.countries.split()

    @property
    def other_source_list(self) -> list[str]:
        return self.other_source_urls.split()

    @property
    def display_value(self) -> str:
        if self.figure or self.value is None:
            return self.figure
        value = self.value.normalize()
        text = f"{value:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        prefix = {"about": "~", "more_than": "> "}.get(self.qualifier, "")
        return f"{prefix}{text}{self.unit}"

    def clean(self):
        super().clean()
        self.countries = figure_country_codes(self.countries)
        self.kind = self.kind.strip().upper()
        unknown = [code for code in self.country_code_list if code not in ISO_COUNTRIES]
        if unknown:
            raise ValidationError(
                {
                    "countries": ValidationError(
                        _("Not an ISO 3166-1 alpha-2 country code: %(codes)s."),
                        code="unknown_country",
                        params={"codes": ", ".join(unknown)},
                    )
                }
            )
        target = self.compare_with
        if not target or target in self.LIVE_COUNTS:
            return
        code = target.removeprefix(self.KIND_PREFIX)
        if target.startswith(self.KIND_PREFIX) and code in set(self.kind_codes()):
            return
        message = _(
            "Name one of the live counts (%(counts)s) or a current instrument kind as kind:CODE "
            "(e.g. kind:IRN)."
        )
        raise ValidationError(
            {
                "compare_with": ValidationError(
                    message, code="unknown_count", params={"counts": ", ".join(self.LIVE_COUNTS)}
                )
            }
        )


def today() -> datetime.date:
    return timezone.localdate()


def published_prefetch(lookup: str, model, *select_related, to_attr: str | None = None):
    """A ``Prefetch`` of only the published rows of ``model`` along ``lookup``.

    Into ``published_<lookup>`` unless ``to_attr`` says otherwise. The caller names ``model``: a
    layer lists only the records of its own layer or the ones below.
    """
    queryset = model._default_manager.published()
    if select_related:
        queryset = queryset.select_related(*select_related)
    return Prefetch(lookup, queryset=queryset, to_attr=to_attr or f"published_{lookup}")


from core.revisions import Revision  # noqa: E402, F401  (a model of this app, in its own module)
