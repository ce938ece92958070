"""Bulk import and export of partner institutions, agreements and calls."""

from import_export import fields, widgets

from core.models import Theme
from core.resources import (
    CuratedResource,
    date_field,
    key_field,
    keys_field,
    precision_field,
    status_field,
    text_field,
)
from offices.models import Country, Office
from partnerships.models import Agreement, Call, Institution

PROVENANCE = ["source_title", "source_url", "checked_on"]


class InstitutionResource(CuratedResource):
    """Matched on the ROR id when the row has one, else on the slug."""

    slug = text_field("slug")
    name_fr = text_field("name_fr")
    name_en = text_field("name_en")
    acronym = text_field("acronym")
    kind = text_field("kind")
    country = key_field("country", Country, "code", upper=True)
    parent = key_field("parent", Institution, "slug")
    ror_id = text_field("ror_id")
    website = text_field("website")
    description_fr = text_field("description_fr")
    description_en = text_field("description_en")
    offices_operated = keys_field("offices_operated", Office, "slug")
    status = status_field()
    source_title = text_field("source_title")
    source_url = text_field("source_url")
    checked_on = date_field("checked_on")

    class Meta:
        model = Institution
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name_fr",
            "name_en",
            "acronym",
            "kind",
            "country",
            "parent",
            "ror_id",
            "website",
            "description_fr",
            "description_en",
            "offices_operated",
            "status",
            *PROVENANCE,
        ]

    def get_instance(self, instance_loader, row):
        ror_id = str(row.get("ror_id") or "").strip()
        if ror_id:
            found = Institution.objects.filter(ror_id=ror_id).first()
            if found is not None:
                return found
        return super().get_instance(instance_loader, row)

    def get_queryset(self):
        return super().get_queryset().select_related("country", "parent")


class AgreementResource(CuratedResource):
    slug = text_field("slug")
    title_fr = text_field("title_fr")
    title_en = text_field("title_en")
    kind = text_field("kind")
    parties = keys_field("parties", Institution, "slug")
    countries = keys_field("countries", Country, "code", upper=True)
    themes = keys_field("themes", Theme, "slug")
    signed_on = date_field("signed_on")
    signed_on_precision = precision_field("signed_on")
    renewed_on = date_field("renewed_on")
    renewed_on_precision = precision_field("renewed_on")
    expires_on = date_field("expires_on")
    expires_on_precision = precision_field("expires_on")
    summary_fr = text_field("summary_fr")
    summary_en = text_field("summary_en")
    office = key_field("office", Office, "slug")
    status = status_field()
    source_title = text_field("source_title")
    source_url = text_field("source_url")
    checked_on = date_field("checked_on")

    class Meta:
        model = Agreement
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title_fr",
            "title_en",
            "kind",
            "parties",
            "countries",
            "themes",
            "signed_on",
            "signed_on_precision",
            "renewed_on",
            "renewed_on_precision",
            "expires_on",
            "expires_on_precision",
            "summary_fr",
            "summary_en",
            "office",
            "status",
            *PROVENANCE,
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("office")


class CallResource(CuratedResource):
    slug = text_field("slug")
    title_fr = text_field("title_fr")
    title_en = text_field("title_en")
    agreement = key_field("agreement", Agreement, "slug")
    funders = keys_field("funders", Institution, "slug")
    countries = keys_field("countries", Country, "code", upper=True)
    themes = keys_field("themes", Theme, "slug")
    opens_on = date_field("opens_on")
    opens_on_precision = precision_field("opens_on")
    closes_on = date_field("closes_on")
    closes_on_precision = precision_field("closes_on")
    max_projects = fields.Field(
        attribute="max_projects", column_name="max_projects", widget=widgets.IntegerWidget()
    )
    funding_fr = text_field("funding_fr")
    funding_en = text_field("funding_en")
    projects_start = date_field("projects_start")
    projects_start_precision = precision_field("projects_start")
    projects_end = date_field("projects_end")
    projects_end_precision = precision_field("projects_end")
    description_fr = text_field("description_fr")
    description_en = text_field("description_en")
    url = text_field("url")
    office = key_field("office", Office, "slug")
    status = status_field()
    source_title = text_field("source_title")
    source_url = text_field("source_url")
    checked_on = date_field("checked_on")

    class Meta:
        model = Call
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title_fr",
            "title_en",
            "agreement",
            "funders",
            "countries",
            "themes",
            "opens_on",
            "opens_on_precision",
            "closes_on",
            "closes_on_precision",
            "max_projects",
            "funding_fr",
            "funding_en",
            "projects_start",
            "projects_start_precision",
            "projects_end",
            "projects_end_precision",
            "description_fr",
            "description_en",
            "url",
            "office",
            "status",
            *PROVENANCE,
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "office")
