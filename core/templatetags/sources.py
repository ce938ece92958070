"""What a template may say about a source: the language of its title."""

from urllib.parse import parse_qs, urlsplit

from django import template

register = template.Library()

SITE_LANGUAGES = ("en", "fr")


@register.filter
def source_lang(url: str) -> str:
    """The language a source's address declares (``/en/…``, ``?lang=fr``), or ``""``.

    A source title is the page's own title, in the page's language. Only the address can tell
    that language; where it declares none, the title's language is not known and the title is
    left unmarked rather than guessed.
    """
    if not url:
        return ""
    parts = urlsplit(str(url))
    for segment in parts.path.lower().split("/"):
        if segment in SITE_LANGUAGES:
            return segment
    for value in parse_qs(parts.query).get("lang", []):
        if value.lower() in SITE_LANGUAGES:
            return value.lower()
    return ""
