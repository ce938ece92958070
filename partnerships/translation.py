"""Translated fields, then history (after translation: see stack.md trap 1)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from partnerships.models import Agreement, Call, Institution, Milestone


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ("name", "description", "open_questions")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "summary", "open_questions")


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "funding", "description", "open_questions")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description", "open_questions")


register_history(Institution, m2m_fields=["offices_operated"])
register_history(Agreement, m2m_fields=["parties", "countries", "themes"])
register_history(Call, m2m_fields=["funders", "countries", "themes"])
register_history(Milestone, m2m_fields=["countries", "agreements", "institutions", "themes"])
