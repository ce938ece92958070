"""Translated fields (django-modeltranslation), then history (after translation: see stack.md trap 1)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from core.models import Institute, KeyFigure, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Institute)
class InstituteTranslation(TranslationOptions):
    fields = ("name", "usage_name", "description")


@register(KeyFigure)
class KeyFigureTranslation(TranslationOptions):
    fields = ("label", "as_of_label", "open_questions")


for model in (Theme, Institute, KeyFigure):
    register_history(model)
