"""Pieces every record page's schema.org description (JSON-LD) shares.

Each record page builds its own description next to its view (``instrument_json_ld``,
``institution_json_ld``, ``agreement_json_ld``…) from these pieces: names in the page's language
(translated fields read in the active language), addresses absolute, dates ISO 8601 at the
source's precision (``1978-10``), types named in the schema.org vocabulary
(``"@context": "https://schema.org"`` makes ``ResearchProject`` the URL
``https://schema.org/ResearchProject``); ``additionalType`` is always a URL.
"""

from core.dates import precise_iso

CONTEXT = "https://schema.org"
CNRS = {"@type": "ResearchOrganization", "name": "CNRS", "url": "https://www.cnrs.fr/"}


def record(request, obj, schema_type: str, name: str) -> dict:
    """The opening of a record's description: its type, its page as ``@id`` and ``url``."""
    url = request.build_absolute_uri(obj.get_absolute_url())
    return {"@context": CONTEXT, "@type": schema_type, "@id": url, "url": url, "name": name}


def reference(request, obj, schema_type: str, name=None) -> dict:
    """Another record named by its page: ``{"@type", "name", "url"}``."""
    return {
        "@type": schema_type,
        "name": str(obj) if name is None else name,
        "url": request.build_absolute_uri(obj.get_absolute_url()),
    }


def add_date(data: dict, key: str, value, precision) -> None:
    if value is not None:
        data[key] = precise_iso(value, precision)


def add_text(data: dict, key: str, value) -> None:
    if value:
        data[key] = value


def countries(items) -> list[dict]:
    return [{"@type": "Country", "name": str(country)} for country in items]


def keywords(themes) -> str:
    return ", ".join(str(theme) for theme in themes)
