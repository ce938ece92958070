"""Translated fields, then history (after translation: see stack.md trap 1)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from instruments.models import Instrument, Kind, LegacyName, Network


@register(Kind)
class KindTranslation(TranslationOptions):
    fields = ("name", "description", "duration")


@register(LegacyName)
class LegacyNameTranslation(TranslationOptions):
    fields = ("name",)


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Instrument)
class InstrumentTranslation(TranslationOptions):
    fields = ("title", "summary", "open_questions")


register_history(Kind)
register_history(LegacyName)
register_history(Network, m2m_fields=["themes", "countries", "institutions", "milestones"])
register_history(
    Instrument,
    m2m_fields=[
        "themes",
        "countries",
        "institutes",
        "partners",
        "networks",
        "predecessors",
        "milestones",
    ],
)
