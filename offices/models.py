"""Offices: the four geographic sectors, every ISO country, the offices and what they cover."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import (
    Audited,
    CatalogQuerySet,
    Provenance,
    Publishable,
    SourceNotes,
    check_end_after_start,
    country_codes,
    end_after_start,
    today,
)

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2200)]
PHONE_VALIDATOR = RegexValidator(
    r"^\+[0-9][0-9 .()-]{5,28}[0-9]$",
    _("An international number starting with +, digits, spaces, dots, dashes or brackets."),
)


def contact_source_fields():
    """Where a record's contacts come from: often not the page its other facts come from."""
    return (
        models.CharField(
            _("source of the contacts"),
            max_length=300,
            blank=True,
            help_text=_("Title of the page the contacts were taken from."),
        ),
        models.URLField(
            _("source of the contacts (link)"),
            max_length=500,
            blank=True,
            help_text=_("Address of that page."),
        ),
    )


class Sector(Provenance):
    """One of the four geographic poles of CNRS international cooperation."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    contact_page = models.URLField(
        _("contact page"),
        max_length=500,
        blank=True,
        help_text=_(
            "The CNRS international department's page for this sector: the contact given on "
            "the dossiers of countries no office covers."
        ),
    )
    contact_source_title, contact_source_url = contact_source_fields()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offices:sector", kwargs={"slug": self.slug})


class CountryQuerySet(models.QuerySet):
    def for_country(self, *codes):
        return self.filter(code__in=country_codes(codes))

    def in_sector(self, *slugs):
        return self.filter(sector__slug__in=slugs)


class Country(models.Model):
    """One ISO 3166-1 country; names and flags in every language come from django-countries."""

    code = CountryField(_("country"), unique=True, help_text=_("ISO 3166-1 alpha-2 code."))
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("Filled from the ISO list when loaded; used for search and sorting."),
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="countries",
        help_text=_("The geographic pole that follows this country."),
    )
    science_service_name = models.CharField(
        _("embassy science service"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name of the French embassy's science service as a source gives it; empty when "
            "no source names it."
        ),
    )
    science_service_url = models.URLField(
        _("embassy science service: page"), max_length=500, blank=True
    )
    science_service_email = models.EmailField(
        _("embassy science service: e-mail"),
        blank=True,
        help_text=_("The service's generic address as published, never a person's address."),
    )
    science_service_source_title = models.CharField(
        _("source of the science service"), max_length=300, blank=True
    )
    science_service_source_url = models.URLField(
        _("source of the science service (link)"), max_length=500, blank=True
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name or str(self.code.name)

    def get_absolute_url(self):
        return reverse("countries:detail", kwargs={"iso2": self.iso2})

    def clean(self):
        super().clean()
        has_service = self.science_service_url or self.science_service_email
        if has_service and not self.science_service_source_title:
            raise ValidationError(
                {"science_service_source_title": _("Name the source of the science service.")}
            )

    @property
    def has_science_service(self) -> bool:
        return bool(self.science_service_url or self.science_service_email)

    @property
    def iso2(self) -> str:
        return str(self.code).lower()


def not_closed(prefix: str = "") -> Q:
    """Offices (through ``prefix``, e.g. ``office__``) with neither a closing year nor a
    closure at an unknown date: the one test of whether an office is open."""
    return Q(**{f"{prefix}closed__isnull": True, f"{prefix}closed_year_unknown": False})


class OfficeQuerySet(CatalogQuerySet):
    country_lookup = "coverages__country__code"
    theme_lookup = None

    def open(self):
        """Offices that have not closed, in a known year or at an unknown date."""
        return self.filter(not_closed())

    def closed_offices(self):
        return self.exclude(not_closed())

    def in_sector(self, *slugs):
        return self.filter(sector__slug__in=slugs)


class Office(Publishable, Provenance, SourceNotes, Audited):
    """A CNRS representative office abroad, open or closed."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=120)
    country = models.ForeignKey(
        Country,
        verbose_name=_("host country"),
        on_delete=models.PROTECT,
        related_name="hosted_offices",
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="offices"
    )
    opened = models.PositiveSmallIntegerField(
        _("opened (year)"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    closed = models.PositiveSmallIntegerField(
        _("closed (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("For an office that closed or moved; empty while it is open."),
    )
    closed_year_unknown = models.BooleanField(
        _("closed, year unknown"),
        default=False,
        help_text=_(
            "For an office that closed or moved when no source gives the year; the closing "
            "year then stays empty."
        ),
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("replaced office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        help_text=_("The office this one took over from (Rio de Janeiro → Sao Paulo)."),
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("The office's generic address as it publishes it, never a person's address."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_page = models.URLField(
        _("contact page"),
        max_length=500,
        blank=True,
        help_text=_("The page of the office's website that tells how to reach it."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        validators=[PHONE_VALIDATOR],
        help_text=_("The office's switchboard as it publishes it, in international form (+27 …)."),
    )
    contact_role = models.CharField(
        _("contact role"),
        max_length=150,
        blank=True,
        help_text=_(
            "An official role title such as “Director of the office”, as the office publishes "
            "it; never a person's name."
        ),
    )
    contact_source_title, contact_source_url = contact_source_fields()
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    photo = models.ImageField(_("photo"), upload_to="offices/", blank=True)
    photo_credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("office editors"),
        blank=True,
        related_name="edited_offices",
        help_text=_(
            "Staff accounts of this office: with the Office editor role they may edit this "
            "office and the records it follows, and propose them for publication."
        ),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            end_after_start("opened", "closed", "closed_after_opened"),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_credit=""),
                name="%(app_label)s_%(class)s_photo_has_credit",
            ),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(closed_year_unknown=False),
                name="%(app_label)s_%(class)s_closing_year_or_unknown",
            ),
        ]
        indexes = [models.Index(fields=["closed"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offices:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        check_end_after_start(self, ("opened", "closed"))
        if self.photo and not self.photo_credit:
            raise ValidationError({"photo_credit": _("A photo needs a credit line.")})
        if (self.contact_page or self.phone or self.contact_role) and not self.contact_source_title:
            raise ValidationError(
                {"contact_source_title": _("Name the page these contacts were taken from.")}
            )
        if self.closed is not None and self.closed_year_unknown:
            raise ValidationError(
                {"closed_year_unknown": _("Give the closing year or tick this, not both.")}
            )

    @property
    def has_contact(self) -> bool:
        return bool(self.address or self.email or self.website or self.contact_page or self.phone)

    @property
    def is_reachable(self) -> bool:
        """Whether it publishes a way to write or call to it (an address line is not one)."""
        return bool(self.email or self.website or self.contact_page or self.phone)

    @property
    def phone_uri(self) -> str:
        """The phone as a ``tel:`` target: the plus sign and the digits."""
        return "+" + "".join(c for c in self.phone if c.isdigit()) if self.phone else ""

    @property
    def is_closed(self) -> bool:
        """Closed in ``closed`` or, without a year, at an unknown date (``closed_year_unknown``)."""
        return self.closed is not None or self.closed_year_unknown

    @property
    def is_open(self) -> bool:
        return not self.is_closed

    def check_covers_host_country(self, country_ids) -> None:
        """Refuse coverage rows that leave out the host country: ``country_ids`` are the
        countries the office's rows name once saved (the admin's coverage inline and the
        reference data loader ask before saving them)."""
        if self.country_id is not None and self.country_id not in set(country_ids):
            raise ValidationError(
                _("The host country, %(country)s, must be among the countries the office covers."),
                code="host_country_not_covered",
                params={"country": self.country},
            )


class CoverageQuerySet(models.QuerySet):
    """Coverage in a year and before it. An office covers nothing after its closing year, and
    nothing at all "now" when it is closed at an unknown date."""

    def current(self, on_year=None):
        year = on_year or today().year
        return self.filter(
            Q(start_year__isnull=True) | Q(start_year__lte=year),
            Q(end_year__isnull=True) | Q(end_year__gte=year),
            not_closed("office__") | Q(office__closed__gte=year),
        )

    def past(self, on_year=None):
        year = on_year or today().year
        return self.filter(
            Q(end_year__lt=year) | Q(office__closed__lt=year) | Q(office__closed_year_unknown=True)
        )


class Coverage(Provenance):
    """An office following a country, from and until which year."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="coverages"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="coverages"
    )
    start_year = models.PositiveSmallIntegerField(
        _("from (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Empty: since the office opened."),
    )
    end_year = models.PositiveSmallIntegerField(
        _("until (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Last year the office covered the country; empty while it still does."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = CoverageQuerySet.as_manager()

    class Meta:
        ordering = ["office", "country"]
        verbose_name = _("coverage")
        verbose_name_plural = _("coverages")
        constraints = [
            end_after_start("start_year", "end_year"),
            models.UniqueConstraint(
                fields=["office", "country", "start_year"],
                name="%(app_label)s_%(class)s_unique_period",
            ),
        ]
        indexes = [models.Index(fields=["country", "end_year"])]

    def __str__(self):
        return f"{self.office} – {self.country} ({self.period})"

    def clean(self):
        super().clean()
        check_end_after_start(self, ("start_year", "end_year"))

    @property
    def period(self) -> str:
        start = self.start_year or (self.office.opened if self.office_id else None) or ""
        end = self.end_year or ""
        return f"{start}–{end}" if start or end else ""

    @property
    def is_current(self) -> bool:
        year = today().year
        office = self.office
        return (
            (office.is_open or (office.closed is not None and office.closed >= year))
            and (self.start_year is None or self.start_year <= year)
            and (self.end_year is None or self.end_year >= year)
        )
