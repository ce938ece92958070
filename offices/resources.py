"""Bulk import and export of which countries each office covers, and when."""

from import_export import fields, widgets

from core.resources import CuratedResource, date_field, key_field, text_field
from offices.models import Country, Coverage, Office


class CoverageResource(CuratedResource):
    """One row per office, country and starting year: ``beijing,CN,,``."""

    office = key_field("office", Office, "slug")
    country = key_field("country", Country, "code", upper=True)
    start_year = fields.Field(
        attribute="start_year", column_name="start_year", widget=widgets.IntegerWidget()
    )
    end_year = fields.Field(
        attribute="end_year", column_name="end_year", widget=widgets.IntegerWidget()
    )
    note_fr = text_field("note_fr")
    note_en = text_field("note_en")
    source_title = text_field("source_title")
    source_url = text_field("source_url")
    checked_on = date_field("checked_on")

    class Meta:
        model = Coverage
        import_id_fields = ["office", "country", "start_year"]
        fields = [
            "office",
            "country",
            "start_year",
            "end_year",
            "note_fr",
            "note_en",
            "source_title",
            "source_url",
            "checked_on",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("office", "country")
