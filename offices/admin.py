"""Admin for sectors, countries, offices and their coverage; the office editors' scope.

An office editor is a staff account attached to one or more offices (``Office.editors``) whose
role lacks the ``offices.edit_all_offices`` permission. Such a user changes only the records
their offices follow: the offices themselves, and the instruments, agreements and calls followed
by those offices or concerning a country they currently cover. ``OfficeScopedMixin`` enforces it
on every path the admin offers: the change form, a crafted POST, inlines, bulk actions, revert.
"""

import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Exists, F, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationTabularInline

from core.admin import (
    PROVENANCE_FIELDSET,
    PUBLICATION_FIELDSET,
    RECORD_FIELDSET,
    AttentionFilter,
    Check,
    CuratedAdmin,
    ImportAdminMixin,
    PublishableAdmin,
    ReferenceAdmin,
    SourceFilter,
)
from core.models import today
from offices.models import Country, Coverage, Office, Sector
from offices.resources import CoverageResource

EDIT_ALL_OFFICES = "offices.edit_all_offices"
# Rows deleted by the cascade of an office's deletion are those deleted within this window.
CASCADE_WINDOW = datetime.timedelta(minutes=1)


def edits_all_offices(user) -> bool:
    """DERCI editors (and superusers) are not limited to some offices' records."""
    return user.is_active and (user.is_superuser or user.has_perm(EDIT_ALL_OFFICES))


def own_office_ids(user) -> frozenset[int]:
    """The offices a user is attached to, read once per request."""
    cached = getattr(user, "_own_office_ids", None)
    if cached is None:
        cached = frozenset()
        if user.is_authenticated:
            cached = frozenset(Office.objects.filter(editors=user).values_list("pk", flat=True))
        user._own_office_ids = cached
    return cached


def own_country_ids(user) -> frozenset[int]:
    """The countries the user's offices host or cover now, read once per request."""
    cached = getattr(user, "_own_country_ids", None)
    if cached is None:
        offices = own_office_ids(user)
        cached = frozenset()
        if offices:
            covered = Coverage.objects.current().filter(office__in=offices)
            hosts = Office.objects.filter(pk__in=offices)
            cached = frozenset(covered.values_list("country", flat=True)) | frozenset(
                hosts.values_list("country", flat=True)
            )
        user._own_country_ids = cached
    return cached


class OfficeScopedMixin:
    """Office editors change only the records their own offices follow.

    ``office_field`` names the foreign key to the following office ("pk" for an office
    itself); ``countries_field`` the many-to-many to the countries a record concerns.
    Everyone with the view permission still reads every record.
    """

    office_field = "office"
    countries_field: str | None = "countries"

    def is_scoped(self, request) -> bool:
        return not edits_all_offices(request.user)

    def is_in_scope(self, request, obj) -> bool:
        if not self.is_scoped(request):
            return True
        offices = own_office_ids(request.user)
        if self.office_field == "pk":
            return obj.pk in offices
        if getattr(obj, f"{self.office_field}_id") in offices:
            return True
        if self.countries_field and obj.pk:
            countries = own_country_ids(request.user)
            related = getattr(obj, self.countries_field)
            return bool(countries) and related.filter(pk__in=countries).exists()
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.is_in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.is_in_scope(request, obj))

    def get_form(self, request, obj=None, **kwargs):
        """An office editor files a record under one of their own offices."""
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get(self.office_field)
        if field is not None and self.is_scoped(request):
            allowed = set(own_office_ids(request.user))
            current = getattr(obj, f"{self.office_field}_id", None) if obj else None
            if current:
                allowed.add(current)
            field.queryset = Office.objects.filter(pk__in=allowed)
            if obj is None:
                field.required = True
                field.help_text = _("One of your offices; it will follow this record.")
        return form


class SectorFilter(admin.SimpleListFilter):
    """Records of one geographic pole: through ``in_sector()`` or a direct lookup."""

    title = _("sector")
    parameter_name = "sector"
    lookup: str | None = None

    def lookups(self, request, model_admin):
        return [(sector.slug, sector.name) for sector in Sector.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.lookup:
            return queryset.filter(**{self.lookup: self.value()})
        return queryset.in_sector(self.value())


class CountrySectorFilter(SectorFilter):
    lookup = "sector__slug"


class MyOfficesFilter(admin.SimpleListFilter):
    """For an office editor: the records of their own offices."""

    title = _("follow-up")
    parameter_name = "mine"
    office_lookup = "office__in"

    def lookups(self, request, model_admin):
        return [("1", _("Followed by my offices"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(**{self.office_lookup: own_office_ids(request.user)})
        return queryset


# --- reference data ----------------------------------------------------------------------------


@admin.register(Sector)
class SectorAdmin(ReferenceAdmin):
    list_display = ["name", "slug", "order", "country_count", "office_count"]
    list_filter = [SourceFilter]
    search_fields = ["slug", "name_fr", "name_en"]
    fieldsets = [
        (
            None,
            {
                "fields": [("name_fr", "name_en"), "slug", "order"],
                "description": _(
                    "The four geographic poles are reference data loaded with the site; ask an "
                    "administrator to correct one."
                ),
            },
        ),
        (_("Description"), {"fields": [("description_fr", "description_en")]}),
        (
            _("Contact"),
            {
                "fields": ["contact_page", ("contact_source_title", "contact_source_url")],
                "description": _(
                    "The CNRS international department's page for this sector, given on the "
                    "dossiers of the countries no office covers."
                ),
            },
        ),
        PROVENANCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_countries=Count("countries", distinct=True),
                n_offices=Count("offices", distinct=True),
            )
        )

    @admin.display(description=_("countries"), ordering="n_countries")
    def country_count(self, obj):
        return obj.n_countries

    @admin.display(description=_("offices"), ordering="n_offices")
    def office_count(self, obj):
        return obj.n_offices


@admin.register(Country)
class CountryAdmin(ReferenceAdmin):
    list_display = ["code", "name", "sector"]
    list_filter = [CountrySectorFilter]
    search_fields = ["code", "name_fr", "name_en"]
    list_select_related = ["sector"]
    autocomplete_fields = ["sector"]
    fieldsets = [
        (
            None,
            {
                "fields": ["code", ("name_fr", "name_en"), "sector"],
                "description": _(
                    "One row per ISO 3166-1 country, loaded with the site, each in the sector "
                    "that follows it. Every relation to a country points here."
                ),
            },
        ),
        (
            _("Science service of the French embassy"),
            {
                "fields": [
                    ("science_service_name_fr", "science_service_name_en"),
                    ("science_service_url", "science_service_email"),
                    ("science_service_source_title", "science_service_source_url"),
                ],
                "description": _(
                    "Only what a source gives: its page or generic address, its name if the "
                    "source names it, and that source. Shown on the country dossier."
                ),
            },
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        """A two-letter code finds its country first, whatever the case."""
        if len(search_term.strip()) == 2:
            search_term = search_term.strip().upper() if search_term.isalpha() else search_term
        return super().get_search_results(request, queryset, search_term)


# --- offices and their coverage ----------------------------------------------------------------


def _open_coverage_after_closing():
    return Coverage.objects.filter(office=OuterRef("pk"), office__closed__isnull=False).filter(
        Q(end_year__isnull=True) | Q(end_year__gt=OuterRef("closed"))
    )


class OfficeAttentionFilter(AttentionFilter):
    checks = {
        "no-contact": Check(
            label=_("No contact"),
            message=lambda n: (
                ngettext(
                    "%(count)d office has no contact (no address, e-mail, phone or website).",
                    "%(count)d offices have no contact (no address, e-mail, phone or website).",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.filter(address="", email="", website="", contact_page="", phone=""),
        ),
        "no-country": Check(
            label=_("Covers no country now"),
            message=lambda n: (
                ngettext(
                    "%(count)d open office covers no country now.",
                    "%(count)d open offices cover no country now.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.open().exclude(
                Exists(Coverage.objects.current().filter(office=OuterRef("pk")))
            ),
        ),
        "host-not-covered": Check(
            label=_("Host country not among its countries"),
            message=lambda n: (
                ngettext(
                    "%(count)d office does not list its host country among the countries it covers.",
                    "%(count)d offices do not list their host country among the countries they cover.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.exclude(
                Exists(Coverage.objects.filter(office=OuterRef("pk"), country=OuterRef("country")))
            ),
        ),
        "closed-still-covering": Check(
            label=_("Closed, coverage still open"),
            message=lambda n: (
                ngettext(
                    "%(count)d closed office still covers countries after closing.",
                    "%(count)d closed offices still cover countries after closing.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.filter(Exists(_open_coverage_after_closing())),
        ),
    }


class OpenClosedFilter(admin.SimpleListFilter):
    title = _("open or closed")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "closed":
            return queryset.closed_offices()
        return queryset


class OfficeSectorFilter(SectorFilter):
    lookup = "sector__slug"


class OfficeMineFilter(MyOfficesFilter):
    office_lookup = "pk__in"


class CoverageFormSet(BaseInlineFormSet):
    """An office's coverage rows, refused together when a change leaves out its host country.

    Only a change of the rows or of the host country is checked, so an office whose rows
    already leave it out can still have its other fields edited (the attention filter lists it).
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        office = self.instance
        deleted = [
            form for form in self.forms if self.can_delete and self._should_delete_form(form)
        ]
        rows_changed = bool(deleted) or any(form.has_changed() for form in self.forms)
        host_changed = office._state.adding or not (
            Office.objects.filter(pk=office.pk, country_id=office.country_id).exists()
        )
        if not (rows_changed or host_changed):
            return
        kept = [form for form in self.forms if form not in deleted]
        # A row shown read-only is cleaned to its initial values: the country's pk.
        countries = [form.cleaned_data.get("country", form.instance.country_id) for form in kept]
        office.check_covers_host_country([getattr(c, "pk", c) for c in countries])


class CoverageInline(TranslationTabularInline):
    """The countries an office follows, each from and until which year."""

    model = Coverage
    formset = CoverageFormSet
    extra = 0
    autocomplete_fields = ["country"]
    fields = ["country", "start_year", "end_year", "note_fr", "note_en", "source_url"]
    verbose_name_plural = _("countries covered (from / until which year)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


@admin.register(Office)
class OfficeAdmin(OfficeScopedMixin, PublishableAdmin):
    office_field = "pk"
    countries_field = None
    image_fields = ("photo",)
    inlines = [CoverageInline]
    list_display = [
        "name",
        "city",
        "country",
        "sector",
        "opened",
        "closed",
        "current_countries",
        "publication",
    ]
    list_filter = [
        OfficeMineFilter,
        OfficeSectorFilter,
        "status",
        OpenClosedFilter,
        OfficeAttentionFilter,
        SourceFilter,
    ]
    search_fields = ["slug", "name_fr", "name_en", "city_fr", "city_en", "country__name_fr"]
    list_select_related = ["country", "sector"]
    autocomplete_fields = ["country", "sector", "predecessor", "editors"]
    prepopulated_fields = {"slug": ("name_fr",)}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_fr", "name_en"),
                    "slug",
                    ("city_fr", "city_en"),
                    ("country", "sector"),
                    ("opened", "closed", "closed_year_unknown"),
                    "predecessor",
                    "order",
                ],
                "description": _(
                    "An office closes (the year it closed) rather than being deleted; an office "
                    "that moved names the one it replaced (Rio de Janeiro → Sao Paulo). Its host "
                    "country must be among the countries it covers, below."
                ),
            },
        ),
        (
            _("Contact and map"),
            {
                "fields": [
                    "address",
                    ("website", "contact_page"),
                    ("email", "phone"),
                    ("contact_role_fr", "contact_role_en"),
                    ("contact_source_title", "contact_source_url"),
                    ("latitude", "longitude"),
                ],
                "description": _(
                    "What the office publishes to be reached: its generic e-mail address and "
                    "switchboard, an official role title, never a person's name or address. Name "
                    "the page the contacts come from. The country dossiers show them under "
                    "“Who to contact”."
                ),
            },
        ),
        (
            _("Photo and description"),
            {
                "fields": ["photo", "photo_credit", ("description_fr", "description_en")],
                "description": _("A photo needs a credit line (photographer, owner)."),
            },
        ),
        (
            _("Office editors"),
            {
                "fields": ["editors"],
                "description": _(
                    "Staff accounts attached to this office. With the Office editor role they "
                    "may edit this office and the instruments, agreements and calls it follows "
                    "or that concern its countries; their changes stay drafts until a DERCI "
                    "editor publishes them."
                ),
            },
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        (
            _("What the sources say"),
            {
                "fields": [
                    "other_source_urls",
                    "contradictions",
                    ("open_questions_fr", "open_questions_en"),
                ],
                "classes": ["collapse"],
            },
        ),
        RECORD_FIELDSET,
    ]

    def get_queryset(self, request):
        year = today().year
        current = (Q(coverages__start_year__isnull=True) | Q(coverages__start_year__lte=year)) & (
            Q(coverages__end_year__isnull=True) | Q(coverages__end_year__gte=year)
        )
        return super().get_queryset(request).annotate(n_current=Count("coverages", filter=current))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.is_scoped(request):
            fields = [*fields, "slug", "country", "sector", "predecessor", "editors"]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.is_scoped(request) else super().get_prepopulated_fields(request, obj)

    @admin.display(description=_("countries now"), ordering="n_current")
    def current_countries(self, obj):
        return obj.n_current

    def get_search_results(self, request, queryset, search_term):
        """In an office editor's form, the office picker offers their own offices."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "office" and self.is_scoped(request):
            queryset = queryset.filter(pk__in=own_office_ids(request.user))
        return queryset, duplicates

    def restore_related(self, request, obj, record):
        """The coverage rows deleted with the office (a cascade) come back with it."""
        history = Coverage.history.model
        deleted = history.objects.filter(
            history_type="-",
            office_id=obj.pk,
            history_date__gte=record.history_date - CASCADE_WINDOW,
            history_date__lte=record.history_date + CASCADE_WINDOW,
        ).exclude(id__in=Coverage.objects.values("pk"))
        for coverage_record in deleted:
            coverage_record.instance.save(force_insert=True)


class CoverageAttentionFilter(AttentionFilter):
    checks = {
        "office-closed": Check(
            label=_("Office closed, coverage still open"),
            message=lambda n: (
                ngettext(
                    "%(count)d coverage row outlives its office's closing year.",
                    "%(count)d coverage rows outlive their office's closing year.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.filter(office__closed__isnull=False).filter(
                Q(end_year__isnull=True) | Q(end_year__gt=F("office__closed"))
            ),
        ),
    }


class CoveragePeriodFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "past":
            return queryset.past()
        return queryset


class CoverageSectorFilter(SectorFilter):
    lookup = "country__sector__slug"


@admin.register(Coverage)
class CoverageAdmin(ImportAdminMixin, CuratedAdmin):
    resource_classes = [CoverageResource]
    list_display = ["office", "country", "start_year", "end_year", "note"]
    list_filter = [
        CoveragePeriodFilter,
        CoverageSectorFilter,
        CoverageAttentionFilter,
        SourceFilter,
    ]
    search_fields = [
        "office__slug",
        "office__name_fr",
        "office__name_en",
        "country__code",
        "country__name_fr",
        "country__name_en",
    ]
    list_select_related = ["office", "country"]
    autocomplete_fields = ["office", "country"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("office", "country"),
                    ("start_year", "end_year"),
                    ("note_fr", "note_en"),
                ],
                "description": _(
                    "An office follows a country from a year until a year (empty: since it "
                    "opened / still now). When a country moves to another office (Canada from "
                    "Washington to Ottawa in 2022), end this row and add one for the new office."
                ),
            },
        ),
        PROVENANCE_FIELDSET,
    ]


# --- staff accounts and their offices --------------------------------------------------------

User = get_user_model()


class OfficeMembershipInline(admin.TabularInline):
    """The offices a staff account edits for (the Office editor role)."""

    model = Office.editors.through
    extra = 0
    autocomplete_fields = ["office"]
    verbose_name = _("office")
    verbose_name_plural = _("offices this account edits for")


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, OfficeMembershipInline]
    list_filter = [*UserAdmin.list_filter, "edited_offices"]
