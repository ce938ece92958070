"""API resources for instrument kinds, networks and instruments."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import (
    ApiLinkField,
    CatalogViewSet,
    FileLinkField,
    InstituteSummarySerializer,
    OptionalTextField,
    OptionalUrlField,
    PageLinkField,
    ReferenceFilterSet,
    ThemeSummarySerializer,
    created_field,
    modified_field,
    precision_field,
    record_id_field,
    source_field,
)
from instruments.exports import (
    network_status,
    public_instruments,
    public_kinds,
    public_networks,
)
from instruments.filters import InstrumentFilter, NetworkFilter
from instruments.models import Kind
from offices.api import CountrySummarySerializer, PublishedOfficeSerializer
from partnerships.api import (
    InstitutionSummarySerializer,
    PublishedAgreementSerializer,
    date_status_field,
)


class KindSummarySerializer(serializers.Serializer):
    id = record_id_field()
    code = serializers.CharField()
    name = serializers.CharField()
    url = ApiLinkField("kind-detail", attribute="code", kwarg="code")
    html_url = PageLinkField()


class NetworkSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    acronym = OptionalTextField()
    name = serializers.CharField()
    url = ApiLinkField("network-detail")
    html_url = PageLinkField()


class InstrumentSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    acronym = OptionalTextField()
    title = serializers.CharField()
    kind = serializers.CharField(source="kind.code")
    url = ApiLinkField("instrument-detail")
    html_url = PageLinkField()


class MilestoneSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    date = serializers.DateField()
    date_precision = precision_field("date", allow_null=False)
    title = serializers.CharField()
    url = ApiLinkField("milestone-detail")


class LegacyNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    replaced_in = serializers.IntegerField(allow_null=True)


class KindSerializer(serializers.Serializer):
    """A kind of cooperation instrument, with the former names it replaced."""

    id = record_id_field()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    duration = OptionalTextField()
    legacy_names = LegacyNameSerializer(many=True, source="legacy_list")
    source = source_field()
    url = ApiLinkField("kind-detail", attribute="code", kwarg="code")
    html_url = PageLinkField(help_text="The public list of instruments of this kind.")


class NetworkSerializer(serializers.Serializer):
    """A network whose nodes are instruments."""

    id = record_id_field()
    slug = serializers.SlugField()
    acronym = OptionalTextField()
    name = serializers.CharField()
    description = serializers.CharField()
    status = serializers.SerializerMethodField()
    launched_on = serializers.DateField(allow_null=True)
    launched_on_precision = precision_field("launched_on")
    ended_on = serializers.DateField(allow_null=True)
    ended_on_precision = precision_field("ended_on")
    themes = ThemeSummarySerializer(many=True, source="theme_list", help_text="Its axes.")
    countries = CountrySummarySerializer(many=True, source="country_list")
    institutions = InstitutionSummarySerializer(many=True, source="public_institutions")
    nodes = InstrumentSummarySerializer(many=True, source="public_nodes")
    agreement = PublishedAgreementSerializer(allow_null=True, help_text="Founding agreement.")
    office = PublishedOfficeSerializer(allow_null=True)
    milestones = MilestoneSummarySerializer(many=True, source="public_milestones")
    website = OptionalUrlField()
    researchers = serializers.IntegerField(allow_null=True, help_text="As published.")
    laboratories = serializers.IntegerField(allow_null=True, help_text="As published.")
    source = source_field()
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("network-detail")
    html_url = PageLinkField()

    @extend_schema_field(date_status_field())
    def get_status(self, network):
        return network_status(network)


class InstrumentSerializer(serializers.Serializer):
    """One cooperation instrument: a network, a joint project or laboratory, a programme…"""

    id = record_id_field()
    slug = serializers.SlugField()
    acronym = OptionalTextField()
    title = serializers.CharField()
    kind = KindSummarySerializer()
    status = date_status_field()
    start_on = serializers.DateField(allow_null=True)
    start_on_precision = precision_field("start_on")
    end_on = serializers.DateField(allow_null=True)
    end_on_precision = precision_field("end_on")
    summary = serializers.CharField()
    themes = ThemeSummarySerializer(many=True, source="theme_list")
    countries = CountrySummarySerializer(many=True, source="country_list")
    institutes = InstituteSummarySerializer(many=True, source="institute_list")
    partners = InstitutionSummarySerializer(many=True, source="public_partners")
    coordinators = OptionalTextField()
    city = OptionalTextField()
    stated_code = OptionalTextField(help_text="The code its main source uses, when not the kind's.")
    former_codes = OptionalTextField(help_text="Other codes it is known by (UMI for an IRL).")
    unit_numbers = OptionalTextField(help_text="CNRS unit codes the sources give (UMI 3654).")
    office = PublishedOfficeSerializer(allow_null=True)
    agreement = PublishedAgreementSerializer(allow_null=True)
    networks = NetworkSummarySerializer(many=True, source="public_networks")
    predecessors = InstrumentSummarySerializer(
        many=True,
        source="public_predecessors",
        help_text="The distinct earlier structures it grew out of (two where two merged).",
    )
    successors = InstrumentSummarySerializer(many=True, source="public_successors")
    milestones = MilestoneSummarySerializer(many=True, source="public_milestones")
    website = OptionalUrlField()
    image = FileLinkField(allow_null=True)
    image_credit = OptionalTextField()
    source = source_field()
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("instrument-detail")
    html_url = PageLinkField()


class KindFilter(ReferenceFilterSet):
    search_fields = ("code", "name_fr", "name_en", "legacy_names__code")

    class Meta:
        model = Kind
        fields = []


class KindViewSet(CatalogViewSet):
    """Kinds of instrument by current code; a former code (LIA, UMI…) finds the current kind."""

    serializer_class = KindSerializer
    filterset_class = KindFilter
    lookup_field = "code"

    def get_queryset(self):
        return public_kinds()

    def normalize_lookup(self, value):
        resolved = Kind.objects.resolve_codes([value])
        return resolved[0] if len(resolved) == 1 else value.upper()


class NetworkViewSet(CatalogViewSet):
    """Published networks and their nodes."""

    serializer_class = NetworkSerializer
    filterset_class = NetworkFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_networks()


class InstrumentViewSet(CatalogViewSet):
    """Published instruments."""

    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_instruments()
