"""A public record's lasting address: ``/<lang>/r/<type>/<id>/`` (``cnrs_intl/redirects.py``)."""

from django import template
from django.urls import NoReverseMatch, reverse

from cnrs_intl.changes import BY_MODEL

register = template.Library()


@register.simple_tag(takes_context=True)
def permanent_link(context, obj) -> str:
    """The absolute permanent link of ``obj``, or ``""`` for what has none (a draft preview)."""
    record_type = BY_MODEL.get(type(obj))
    if record_type is None or obj.pk is None:
        return ""
    if record_type.publishable and not obj.is_published:
        return ""
    try:
        path = reverse("record", kwargs={"type": record_type.name, "pk": obj.pk})
    except NoReverseMatch:
        return ""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
