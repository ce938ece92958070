"""French alphabetical order for titles and names on PostgreSQL.

PostgreSQL's default collation here is ``C`` (byte order): "École" would sort after "Zambie".
The ICU collation ``fr_icu`` (created by ``cnrs_intl/migrations/0004_fr_icu_collation.py``;
French rules, numbers by value) sorts "École" among the E, as a French reader expects. Lists
sorted by a title or a name use it on PostgreSQL (``collated``); SQLite has no ICU and keeps
its own order (its default, by code point), which the tests do not rely on for accents.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import CharField, F, OrderBy, TextField
from django.db.models.functions import Collate
from django.utils import translation

COLLATION = "fr_icu"
TEXT_FIELDS = ("title", "name")
LANGUAGES = ("fr", "en")


def enabled() -> bool:
    return connection.vendor == "postgresql"


def _column(model, name: str) -> str | None:
    """The column a text term sorts on: a translated field in the active language."""
    base, _sep, suffix = name.rpartition("_")
    if name not in TEXT_FIELDS and not (base in TEXT_FIELDS and suffix in LANGUAGES):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # an annotation: left as it is
        return None
    if not isinstance(field, CharField | TextField):
        return None
    if name not in TEXT_FIELDS:
        return name  # a translated column already (modeltranslation rewrites ``name``)
    language = (translation.get_language() or "fr").split("-")[0]
    localized = f"{name}_{language}"
    return localized if hasattr(model, localized) else name


def collated(model, terms) -> list:
    """``terms`` (``order_by`` arguments) with each title or name sorted by ``fr_icu`` on
    PostgreSQL; unchanged elsewhere."""
    if not enabled():
        return list(terms)
    result = []
    for term in terms:
        if isinstance(term, str):
            descending = term.startswith("-")
            column = _column(model, term.lstrip("-"))
            if column is not None:
                expression = Collate(F(column), COLLATION)
                result.append(expression.desc() if descending else expression.asc())
                continue
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            column = _column(model, term.expression.name)
            if column is not None:
                result.append(OrderBy(Collate(F(column), COLLATION), descending=term.descending))
                continue
        result.append(term)
    return result


def order(queryset, *terms):
    """``queryset.order_by(*terms)``, titles and names in French order on PostgreSQL."""
    return queryset.order_by(*collated(queryset.model, terms))


def default_order(queryset):
    """The queryset in the order it was given (or its model's default order), titles and names
    in French order on PostgreSQL."""
    if not enabled():
        return queryset
    terms = list(queryset.query.order_by)
    if not terms and queryset.query.default_ordering:
        terms = list(queryset.model._meta.ordering)
    new = collated(queryset.model, terms)
    if new == terms:
        return queryset
    return queryset.order_by(*new, "pk")
