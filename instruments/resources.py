"""Bulk import and export of instruments."""

from import_export import fields

from core.models import Institute, Theme
from core.resources import (
    CuratedResource,
    KeyWidget,
    date_field,
    key_field,
    keys_field,
    precision_field,
    status_field,
    text_field,
)
from instruments.models import Instrument, Kind, Network
from offices.models import Country, Office
from partnerships.models import Agreement, Institution


class KindWidget(KeyWidget):
    """A kind by its code; a legacy code (LIA, GDRI…) names the kind that replaced it."""

    def clean(self, value, row=None, **kwargs):
        code = self.normalize(value)
        resolved = Kind.objects.resolve_codes([code]) if code else []
        return super().clean(resolved[0] if len(resolved) == 1 else code, row, **kwargs)


class InstrumentResource(CuratedResource):
    slug = text_field("slug")
    acronym = text_field("acronym")
    title_fr = text_field("title_fr")
    title_en = text_field("title_en")
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=KindWidget(Kind, "code", upper=True)
    )
    start_on = date_field("start_on")
    start_on_precision = precision_field("start_on")
    end_on = date_field("end_on")
    end_on_precision = precision_field("end_on")
    summary_fr = text_field("summary_fr")
    summary_en = text_field("summary_en")
    themes = keys_field("themes", Theme, "slug")
    countries = keys_field("countries", Country, "code", upper=True)
    institutes = keys_field("institutes", Institute, "code", upper=True)
    partners = keys_field("partners", Institution, "slug")
    coordinators = text_field("coordinators")
    office = key_field("office", Office, "slug")
    agreement = key_field("agreement", Agreement, "slug")
    networks = keys_field("networks", Network, "slug")
    predecessors = keys_field("predecessors", Instrument, "slug")
    city = text_field("city")
    website = text_field("website")
    status = status_field()
    source_title = text_field("source_title")
    source_url = text_field("source_url")
    checked_on = date_field("checked_on")

    class Meta:
        model = Instrument
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "acronym",
            "title_fr",
            "title_en",
            "kind",
            "start_on",
            "start_on_precision",
            "end_on",
            "end_on_precision",
            "summary_fr",
            "summary_en",
            "themes",
            "countries",
            "institutes",
            "partners",
            "coordinators",
            "office",
            "agreement",
            "networks",
            "predecessors",
            "city",
            "website",
            "status",
            "source_title",
            "source_url",
            "checked_on",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("kind", "office", "agreement")
