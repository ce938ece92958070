"""The admin index's summary of what needs a staff member's attention."""

from django import template
from django.contrib import admin
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("admin/includes/attention_summary.html", takes_context=True)
def attention_summary(context):
    """Every warning of every list this user may see, each linking to the rows concerned."""
    request = context["request"]
    sections = []
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "attention_messages"):
            continue
        if not model_admin.has_view_permission(request):
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        warnings = model_admin.attention_messages(request, list_url=url)
        if warnings:
            sections.append({"name": opts.verbose_name_plural, "url": url, "warnings": warnings})
    sections.sort(key=lambda section: str(section["name"]))
    return {"sections": sections}
