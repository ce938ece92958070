"""Admin for instrument kinds (with their former names), networks and instruments."""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from core.admin import (
    PROVENANCE_FIELDSET,
    PUBLICATION_FIELDSET,
    RECORD_FIELDSET,
    AttentionFilter,
    CuratedAdmin,
    DateStatusFilter,
    EndingSoonFilter,
    ImportAdminMixin,
    PublishableAdmin,
    SourceFilter,
    past_end_still_published,
)
from core.models import DateStatus
from instruments.models import Instrument, Kind, LegacyName, Network
from instruments.resources import InstrumentResource
from offices.admin import MyOfficesFilter, OfficeScopedMixin, SectorFilter


class LegacyNameInline(TranslationTabularInline):
    """The names a kind replaced (LIA → IRP): filters and search still accept them."""

    model = LegacyName
    extra = 0
    fields = ["code", "name_fr", "name_en", "replaced_in"]


@admin.register(Kind)
class KindAdmin(CuratedAdmin):
    inlines = [LegacyNameInline]
    list_display = ["code", "name", "former_names", "instrument_count", "order"]
    list_filter = [SourceFilter]
    search_fields = ["code", "name_fr", "name_en", "legacy_names__code"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    ("name_fr", "name_en"),
                    ("duration_fr", "duration_en"),
                    ("description_fr", "description_en"),
                    "order",
                ],
                "description": _(
                    "The current acronym, in capitals (IRP). List below the names it replaced "
                    "(LIA): a search or a filter by a former name finds this kind. A kind "
                    "still used by instruments cannot be deleted."
                ),
            },
        ),
        PROVENANCE_FIELDSET,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_instruments=Count("instruments"))
            .prefetch_related(
                Prefetch("legacy_names", queryset=LegacyName.objects.order_by("code"))
            )
        )

    @admin.display(description=_("former names"))
    def former_names(self, obj):
        return ", ".join(legacy.code for legacy in obj.legacy_names.all())

    @admin.display(description=_("instruments"), ordering="n_instruments")
    def instrument_count(self, obj):
        return obj.n_instruments


class KindFilter(admin.SimpleListFilter):
    """Instruments of a kind; a former name (LIA) selects the kind that replaced it."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.code, kind.code) for kind in Kind.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.of_kind(self.value())
        return queryset


class NetworkAttentionFilter(AttentionFilter):
    checks = {"past-end": past_end_still_published("ended_on")}


@admin.register(Network)
class NetworkAdmin(PublishableAdmin):
    list_display = ["name", "acronym", "launched_on", "ended_on", "node_count", "publication"]
    list_filter = [
        "status",
        DateStatusFilter,
        SectorFilter,
        NetworkAttentionFilter,
        SourceFilter,
    ]
    search_fields = ["slug", "acronym", "name_fr", "name_en"]
    autocomplete_fields = [
        "themes",
        "countries",
        "institutions",
        "agreement",
        "office",
        "milestones",
    ]
    prepopulated_fields = {"slug": ("acronym",)}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_fr", "name_en"),
                    ("acronym", "slug"),
                    ("launched_on", "launched_on_precision"),
                    ("ended_on", "ended_on_precision"),
                    ("description_fr", "description_en"),
                    "website",
                ],
                "description": _(
                    "A network whose nodes are instruments (the CNC, Franco-Chinese network on "
                    "carbon neutrality). Its nodes are chosen on each instrument. It cannot end "
                    "before it was launched."
                ),
            },
        ),
        (
            _("Relations"),
            {
                "fields": [
                    "themes",
                    "countries",
                    "institutions",
                    "agreement",
                    "office",
                    "milestones",
                ]
            },
        ),
        (
            _("Published figures"),
            {
                "fields": [("researchers", "laboratories")],
                "description": _("As the network's source states them, not counted here."),
            },
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        RECORD_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_nodes=Count("nodes"))

    @admin.display(description=_("nodes"), ordering="n_nodes")
    def node_count(self, obj):
        return obj.n_nodes


class InstrumentAttentionFilter(AttentionFilter):
    checks = {"past-end": past_end_still_published("end_on")}


@admin.register(Instrument)
class InstrumentAdmin(OfficeScopedMixin, ImportAdminMixin, PublishableAdmin):
    resource_classes = [InstrumentResource]
    image_fields = ("image",)
    list_display = [
        "__str__",
        "kind",
        "start_on",
        "end_on",
        "dates",
        "office",
        "publication",
    ]
    list_filter = [
        MyOfficesFilter,
        KindFilter,
        DateStatusFilter,
        EndingSoonFilter,
        SectorFilter,
        "status",
        InstrumentAttentionFilter,
        SourceFilter,
    ]
    search_fields = [
        "slug",
        "acronym",
        "title_fr",
        "title_en",
        "coordinators",
        "unit_numbers",
        "former_codes",
        "city",
    ]
    list_select_related = ["kind", "office"]
    autocomplete_fields = [
        "kind",
        "themes",
        "countries",
        "institutes",
        "partners",
        "office",
        "agreement",
        "networks",
        "predecessors",
        "milestones",
    ]
    prepopulated_fields = {"slug": ("acronym",)}
    date_hierarchy = "start_on"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("acronym", "slug"),
                    ("title_fr", "title_en"),
                    "kind",
                    ("start_on", "start_on_precision"),
                    ("end_on", "end_on_precision"),
                    "predecessors",
                    ("stated_code", "former_codes", "unit_numbers"),
                ],
                "description": _(
                    "Its status (active, ended, upcoming) follows from its dates; it cannot end "
                    "before it starts. An instrument that grew out of others (a LIA that "
                    "became an IRP, two LIAs merged into one) names them as its predecessors "
                    "rather than replacing them; a unit that only changed its code (UMI → IRL) "
                    "keeps its record and lists the old code among its former codes."
                ),
            },
        ),
        (
            _("Who and where"),
            {
                "fields": [
                    "countries",
                    "city",
                    "institutes",
                    "partners",
                    "coordinators",
                    "office",
                    "agreement",
                    "networks",
                ],
                "description": _(
                    "The following office and the countries decide which office editors may "
                    "change this record."
                ),
            },
        ),
        (
            _("Content"),
            {
                "fields": [
                    "themes",
                    ("summary_fr", "summary_en"),
                    "website",
                    "image",
                    "image_credit",
                    "milestones",
                ],
                "description": _("An image needs a credit line."),
            },
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        RECORD_FIELDSET,
    ]

    @admin.display(description=_("dates"))
    def dates(self, obj):
        return DateStatus(obj.date_status).label
