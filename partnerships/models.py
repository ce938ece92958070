"""Partnerships: partner institutions, signed agreements, joint calls and the cooperation's milestones."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import (
    Audited,
    CatalogQuerySet,
    DatedQuerySet,
    DatePrecision,
    Provenance,
    Publishable,
    SourceNotes,
    Theme,
    check_end_after_start,
    date_precision_field,
    date_status,
    end_after_start,
    today,
)
from offices.models import Country, Office

# A ROR id: "0", six characters of Crockford base32 in lower case (no i, l, o, u), two check digits.
ROR_PATTERN = r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$"
ror_validator = RegexValidator(
    ROR_PATTERN,
    _(
        "A ROR id has nine characters: a 0, six letters or digits (no i, l, o, u) and two "
        "digits, e.g. 02feahw73."
    ),
)


# A BCP 47 language tag as the portal takes it: a language (2–3 letters), then optionally a
# script (4 letters), a region (2 letters or 3 digits) and variants, e.g. zh, zh-Hans, sr-Latn-RS.
LANGUAGE_TAG_PATTERN = (
    r"^[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$"
)
language_tag_validator = RegexValidator(
    LANGUAGE_TAG_PATTERN,
    _(
        "A BCP 47 language tag: a language code, then optionally a script and a region, "
        "separated by hyphens, e.g. zh, zh-Hans, ja, ru, ar."
    ),
    flags=re.IGNORECASE,
)


def normalize_language_tag(tag: str) -> str:
    """The conventional case of a BCP 47 tag: ``zh-hans-cn`` → ``zh-Hans-CN``."""
    parts = tag.strip().split("-")
    if not parts or not parts[0]:
        return ""
    result = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            result.append(part.title())
        elif len(part) == 2 and part.isalpha():
            result.append(part.upper())
        else:
            result.append(part.lower())
    return "-".join(result)


class InstitutionQuerySet(CatalogQuerySet):
    country_lookup = "country__code"
    theme_lookup = None

    def in_sector(self, *slugs):
        return self.filter(country__sector__slug__in=slugs)


class Institution(Publishable, Provenance, SourceNotes, Audited):
    """A partner organisation, foreign or French: academy, university, agency, laboratory…"""

    class Kind(models.TextChoices):
        ACADEMY = "academy", _("Academy")
        UNIVERSITY = "university", _("University")
        FUNDING_AGENCY = "funding_agency", _("Funding agency")
        MINISTRY = "ministry", _("Ministry")
        RESEARCH_ORGANISATION = "research_organisation", _("Research organisation")
        LABORATORY = "laboratory", _("Laboratory")
        OTHER = "other", pgettext_lazy("institution kind", "Other")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True, db_index=True)
    name_native = models.CharField(
        _("name in its own script"),
        max_length=300,
        blank=True,
        help_text=_(
            "The institution's own name in its language and script (e.g. 中国科学院), "
            "only when a source gives it."
        ),
    )
    name_native_lang = models.CharField(
        _("language of that name"),
        max_length=35,
        blank=True,
        validators=[language_tag_validator],
        help_text=_("Its BCP 47 language tag, e.g. zh-Hans, ja, ru; required with the name."),
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER, db_index=True
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("Where the institution is based; empty for an international body."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("e.g. an institute of the Chinese Academy of Sciences, a lab's university."),
    )
    ror_id = models.CharField(
        _("ROR id"),
        max_length=9,
        blank=True,
        validators=[ror_validator],
        help_text=_("Research Organization Registry identifier, e.g. 02feahw73 (unique)."),
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="institutions/", blank=True)
    description = models.TextField(_("description"), blank=True)
    offices_operated = models.ManyToManyField(
        Office,
        verbose_name=_("offices run jointly with CNRS"),
        blank=True,
        related_name="joint_operators",
        help_text=_("Offices this institution runs together with CNRS (IRD in Pretoria)."),
    )

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["ror_id"],
                condition=~Q(ror_id=""),
                name="%(app_label)s_%(class)s_unique_ror",
            ),
            models.CheckConstraint(
                condition=Q(ror_id="") | Q(ror_id__regex=ROR_PATTERN),
                name="%(app_label)s_%(class)s_ror_format",
            ),
            models.CheckConstraint(
                condition=Q(name_native_lang="") | Q(name_native_lang__iregex=LANGUAGE_TAG_PATTERN),
                name="%(app_label)s_%(class)s_native_lang_format",
            ),
            models.CheckConstraint(
                condition=Q(name_native="", name_native_lang="")
                | (~Q(name_native="") & ~Q(name_native_lang="")),
                name="%(app_label)s_%(class)s_native_name_with_lang",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self):
        super().clean()
        self.name_native = self.name_native.strip()
        self.name_native_lang = normalize_language_tag(self.name_native_lang)
        if self.name_native and not self.name_native_lang:
            raise ValidationError(
                {"name_native_lang": _("Give the language tag of the name in its own script.")}
            )
        if self.name_native_lang and not self.name_native:
            raise ValidationError(
                {"name_native": _("Give the name in its own script, or leave its language empty.")}
            )

    def get_absolute_url(self):
        return reverse("institutions:detail", kwargs={"slug": self.slug})

    @property
    def ror_url(self) -> str:
        return f"https://ror.org/{self.ror_id}" if self.ror_id else ""


class AgreementQuerySet(DatedQuerySet):
    country_lookup = "countries__code"
    start_field = "signed_on"
    end_field = "expires_on"
    renewal_field = "renewed_on"

    def in_sector(self, *slugs):
        return self._via("countries__sector__slug", slugs)

    def for_institution(self, *slugs):
        return self._via("parties__slug", slugs)


class Agreement(Publishable, Provenance, SourceNotes, Audited):
    """A signed partnership between CNRS (or the French State) and foreign institutions."""

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("Framework agreement")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        ADMINISTRATIVE = "administrative", _("Administrative agreement")
        JOINT_CALL = "joint_call", _("Joint call agreement")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental agreement")
        BILATERAL = "bilateral", _("Bilateral agreement")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    parties = models.ManyToManyField(
        Institution, verbose_name=_("parties"), blank=True, related_name="agreements"
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="agreements"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="agreements"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, db_index=True)
    signed_on_precision = date_precision_field(_("signature date precision"))
    renewed_on = models.DateField(_("renewed on"), null=True, blank=True)
    renewed_on_precision = date_precision_field(_("renewal date precision"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    expires_on_precision = date_precision_field(_("expiry date precision"))
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("document (PDF)"),
        upload_to="agreements/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("following office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "slug"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            end_after_start("signed_on", "expires_on", "expires_after_signed"),
            end_after_start("signed_on", "renewed_on", "renewed_after_signed"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_end_after_start(self, ("signed_on", "expires_on"), ("signed_on", "renewed_on"))

    @property
    def date_status(self) -> str:
        return date_status(
            self.signed_on,
            self.expires_on,
            start_precision=self.signed_on_precision,
            end_precision=self.expires_on_precision,
            renewed=self.renewed_on,
            renewed_precision=self.renewed_on_precision,
            reported=self.checked_on,
            reported_precision=self.checked_on_precision,
        )


class CallQuerySet(DatedQuerySet):
    """A call whose deadline the sources do not give is over once its projects have started."""

    country_lookup = "countries__code"
    start_field = "opens_on"
    end_field = "closes_on"
    # A call with no deadline given is taken as open for a year from its opening, no longer.
    open_end_years = 1
    reported_fields = ()

    def _dated(self):
        return super()._dated() | Q(projects_start__isnull=False)

    def _open_end_holds(self, on):
        return super()._open_end_holds(on) | Q(projects_start__isnull=False)

    def _not_ended(self, on):
        return (Q(closes_on__isnull=False) & self._not_before("closes_on", on)) | Q(
            Q(projects_start__isnull=True) | Q(projects_start__gt=on), closes_on__isnull=True
        )

    def _ended(self, on):
        return (Q(closes_on__isnull=False) & ~self._not_before("closes_on", on)) | Q(
            closes_on__isnull=True, projects_start__lte=on
        )

    def open_first(self, on=None):
        """Open calls first (soonest deadline first), then upcoming ones, then past ones."""
        on = on or today()
        is_open = self._active(on)
        rank = Case(
            When(is_open, then=Value(0)),
            When(~self._started(on), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return self.annotate(open_rank=rank).order_by(
            "open_rank",
            Case(When(open_rank__lt=2, then="closes_on")).asc(nulls_last=True),
            F("closes_on").desc(nulls_last=True),
            F("opens_on").desc(nulls_last=True),
            "slug",
        )

    def open_now(self, on=None):
        return self.active(on=on)

    def in_sector(self, *slugs):
        return self._via("countries__sector__slug", slugs)

    def for_institution(self, *slugs):
        return self._via("funders__slug", slugs)


class Call(Publishable, Provenance, SourceNotes, Audited):
    """A call for joint projects, usually run under an agreement (the CNRS–NSFC call)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    funders = models.ManyToManyField(
        Institution, verbose_name=_("funders"), blank=True, related_name="calls"
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="calls"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="calls"
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True, db_index=True)
    opens_on_precision = date_precision_field(_("opening date precision"))
    closes_on = models.DateField(_("closes on (deadline)"), null=True, blank=True, db_index=True)
    closes_on_precision = date_precision_field(_("deadline precision"))
    max_projects = models.PositiveSmallIntegerField(
        _("projects funded (at most)"), null=True, blank=True
    )
    funding = models.CharField(
        _("funding"), max_length=300, blank=True, help_text=_("e.g. up to €20,000 per project.")
    )
    projects_start = models.DateField(_("projects start"), null=True, blank=True)
    projects_start_precision = date_precision_field(_("projects start precision"))
    projects_end = models.DateField(_("projects end"), null=True, blank=True)
    projects_end_precision = date_precision_field(_("projects end precision"))
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("call page"), blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("following office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_on", "slug"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            end_after_start("opens_on", "closes_on", "closes_after_opens"),
            end_after_start("projects_start", "projects_end", "projects_end_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_end_after_start(self, ("opens_on", "closes_on"), ("projects_start", "projects_end"))

    @property
    def date_status(self) -> str:
        end, end_precision = self.closes_on, self.closes_on_precision
        if end is None and self.projects_start is not None:
            end = self.projects_start - datetime.timedelta(days=1)
            end_precision = DatePrecision.DAY
        return date_status(
            self.opens_on,
            end,
            start_precision=self.opens_on_precision,
            end_precision=end_precision,
            open_end_years=CallQuerySet.open_end_years,
        )

    @property
    def is_open(self) -> bool:
        return self.date_status == "active"


class MilestoneQuerySet(CatalogQuerySet):
    country_lookup = "countries__code"

    def for_institution(self, *slugs):
        return self._via("institutions__slug", slugs)

    def during_year(self, *years):
        return self.filter(date__year__in=years)

    def in_sector(self, *slugs):
        return self._via("countries__sector__slug", slugs)


class Milestone(Publishable, Provenance, SourceNotes, Audited):
    """A dated event in the story of a cooperation (an agreement signed, a delegation's visit)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty when the sources do not date the event."),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How precisely the source dates the event (only the year, the month…)."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="milestones"
    )
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("agreements"), blank=True, related_name="milestones"
    )
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions"), blank=True, related_name="milestones"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="milestones"
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["date", "slug"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        # Office facts from the reference data may have no date.
        return f"{self.date:%Y-%m-%d} {self.title}" if self.date else self.title

    @property
    def is_past(self) -> bool:
        return self.date is not None and self.date <= today()
