"""Translated fields, then history (after translation: see stack.md trap 1)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from offices.models import Country, Coverage, Office, Sector


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name", "science_service_name")


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("name", "city", "description", "contact_role", "open_questions")


@register(Coverage)
class CoverageTranslation(TranslationOptions):
    fields = ("note",)


for model in (Sector, Country, Coverage):
    register_history(model)
register_history(Office)
