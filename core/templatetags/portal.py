"""Template helpers used across the public site."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import linebreaks_filter
from django.urls import NoReverseMatch, translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.dates import format_precise_date, format_precise_span, precise_iso
from core.models import DatePrecision, date_status

register = template.Library()

# Said in the language of the text it flags, which is the one a reader needs to recognise.
FALLBACK_MARKERS = {"fr": "(en français)", "en": "(in English)"}
OPENGRAPH_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def url_in_language(context, lang_code):
    """The current page in another language, keeping its query string."""
    request = context.get("request")
    if request is None:
        return f"/{lang_code}/"
    url = translate_url(request.path, lang_code)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.filter
def fallback_lang(obj, field: str) -> str:
    """The language ``obj.<field>`` is shown in when the current one is empty, else ``""``."""
    lang = current_language()
    if getattr(obj, f"{field}_{lang}", None):
        return ""
    for code, _name in settings.LANGUAGES:
        if code != lang and getattr(obj, f"{field}_{code}", None):
            return code
    return ""


@register.simple_tag
def translated(obj, field: str, paragraphs: bool = False):
    """A translated field's text; in the other language, tagged with ``lang`` and a marker."""
    text = getattr(obj, field, "") or ""
    body = linebreaks_filter(text, autoescape=True) if paragraphs else conditional_escape(text)
    lang = fallback_lang(obj, field)
    if not lang:
        return body
    marker = format_html(
        '<span class="fallback-marker" lang="{}">{}</span>', lang, FALLBACK_MARKERS.get(lang, "")
    )
    if paragraphs:
        return format_html('<div lang="{}">{}</div><p>{}</p>', lang, body, marker)
    return format_html('<span lang="{}">{}</span> {}', lang, body, marker)


@register.filter
def record_url(obj) -> str:
    """A record's page, or ``""`` when that kind of page is not wired into the URLconf."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


@register.filter
def year_span(start, end=None) -> str:
    """``2024–2029``, ``since 2024``, ``until 2029`` or ``""``."""
    return format_precise_span(start, DatePrecision.YEAR, end, DatePrecision.YEAR)


@register.filter
def precise(value, precision=None) -> str:
    """A date as precisely as its source gives it: ``{{ obj.signed_on|precise:obj.signed_on_precision }}``."""
    return format_precise_date(value, precision)


@register.filter(name="precise_iso")
def precise_iso_filter(value, precision=None) -> str:
    """The same in ISO 8601 (``1978-10``), for a ``<time datetime>`` attribute."""
    return precise_iso(value, precision)


@register.simple_tag
def precise_span(start, start_precision, end, end_precision) -> str:
    """From ``start`` to ``end``, each as precisely as its source gives it (see ``year_span``)."""
    return format_precise_span(start, start_precision, end, end_precision)


def _query_without(query, name: str, value: str):
    remaining = query.copy()
    values = [v for v in remaining.getlist(name) if v.strip() != value]
    if values:
        remaining.setlist(name, values)
    else:
        remaining.pop(name, None)
    remaining.pop("page", None)
    return remaining.urlencode()


@register.simple_tag(takes_context=True)
def filter_chips(context, filterset) -> list[dict]:
    """The active filters of a list, each with the address of the same list without it.

    Works with any ``core.filters.CatalogFilterSet``: a value's label is read from the options
    the form already loaded; a value the form rejected is flagged ``ignored`` (a list page
    applies the query without it, ``core.views.FilteredListView``: its chip links to that query).
    """
    request = context["request"]
    given = getattr(filterset, "as_given", filterset)
    form = given.form
    errors = form.errors if given.is_bound else {}
    chips = []
    for name, value in given.active_filters:
        field = form.fields.get(name)
        if field is None:
            continue
        value_label = value
        choices = getattr(field, "choices", None)
        normalize = getattr(field, "normalize", None)
        if choices and normalize is not None:
            value_label = {str(k): v for k, v in choices}.get(normalize(value), value)
        query = _query_without(request.GET, name, value)
        chips.append(
            {
                "name": name,
                "label": field.label,
                "value": value,
                "value_label": value_label,
                "ignored": name in errors
                and (given is filterset or value not in request.GET.getlist(name)),
                "url": f"{request.path}?{query}" if query else request.path,
            }
        )
    return chips


@register.simple_tag(takes_context=True)
def url_without_filters(context) -> str:
    """The current list with no filter (its sort order kept)."""
    request = context["request"]
    sort = request.GET.getlist("sort")
    if not sort:
        return request.path
    query = request.GET.copy()
    for key in list(query):
        if key != "sort":
            query.pop(key)
    return f"{request.path}?{query.urlencode()}"


@register.filter
def json_ld(data) -> str:
    """A schema.org description as a JSON data block (not executed, so a strict CSP allows it)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # <, > and & are escaped, so the data cannot close the script element.
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


@register.simple_tag(takes_context=True)
def absolute_uri(context, location=None) -> str:
    """An absolute address for ``location`` (the current page, without its query, by default)."""
    request = context.get("request")
    if request is None:
        return location or ""
    return request.build_absolute_uri(location or request.path)


@register.simple_tag
def opengraph_locale(lang=None) -> str:
    return OPENGRAPH_LOCALES.get(lang or current_language(), "fr_FR")


@register.simple_tag
def opengraph_alternate_locales() -> list[str]:
    lang = current_language()
    return [OPENGRAPH_LOCALES[code] for code, _name in settings.LANGUAGES if code != lang]


@register.filter
def field_widget(bound_field):
    """A form field's control, pointing at its hint and error so screen readers read them."""
    attrs = {}
    described_by = []
    if bound_field.widget_type == "selectmultiple":
        described_by.append(f"{bound_field.auto_id}_hint")
        attrs["size"] = "6"
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def attr_text(obj, name: str) -> str:
    """``obj.<name>`` for a field named in a template variable (a card's summary field)."""
    return getattr(obj, name, "") or ""


@register.filter
def status_between(start, end=None):
    """The status (active, ended, upcoming) of a record dated from ``start`` to ``end``."""
    return date_status(start, end)


@register.filter
def code_and_name(obj) -> str:
    """``IRN – International Research Network``; just the name when it is the code."""
    code, name = str(getattr(obj, "code", "") or ""), str(getattr(obj, "name", "") or "")
    if not code or code.casefold() == name.casefold():
        return name or code
    return f"{code} – {name}" if name else code
