"""Which records the one search covers, and what each one's document holds.

The engine is ``core.search``; this registry lives in the site layer because it names every domain
app's models. ``core/migrations/0003_search_indexes.py`` froze these documents into its GIN
indexes, ``cnrs_intl/migrations/0001_instrument_search_codes.py`` the instrument's unit numbers and codes,
``0003_instrument_search_city.py`` its city: change a document with a new migration (a test
compares them).
"""

from core.search import register_documents

# Weight (A ranks above B) → fields; ``_fr`` fields are stemmed in French, ``_en`` in English.
SEARCH_DOCUMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "offices.office": {
        "A": ("name_fr", "name_en", "city_fr", "city_en"),
        "B": ("description_fr", "description_en"),
    },
    "instruments.instrument": {
        "A": ("acronym", "title_fr", "title_en", "unit_numbers", "former_codes", "stated_code"),
        "B": ("summary_fr", "summary_en", "coordinators", "city"),
    },
    "instruments.network": {
        "A": ("acronym", "name_fr", "name_en"),
        "B": ("description_fr", "description_en"),
    },
    "partnerships.institution": {
        "A": ("acronym", "name_fr", "name_en", "ror_id"),
        "B": ("description_fr", "description_en"),
    },
    "partnerships.agreement": {
        "A": ("title_fr", "title_en"),
        "B": ("summary_fr", "summary_en"),
    },
    "partnerships.call": {
        "A": ("title_fr", "title_en"),
        "B": ("description_fr", "description_en", "funding_fr", "funding_en"),
    },
    "partnerships.milestone": {
        "A": ("title_fr", "title_en"),
        "B": ("description_fr", "description_en"),
    },
}


def register() -> None:
    register_documents(SEARCH_DOCUMENTS)
