"""Instruments: the kinds of cooperation tool, networks of them, and each instrument."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import (
    Audited,
    DatedQuerySet,
    Institute,
    Provenance,
    Publishable,
    SourceNotes,
    Theme,
    check_end_after_start,
    date_precision_field,
    date_status,
    end_after_start,
)
from offices.models import Country, Office
from partnerships.models import Agreement, Institution, Milestone

# The longest standard term a kind of tool may set (the status query tries each length).
MAX_TERM_YEARS = 10
# Kinds this portal names for records no source gives a code (fixtures/kinds.toml): their code is
# a filter key, not a code to show beside a record.
DESCRIPTIVE_CODES = frozenset({"PROGRAMME", "INFRASTRUCTURE", "OTHER"})


class KindQuerySet(models.QuerySet):
    def resolve_codes(self, codes) -> list[str]:
        """Current kind codes for the given codes, current or legacy, in any case.

        A current code wins over a legacy name spelled the same (PRC is both the current
        joint research project and one of the names IEA replaced).
        """
        wanted = {str(c).strip().upper() for c in codes if c and str(c).strip()}
        if not wanted:
            return []
        current = set(self.filter(code__in=wanted).values_list("code", flat=True))
        legacy = LegacyName.objects.filter(code__in=wanted - current).values_list(
            "kind__code", flat=True
        )
        return sorted(current | set(legacy))


class Kind(Provenance):
    """A kind of cooperation instrument (IEA, IRP, IRN, IRL, UMIFRE…), with the names it replaced."""

    class CnrsTool(models.TextChoices):
        YES = "yes", _("CNRS cooperation tool")
        NO = "no", _("Partner programme, not a CNRS cooperation tool")
        UNKNOWN = "unknown", _("Code not given by the sources")

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Current acronym, upper case.")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    duration = models.CharField(
        _("typical duration"), max_length=100, blank=True, help_text=_("e.g. 5 years.")
    )
    term_years = models.PositiveSmallIntegerField(
        _("standard term (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_YEARS)],
        help_text=_(
            "How long one term of this tool lasts, when CNRS sets one (5 for an IRP). A record "
            "of it whose end the sources do not give is taken as running for one term from the "
            "latest date the sources give, then as of unknown status. Empty: no set term."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    cnrs_tool = models.CharField(
        _("CNRS cooperation tool"),
        max_length=10,
        choices=CnrsTool.choices,
        default=CnrsTool.YES,
        help_text=_(
            "Whether the kind is one of CNRS's cooperation tools, a partner programme beside them "
            "(Hubert Curien partnerships, IRD laboratories…), or a structure whose code no source gives."
        ),
    )

    objects = KindQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("instrument kind")
        verbose_name_plural = _("instrument kinds")
        constraints = [
            models.CheckConstraint(
                condition=Q(code=models.functions.Upper("code")) & ~Q(code=""),
                name="%(app_label)s_%(class)s_code_upper",
            )
        ]

    @property
    def shown_code(self) -> str:
        """The code to show beside a record: empty for a kind the portal named itself."""
        return "" if self.code in DESCRIPTIVE_CODES else self.code

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return reverse("instruments:list") + f"?kind={self.code}"


class LegacyName(Provenance):
    """A former name of a kind of instrument (LIA, now IRP), still accepted by filters and search."""

    kind = models.ForeignKey(
        Kind, verbose_name=_("current kind"), on_delete=models.CASCADE, related_name="legacy_names"
    )
    code = models.CharField(_("former code"), max_length=20, unique=True)
    name = models.CharField(_("former name"), max_length=200)
    replaced_in = models.PositiveSmallIntegerField(_("replaced in (year)"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("former name")
        verbose_name_plural = _("former names")

    def __str__(self):
        return f"{self.code} → {self.kind.code}"


class NetworkQuerySet(DatedQuerySet):
    country_lookup = "countries__code"
    start_field = "launched_on"
    end_field = "ended_on"

    def in_sector(self, *slugs):
        return self._via("countries__sector__slug", slugs)


class Network(Publishable, Provenance, Audited):
    """A network whose nodes are instruments: the Franco-Chinese carbon-neutrality network (CNC)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    launched_on = models.DateField(
        _("launched on"), null=True, blank=True, help_text=_("Official inauguration.")
    )
    launched_on_precision = date_precision_field(_("launch date precision"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_on_precision = date_precision_field(_("end date precision"))
    themes = models.ManyToManyField(
        Theme,
        verbose_name=_("axes (themes)"),
        blank=True,
        related_name="networks",
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="networks"
    )
    institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("steering institutions"),
        blank=True,
        related_name="networks",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("founding agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="networks",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("following office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="networks",
    )
    milestones = models.ManyToManyField(
        Milestone, verbose_name=_("milestones"), blank=True, related_name="networks"
    )
    website = models.URLField(_("website"), blank=True)
    researchers = models.PositiveIntegerField(
        _("researchers (published figure)"), null=True, blank=True
    )
    laboratories = models.PositiveIntegerField(
        _("laboratories (published figure)"), null=True, blank=True
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [end_after_start("launched_on", "ended_on")]

    def __str__(self):
        return f"{self.acronym} – {self.name}" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("instruments:network", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_end_after_start(self, ("launched_on", "ended_on"))

    @property
    def date_status(self) -> str:
        return date_status(
            self.launched_on,
            self.ended_on,
            start_precision=self.launched_on_precision,
            end_precision=self.ended_on_precision,
            reported=self.checked_on,
        )


# Paths under /instruments/ that are pages of their own, so no instrument may take them.
RESERVED_SLUGS = ["networks", "export", "feeds"]


class InstrumentQuerySet(DatedQuerySet):
    country_lookup = "countries__code"

    def _open_end_holds(self, on):
        """An open end holds for one term of the record's kind (none: no set term)."""
        given = Q(end_on__isnull=False) | Q(start_on__isnull=True)
        condition = given | Q(kind__term_years__isnull=True)
        for years in range(1, MAX_TERM_YEARS + 1):
            condition |= Q(kind__term_years=years) & self._reported_within(on, years)
        return condition

    def with_lineage(self):
        """Prefetch the published predecessors and successors (with their kind) a card names."""
        linked = Instrument.objects.published().select_related("kind").order_by("start_on", "slug")
        return self.prefetch_related(
            models.Prefetch("predecessors", queryset=linked, to_attr="public_predecessors"),
            models.Prefetch("successors", queryset=linked.all(), to_attr="public_successors"),
        )

    def of_kind(self, *codes):
        return self.filter(kind__code__in=Kind.objects.resolve_codes(codes))

    def for_institute(self, *codes):
        return self._via("institutes__code", [str(c).upper() for c in codes if c])

    def for_institution(self, *slugs):
        return self._via("partners__slug", slugs)

    def in_network(self, *slugs):
        return self._via("networks__slug", slugs)

    def in_sector(self, *slugs):
        return self._via("countries__sector__slug", slugs)


class Instrument(Publishable, Provenance, SourceNotes, Audited):
    """One cooperation instrument: a network, a joint project or laboratory, a programme…"""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.ForeignKey(
        Kind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="instruments"
    )
    stated_code = models.CharField(
        _("code as stated"),
        max_length=20,
        blank=True,
        help_text=_(
            "The code the best source uses (UMI, LIA…), when it is not the current kind's."
        ),
    )
    former_codes = models.CharField(
        _("former codes"),
        max_length=100,
        blank=True,
        help_text=_(
            "Other codes the record is known by (UMI for a unit now an IRL), separated by ; ."
        ),
    )
    unit_numbers = models.CharField(
        _("unit numbers"),
        max_length=200,
        blank=True,
        help_text=_("CNRS unit codes the sources give (UMI 3654; IRL 2010), separated by ; ."),
    )
    start_on = models.DateField(_("start"), null=True, blank=True, db_index=True)
    start_on_precision = date_precision_field(_("start date precision"))
    end_on = models.DateField(_("end"), null=True, blank=True, db_index=True)
    end_on_precision = date_precision_field(_("end date precision"))
    summary = models.TextField(_("summary"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="instruments"
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="instruments"
    )
    institutes = models.ManyToManyField(
        Institute, verbose_name=_("CNRS institutes"), blank=True, related_name="instruments"
    )
    partners = models.ManyToManyField(
        Institution,
        verbose_name=_("partner institutions"),
        blank=True,
        related_name="instruments",
    )
    coordinators = models.CharField(
        _("coordinators"),
        max_length=300,
        blank=True,
        help_text=_("Names of the coordinators, as published."),
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("following office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("launched under agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments",
    )
    networks = models.ManyToManyField(
        Network, verbose_name=_("node of networks"), blank=True, related_name="nodes"
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("predecessors"),
        symmetrical=False,
        blank=True,
        related_name="successors",
        help_text=_(
            "The distinct earlier structures this one grew out of (a LIA that became an IRP; "
            "both LIAs that merged into one). A unit that only changed its code (UMI → IRL) is "
            "the same record: give the old code under former codes instead."
        ),
    )
    milestones = models.ManyToManyField(
        Milestone, verbose_name=_("milestones"), blank=True, related_name="instruments"
    )
    city = models.CharField(
        _("city"),
        max_length=200,
        blank=True,
        help_text=_("Where the structure is located, as the sources give it (several: ; )."),
    )
    website = models.URLField(_("website"), blank=True)
    image = models.ImageField(_("image"), upload_to="instruments/", blank=True)
    image_credit = models.CharField(_("image credit"), max_length=200, blank=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "slug"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            end_after_start("start_on", "end_on"),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_credit=""),
                name="%(app_label)s_%(class)s_image_has_credit",
            ),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="%(app_label)s_%(class)s_slug_not_reserved",
            ),
        ]

    def __str__(self):
        return f"{self.acronym} – {self.title}" if self.acronym else self.title

    def get_absolute_url(self):
        return reverse("instruments:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_end_after_start(self, ("start_on", "end_on"))
        if self.image and not self.image_credit:
            raise ValidationError({"image_credit": _("An image needs a credit line.")})
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This slug is reserved for a page of the site.")})

    @property
    def former_names(self) -> list[str]:
        """The codes it was known by, with the unit number under each where a source gives one.

        ``UMI`` with the unit number ``UMI 3654`` is ``UMI 3654``; a unit number under its current
        code (``IRL 2010``) is not a former name.
        """
        units = split_codes(self.unit_numbers)
        names = []
        for code in split_codes(self.former_codes):
            numbered = [unit for unit in units if unit.upper().startswith(f"{code.upper()} ")]
            names.extend(numbered or [code])
        return names

    @property
    def stated_code_if_new(self) -> str:
        """The code its main source uses, unless the former names already say it."""
        former = {name.split()[0].upper() for name in self.former_names}
        return "" if self.stated_code.upper() in former else self.stated_code

    @property
    def current_unit_numbers(self) -> list[str]:
        """Its unit numbers that are not under a former code (IRL 2010, USR 3336)."""
        former = {name.upper() for name in self.former_names}
        return [unit for unit in split_codes(self.unit_numbers) if unit.upper() not in former]

    def _lineage(self) -> tuple[list["LineageNode"], list["LineageNode"]]:
        """Both trees of the lineage, from two queries whatever its length or width."""
        if getattr(self, "_lineage_cache", None) is None:
            self._lineage_cache = lineage_trees(self)
        return self._lineage_cache

    def lineage_before(self) -> list["LineageNode"]:
        """The published structures this one grew out of: each with those it grew out of."""
        return self._lineage()[0]

    def lineage_after(self) -> list["LineageNode"]:
        """The published structures that continued this one: each with those that continued it."""
        return self._lineage()[1]

    @property
    def date_status(self) -> str:
        return date_status(
            self.start_on,
            self.end_on,
            start_precision=self.start_on_precision,
            end_precision=self.end_on_precision,
            reported=self.checked_on,
            reported_precision=self.checked_on_precision,
            open_end_years=self.kind.term_years,
        )


def split_codes(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


@dataclass
class LineageNode:
    """One structure in a lineage tree, with the ones further along the same way."""

    instrument: Instrument
    branches: list["LineageNode"] = field(default_factory=list)


def lineage_trees(instrument) -> tuple[list[LineageNode], list[LineageNode]]:
    """What ``instrument`` grew out of and what continued it, as trees of published records.

    The published links are read at once (a few dozen pairs), then walked both ways; each record
    appears once even where two paths meet, and a loop stops the walk.
    """
    published = Publishable.Status.PUBLISHED
    links = Instrument.predecessors.through.objects.filter(
        from_instrument__status=published, to_instrument__status=published
    ).values_list("from_instrument_id", "to_instrument_id")
    earlier, later = defaultdict(list), defaultdict(list)
    for successor, predecessor in links:
        earlier[successor].append(predecessor)
        later[predecessor].append(successor)

    def reach(graph):
        found, todo = set(), [instrument.pk]
        while todo:
            for pk in graph.get(todo.pop(), ()):
                if pk not in found and pk != instrument.pk:
                    found.add(pk)
                    todo.append(pk)
        return found

    before, after = reach(earlier), reach(later)
    records = (
        {
            obj.pk: obj
            for obj in Instrument.objects.filter(pk__in=before | after).select_related("kind")
        }
        if before or after
        else {}
    )

    def order(pk):
        obj = records[pk]
        return (obj.start_on or datetime.date.max, obj.slug)

    def grow(graph, pk, seen):
        nodes = []
        for next_pk in sorted((p for p in graph.get(pk, ()) if p in records), key=order):
            if next_pk in seen:
                continue
            seen.add(next_pk)
            nodes.append(LineageNode(records[next_pk], grow(graph, next_pk, seen)))
        return nodes

    return grow(earlier, instrument.pk, {instrument.pk}), grow(
        later, instrument.pk, {instrument.pk}
    )
