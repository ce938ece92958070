"""API resources for institutions, agreements, calls and milestones."""

from rest_framework import serializers

from core.api import (
    ApiLinkField,
    CatalogViewSet,
    FileLinkField,
    OptionalTextField,
    OptionalUrlField,
    PageLinkField,
    PublishedOnlyMixin,
    ThemeSummarySerializer,
    created_field,
    modified_field,
    precision_field,
    record_id_field,
    source_field,
)
from core.models import DateStatus
from offices.api import CountrySummarySerializer, OfficeSummarySerializer, PublishedOfficeSerializer
from partnerships.exports import (
    public_agreements,
    public_calls,
    public_institutions,
    public_milestones,
)
from partnerships.filters import AgreementFilter, CallFilter, InstitutionFilter, MilestoneFilter
from partnerships.models import Agreement, Institution


class InstitutionSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    acronym = OptionalTextField()
    country = CountrySummarySerializer(allow_null=True)
    url = ApiLinkField("institution-detail")
    html_url = PageLinkField()


class PublishedInstitutionSerializer(PublishedOnlyMixin, InstitutionSummarySerializer):
    pass


class AgreementSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    title = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True)
    signed_on_precision = precision_field("signed_on")
    url = ApiLinkField("agreement-detail")
    html_url = PageLinkField()


class PublishedAgreementSerializer(PublishedOnlyMixin, AgreementSummarySerializer):
    pass


def date_status_field():
    return serializers.ChoiceField(
        choices=DateStatus.choices,
        source="date_status",
        help_text="From the dates, on the day of the request.",
    )


class InstitutionSerializer(serializers.Serializer):
    """A partner organisation, foreign or French."""

    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    acronym = OptionalTextField()
    name_native = OptionalTextField(
        help_text="Its own name in its language and script (e.g. 中国科学院), when a source gives it."
    )
    name_native_lang = OptionalTextField(
        help_text="The BCP 47 language tag of `name_native` (e.g. `zh-Hans`); null without it."
    )
    kind = serializers.ChoiceField(choices=Institution.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    country = CountrySummarySerializer(allow_null=True)
    parent = PublishedInstitutionSerializer(allow_null=True)
    ror_id = OptionalTextField(help_text="Research Organization Registry identifier.")
    ror_url = OptionalUrlField()
    website = OptionalUrlField()
    logo = FileLinkField(allow_null=True)
    description = serializers.CharField()
    offices_operated = OfficeSummarySerializer(
        many=True, source="public_offices", help_text="Offices it runs together with CNRS."
    )
    source = source_field()
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("institution-detail")
    html_url = PageLinkField()


class AgreementSerializer(serializers.Serializer):
    """A signed partnership between CNRS (or the French State) and foreign institutions."""

    id = record_id_field()
    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Agreement.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    status = date_status_field()
    parties = InstitutionSummarySerializer(many=True, source="public_parties")
    countries = CountrySummarySerializer(many=True, source="country_list")
    themes = ThemeSummarySerializer(many=True, source="theme_list")
    signed_on = serializers.DateField(allow_null=True)
    signed_on_precision = precision_field("signed_on")
    renewed_on = serializers.DateField(allow_null=True)
    renewed_on_precision = precision_field("renewed_on")
    expires_on = serializers.DateField(allow_null=True)
    expires_on_precision = precision_field("expires_on")
    summary = serializers.CharField()
    document = FileLinkField(allow_null=True, help_text="The signed text (PDF), when published.")
    office = PublishedOfficeSerializer(allow_null=True, help_text="The office that follows it.")
    source = source_field()
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("agreement-detail")
    html_url = PageLinkField()


class CallSerializer(serializers.Serializer):
    """A call for joint projects, usually run under an agreement."""

    id = record_id_field()
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = date_status_field()
    opens_on = serializers.DateField(allow_null=True)
    opens_on_precision = precision_field("opens_on")
    closes_on = serializers.DateField(allow_null=True, help_text="The deadline.")
    closes_on_precision = precision_field("closes_on")
    agreement = PublishedAgreementSerializer(allow_null=True)
    funders = InstitutionSummarySerializer(many=True, source="public_funders")
    countries = CountrySummarySerializer(many=True, source="country_list")
    themes = ThemeSummarySerializer(many=True, source="theme_list")
    max_projects = serializers.IntegerField(allow_null=True)
    funding = OptionalTextField()
    projects_start = serializers.DateField(allow_null=True)
    projects_start_precision = precision_field("projects_start")
    projects_end = serializers.DateField(allow_null=True)
    projects_end_precision = precision_field("projects_end")
    call_page = OptionalUrlField(source="url", help_text="The funders' page for the call.")
    description = serializers.CharField()
    office = PublishedOfficeSerializer(allow_null=True)
    source = source_field()
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("call-detail")
    html_url = PageLinkField()


class MilestoneSerializer(serializers.Serializer):
    """A dated event in the story of a cooperation."""

    id = record_id_field()
    slug = serializers.SlugField()
    date = serializers.DateField()
    date_precision = precision_field("date", allow_null=False)
    title = serializers.CharField()
    description = serializers.CharField()
    countries = CountrySummarySerializer(many=True, source="country_list")
    themes = ThemeSummarySerializer(many=True, source="theme_list")
    agreements = AgreementSummarySerializer(many=True, source="public_agreements")
    institutions = InstitutionSummarySerializer(many=True, source="public_institutions")
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("milestone-detail")


class InstitutionViewSet(CatalogViewSet):
    """Published partner institutions."""

    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_institutions()


class AgreementViewSet(CatalogViewSet):
    """Published agreements (the public "partnerships" list)."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_agreements()


class CallViewSet(CatalogViewSet):
    """Published calls for proposals."""

    serializer_class = CallSerializer
    filterset_class = CallFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_calls()


class MilestoneViewSet(CatalogViewSet):
    """Published milestones of the cooperation story, oldest first."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_milestones()
