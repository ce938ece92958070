"""Admin for partner institutions, agreements, calls for proposals and milestones."""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import (
    PROVENANCE_FIELDSET,
    PUBLICATION_FIELDSET,
    RECORD_FIELDSET,
    AttentionFilter,
    Check,
    DateStatusFilter,
    EndingSoonFilter,
    ImportAdminMixin,
    PublishableAdmin,
    SourceFilter,
    past_end_still_published,
)
from core.models import DateStatus
from offices.admin import MyOfficesFilter, OfficeScopedMixin, SectorFilter
from partnerships.models import Agreement, Call, Institution, Milestone
from partnerships.resources import AgreementResource, CallResource, InstitutionResource


def _same_name_same_country():
    return Institution.objects.annotate(lower_name=Lower("name_fr")).filter(
        lower_name=OuterRef("lower_name"), country=OuterRef("country")
    )


class InstitutionAttentionFilter(AttentionFilter):
    checks = {
        "no-ror": Check(
            label=_("No ROR id"),
            message=lambda n: (
                ngettext(
                    "%(count)d institution has no ROR id.",
                    "%(count)d institutions have no ROR id.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.filter(ror_id=""),
        ),
        "duplicates": Check(
            label=_("Possible duplicates (same name, same country)"),
            message=lambda n: (
                ngettext(
                    "%(count)d institution shares its name with another in the same country: "
                    "a possible duplicate.",
                    "%(count)d institutions share their name with another in the same country: "
                    "possible duplicates.",
                    n,
                )
                % {"count": n}
            ),
            rows=lambda qs: qs.annotate(lower_name=Lower("name_fr")).filter(
                Exists(_same_name_same_country().exclude(pk=OuterRef("pk")))
            ),
        ),
    }


class InstitutionSectorFilter(SectorFilter):
    lookup = "country__sector__slug"


@admin.register(Institution)
class InstitutionAdmin(ImportAdminMixin, PublishableAdmin):
    resource_classes = [InstitutionResource]
    image_fields = ("logo",)
    list_display = ["name", "acronym", "kind", "country", "ror_id", "publication"]
    list_filter = [
        "kind",
        InstitutionSectorFilter,
        "status",
        InstitutionAttentionFilter,
        SourceFilter,
    ]
    search_fields = ["slug", "name_fr", "name_en", "name_native", "acronym", "ror_id"]
    list_select_related = ["country"]
    autocomplete_fields = ["country", "parent", "offices_operated"]
    prepopulated_fields = {"slug": ("name_fr",)}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_fr", "name_en"),
                    ("name_native", "name_native_lang"),
                    ("acronym", "slug"),
                    ("kind", "country"),
                    "parent",
                    ("ror_id", "website"),
                ],
                "description": _(
                    "A partner organisation, foreign or French. Its ROR id (ror.org, nine "
                    "characters such as 02feahw73) identifies it without ambiguity: two "
                    "institutions cannot share one. Leave the country empty for an "
                    "international body. Before adding one, search for it: the list warns "
                    "about institutions with the same name in the same country."
                ),
            },
        ),
        (
            _("Logo and description"),
            {"fields": ["logo", ("description_fr", "description_en")]},
        ),
        (
            _("Offices run jointly with CNRS"),
            {
                "fields": ["offices_operated"],
                "description": _("e.g. IRD with CNRS in Pretoria."),
            },
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        RECORD_FIELDSET,
    ]


class AgreementAttentionFilter(AttentionFilter):
    checks = {"past-end": past_end_still_published("expires_on")}


@admin.register(Agreement)
class AgreementAdmin(OfficeScopedMixin, ImportAdminMixin, PublishableAdmin):
    resource_classes = [AgreementResource]
    list_display = [
        "title",
        "kind",
        "signed_on",
        "expires_on",
        "dates",
        "office",
        "party_count",
        "publication",
    ]
    list_filter = [
        MyOfficesFilter,
        "kind",
        DateStatusFilter,
        EndingSoonFilter,
        SectorFilter,
        "status",
        AgreementAttentionFilter,
        SourceFilter,
    ]
    search_fields = [
        "slug",
        "title_fr",
        "title_en",
        "parties__name_fr",
        "parties__acronym",
        "countries__code",
    ]
    list_select_related = ["office"]
    autocomplete_fields = ["parties", "countries", "themes", "office"]
    prepopulated_fields = {"slug": ("title_fr",)}
    date_hierarchy = "signed_on"
    pdf_fields = ("document",)
    fieldsets = [
        (
            None,
            {
                "fields": [("title_fr", "title_en"), "slug", "kind", "parties", "countries"],
                "description": _(
                    "A signed partnership between CNRS (or the French State) and foreign "
                    "institutions. Its status (in force, expired, upcoming) follows from its "
                    "dates, below."
                ),
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    ("signed_on", "signed_on_precision"),
                    ("renewed_on", "renewed_on_precision"),
                    ("expires_on", "expires_on_precision"),
                ],
                "description": _(
                    "It cannot expire nor be renewed before it was signed. A renewed agreement "
                    "keeps its record: set the renewal date and the new expiry date."
                ),
            },
        ),
        (
            _("Content"),
            {"fields": ["themes", ("summary_fr", "summary_en"), "document", "office"]},
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        RECORD_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_parties=Count("parties"))

    @admin.display(description=_("parties"), ordering="n_parties")
    def party_count(self, obj):
        return obj.n_parties

    @admin.display(description=_("dates"))
    def dates(self, obj):
        return DateStatus(obj.date_status).label


class CallAttentionFilter(AttentionFilter):
    checks = {"past-end": past_end_still_published("closes_on")}


@admin.register(Call)
class CallAdmin(OfficeScopedMixin, ImportAdminMixin, PublishableAdmin):
    resource_classes = [CallResource]
    list_display = [
        "title",
        "agreement",
        "opens_on",
        "closes_on",
        "dates",
        "office",
        "publication",
    ]
    list_filter = [
        MyOfficesFilter,
        DateStatusFilter,
        EndingSoonFilter,
        SectorFilter,
        "status",
        CallAttentionFilter,
        SourceFilter,
    ]
    search_fields = ["slug", "title_fr", "title_en", "agreement__title_fr", "funders__acronym"]
    list_select_related = ["agreement", "office"]
    autocomplete_fields = ["agreement", "funders", "countries", "themes", "office"]
    prepopulated_fields = {"slug": ("title_fr",)}
    date_hierarchy = "closes_on"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("title_fr", "title_en"),
                    "slug",
                    "agreement",
                    "funders",
                    "countries",
                    "themes",
                ],
                "description": _(
                    "A call for joint projects, usually run under an agreement (the CNRS–NSFC "
                    "call). It is open between its opening and closing dates."
                ),
            },
        ),
        (
            _("Dates and funding"),
            {
                "fields": [
                    ("opens_on", "opens_on_precision"),
                    ("closes_on", "closes_on_precision"),
                    ("projects_start", "projects_start_precision"),
                    ("projects_end", "projects_end_precision"),
                    "max_projects",
                    ("funding_fr", "funding_en"),
                ],
                "description": _(
                    "A call cannot close before it opens, nor projects end before they start."
                ),
            },
        ),
        (
            _("Content"),
            {"fields": [("description_fr", "description_en"), "url", "office"]},
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        RECORD_FIELDSET,
    ]

    @admin.display(description=_("dates"))
    def dates(self, obj):
        return DateStatus(obj.date_status).label


@admin.register(Milestone)
class MilestoneAdmin(PublishableAdmin):
    list_display = ["date", "title", "date_precision", "publication"]
    list_filter = ["status", "date_precision", SectorFilter, SourceFilter]
    search_fields = ["slug", "title_fr", "title_en"]
    autocomplete_fields = ["countries", "agreements", "institutions", "themes"]
    prepopulated_fields = {"slug": ("title_fr",)}
    date_hierarchy = "date"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("date", "date_precision"),
                    ("title_fr", "title_en"),
                    "slug",
                    ("description_fr", "description_en"),
                ],
                "description": _(
                    "A dated event of a cooperation's story (1978: first France–China S&T "
                    "agreement). When the source gives only the year or the month, say so in "
                    "the precision: the site then shows only that."
                ),
            },
        ),
        (
            _("What it concerns"),
            {"fields": ["countries", "agreements", "institutions", "themes"]},
        ),
        PUBLICATION_FIELDSET,
        PROVENANCE_FIELDSET,
        RECORD_FIELDSET,
    ]
