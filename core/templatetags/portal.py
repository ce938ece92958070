"""Template helpers used across the public site."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, lang_code):
    """The current page in another language, keeping its query string."""
    request = context.get("request")
    if request is None:
        return f"/{lang_code}/"
    url = translate_url(request.path, lang_code)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url
