"""API resources for sectors, countries and offices."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import (
    ApiLinkField,
    CatalogViewSet,
    FileLinkField,
    OptionalTextField,
    OptionalUrlField,
    PageLinkField,
    PublishedOnlyMixin,
    ReferenceFilterSet,
    created_field,
    modified_field,
    record_id_field,
    source_field,
)
from offices.exports import public_countries, public_offices, public_sectors
from offices.filters import CountryFilter, OfficeFilter, SectorFilter
from offices.models import Country, Sector


def country_link():
    return ApiLinkField("country-detail", attribute="code", kwarg="iso2", lower=True)


class SectorSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = ApiLinkField("sector-detail")
    html_url = PageLinkField()


class CountrySummarySerializer(serializers.Serializer):
    id = record_id_field()
    iso2 = serializers.CharField(help_text="ISO 3166-1 alpha-2 code, lower case.")
    name = serializers.CharField(source="__str__")
    url = country_link()
    html_url = PageLinkField()


class OfficeSummarySerializer(serializers.Serializer):
    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    city = serializers.CharField()
    url = ApiLinkField("office-detail")
    html_url = PageLinkField()


class PublishedOfficeSerializer(PublishedOnlyMixin, OfficeSummarySerializer):
    pass


class ContactSourceSerializer(serializers.Serializer):
    title = OptionalTextField(source="contact_source_title")
    url = OptionalUrlField(source="contact_source_url")


class ScienceServiceSerializer(serializers.Serializer):
    """The French embassy's science service for the country, as a source gives it."""

    name = OptionalTextField(
        source="science_service_name", help_text="Null when no source names the service."
    )
    url = OptionalUrlField(source="science_service_url")
    email = OptionalTextField(source="science_service_email")
    source = serializers.SerializerMethodField()

    @extend_schema_field(ContactSourceSerializer)
    def get_source(self, country):
        return {
            "title": country.science_service_source_title or None,
            "url": country.science_service_source_url or None,
        }


class SectorSerializer(serializers.Serializer):
    """One of the four geographic poles of CNRS international cooperation."""

    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    order = serializers.IntegerField()
    contact_page = OptionalUrlField(
        help_text="The CNRS international department's page for the sector: the contact for "
        "the countries no office covers."
    )
    contact_source = ContactSourceSerializer(source="*")
    offices = OfficeSummarySerializer(many=True, source="public_offices")
    countries = CountrySummarySerializer(many=True, source="country_list")
    source = source_field()
    url = ApiLinkField("sector-detail")
    html_url = PageLinkField()


class CountrySerializer(serializers.Serializer):
    """One ISO 3166-1 country, its sector and the offices that follow it now."""

    id = record_id_field()
    iso2 = serializers.CharField(help_text="ISO 3166-1 alpha-2 code, lower case.")
    name = serializers.CharField(source="__str__")
    sector = SectorSummarySerializer()
    offices = serializers.SerializerMethodField(help_text="Published offices following it now.")
    science_service = serializers.SerializerMethodField(
        help_text="The French embassy's science service, where a source gives it; else null."
    )
    url = country_link()
    html_url = PageLinkField(help_text="The country's dossier.")

    @extend_schema_field(OfficeSummarySerializer(many=True))
    def get_offices(self, country):
        offices = [coverage.office for coverage in country.current_coverages]
        return OfficeSummarySerializer(offices, many=True, context=self.context).data

    @extend_schema_field(ScienceServiceSerializer(allow_null=True))
    def get_science_service(self, country):
        if not country.has_science_service:
            return None
        return ScienceServiceSerializer(country, context=self.context).data


class CoverageSerializer(serializers.Serializer):
    country = CountrySummarySerializer()
    start_year = serializers.IntegerField(allow_null=True, help_text="Empty: since it opened.")
    end_year = serializers.IntegerField(allow_null=True, help_text="Empty: it still does.")
    current = serializers.BooleanField(source="is_current")
    note = OptionalTextField()


class OfficeSerializer(serializers.Serializer):
    """A CNRS representative office abroad, open or closed, and the countries it follows."""

    id = record_id_field()
    slug = serializers.SlugField()
    name = serializers.CharField()
    city = serializers.CharField()
    country = CountrySummarySerializer(help_text="Host country.")
    sector = SectorSummarySerializer()
    opened = serializers.IntegerField(allow_null=True)
    closed = serializers.IntegerField(allow_null=True)
    is_open = serializers.BooleanField()
    predecessor = PublishedOfficeSerializer(allow_null=True, help_text="The office it replaced.")
    coverages = CoverageSerializer(many=True, source="coverage_list")
    address = OptionalTextField()
    email = OptionalTextField(help_text="The office's generic address.")
    website = OptionalUrlField()
    contact_page = OptionalUrlField()
    phone = OptionalTextField(help_text="International form, as the office publishes it.")
    contact_role = OptionalTextField(help_text="An official role title, never a person's name.")
    contact_source = ContactSourceSerializer(source="*", help_text="Where the contacts come from.")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    photo = FileLinkField(allow_null=True)
    photo_credit = OptionalTextField()
    description = serializers.CharField()
    source = source_field()
    created = created_field()
    modified = modified_field()
    url = ApiLinkField("office-detail")
    html_url = PageLinkField()


class SectorListFilter(ReferenceFilterSet):
    search_fields = ("slug", "name_fr", "name_en", "description_fr", "description_en")

    class Meta:
        model = Sector
        fields = []


class CountryListFilter(ReferenceFilterSet):
    country = CountryFilter()
    sector = SectorFilter()

    search_fields = ("code", "name_fr", "name_en")

    class Meta:
        model = Country
        fields = []


class SectorViewSet(CatalogViewSet):
    """The four geographic sectors, with their offices and countries."""

    serializer_class = SectorSerializer
    filterset_class = SectorListFilter

    def get_queryset(self):
        return public_sectors()

    def normalize_lookup(self, value):
        return value.lower()


class CountryViewSet(CatalogViewSet):
    """Every ISO 3166-1 country, by code (any case)."""

    serializer_class = CountrySerializer
    filterset_class = CountryListFilter
    lookup_field = "code"
    lookup_url_kwarg = "iso2"

    def get_queryset(self):
        return public_countries()

    def normalize_lookup(self, value):
        return value.upper()


class OfficeViewSet(CatalogViewSet):
    """Published offices, open and closed."""

    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    modified_field = "updated_at"

    def get_queryset(self):
        return public_offices()
