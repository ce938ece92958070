"""Text search over querysets.

On PostgreSQL, full-text search: each searchable model has a *document* (its fields, French ones
stemmed in French, English ones in English, codes and acronyms as they are, all without accents),
matched against the query parsed in the three configurations, ranked with ``ts_rank``, and served by
a GIN expression index built from the same SQL (migration ``core.0003_search_indexes``). When
nothing matches, a typo-tolerant fallback uses ``pg_trgm`` word similarity on names and titles.

On other databases (SQLite in development), every word must be contained in one of the fields.

Models are registered by label from the site layer, so ``core`` names nothing above it.
"""

import unicodedata
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Greatest

MAX_QUERY_LENGTH = 5000
MAX_WORDS = 20
MAX_FUZZY_LENGTH = 100
UNACCENT_FUNCTION = "cnrs_unaccent"

# What each model's document holds: weight (A ranks above B) → fields. A field ending in _fr is
# stemmed in French, _en in English, any other one ('simple') is taken as written. The site layer
# fills it (``cnrs_intl.search``) so this engine names no model of the apps above.
SEARCH_DOCUMENTS: dict[str, dict[str, tuple[str, ...]]] = {}

# Names and titles compared by trigram word similarity when full-text search finds nothing
# (a gin_trgm_ops index each).
TRIGRAM_FIELDS: dict[str, tuple[str, ...]] = {}


def register_documents(documents: dict[str, dict[str, tuple[str, ...]]]) -> None:
    """Make ``documents`` (model label → weight → fields) the searchable models."""
    SEARCH_DOCUMENTS.clear()
    SEARCH_DOCUMENTS.update(documents)
    TRIGRAM_FIELDS.clear()
    TRIGRAM_FIELDS.update(
        {
            label: tuple(f for f in weights["A"] if f.endswith(("_fr", "_en")))
            for label, weights in documents.items()
        }
    )


FUZZY_THRESHOLD = 0.5


def clean_query(text: str) -> str:
    """The query as searched: bounded, without control characters (NUL bytes included)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text)[:MAX_QUERY_LENGTH])
    return " ".join(text.split())


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _config(field: str) -> str:
    if field.endswith("_fr"):
        return "french"
    if field.endswith("_en"):
        return "english"
    return "simple"


def document_sql(weights: dict[str, tuple[str, ...]], column) -> str:
    """The SQL of a model's search document; ``column(field)`` gives each column's SQL.

    The query and the index are both written by this function, so PostgreSQL sees the same
    expression and uses the index.
    """
    parts = []
    for weight, fields in sorted(weights.items()):
        for config in ("french", "english", "simple"):
            chosen = [f for f in fields if _config(f) == config]
            if not chosen:
                continue
            text = " || ' ' || ".join(f"COALESCE({column(f)}, '')" for f in chosen)
            parts.append(
                f"setweight(to_tsvector('{config}'::regconfig, "
                f"{UNACCENT_FUNCTION}({text})), '{weight}')"
            )
    return "(" + " || ".join(parts) + ")"


def query_sql() -> str:
    """The SQL of the parsed query (one parameter, given three times)."""
    return (
        "("
        + " || ".join(
            f"websearch_to_tsquery('{config}'::regconfig, {UNACCENT_FUNCTION}(%s))"
            for config in ("french", "english", "simple")
        )
        + ")"
    )


class _Document(Expression):
    """A model's search document, columns resolved against the query's tables."""

    def __init__(self, weights, template, query_text, output_field):
        super().__init__(output_field=output_field)
        self.weights = weights
        self.template = template
        self.query_text = query_text
        self.names = [f for fields in weights.values() for f in fields]
        self.columns = [F(name) for name in self.names]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        compiled = {}
        params: list = []
        for name, column in zip(self.names, self.columns, strict=True):
            sql, column_params = compiler.compile(column)
            compiled[name] = sql
            params.extend(column_params)
        document = document_sql(self.weights, compiled.__getitem__)
        return self.template.format(document=document, query=query_sql()), [
            *params,
            *[self.query_text] * 3,
        ]


def _matches(weights, text):
    return _Document(weights, "{document} @@ {query}", text, BooleanField())


def _rank(weights, text):
    return _Document(weights, "ts_rank({document}, {query})", text, FloatField())


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _containment(fields, words) -> Q:
    """Every word in one of the fields (accents ignored on PostgreSQL)."""
    lookup = "icontains"
    if is_postgresql():
        lookup = "unaccent__icontains"
        words = [strip_accents(word) for word in words]
    condition = Q()
    for word in words:
        condition &= reduce(or_, (Q(**{f"{field}__{lookup}": word}) for field in fields))
    return condition


def _words(text: str) -> list[str]:
    return text.split()[:MAX_WORDS]


def search_queryset(queryset, text: str, fields):
    """Rows matching ``text``: every word contained in one of ``fields`` on any database, or
    (PostgreSQL) the model's full-text document, which adds stemming and ignores accents.

    A yes/no filter for the lists' ``q``; ``ranked_search`` orders by relevance.
    """
    text = clean_query(text)
    if not text or not fields:
        return queryset
    condition = _containment(fields, _words(text))
    weights = SEARCH_DOCUMENTS.get(queryset.model._meta.label_lower)
    if weights and is_postgresql():
        condition |= Q(_matches(weights, text))
    inner = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=inner)


def ranked_search(queryset, text: str, fields=(), *, fuzzy: bool = False):
    """``queryset`` narrowed to ``text`` and ordered by relevance (``search_rank``, best first).

    On PostgreSQL a model with a search document is searched in full text (the GIN index serves
    it); otherwise every word must be contained in one of ``fields`` (an exact name or title
    first, then names and titles containing the words, then the rest). With ``fuzzy`` on PostgreSQL: rows whose names or titles look like the query
    (typos), by trigram word similarity.
    """
    text = clean_query(text)
    label = queryset.model._meta.label_lower
    weights = SEARCH_DOCUMENTS.get(label)
    fields = tuple(fields) or tuple(f for fields in (weights or {}).values() for f in fields)
    if not text or not fields:
        return queryset.none()
    words = _words(text)
    if fuzzy:
        return _fuzzy(queryset, text[:MAX_FUZZY_LENGTH], label)
    if weights and is_postgresql():
        return (
            queryset.filter(_matches(weights, text))
            .annotate(search_rank=_rank(weights, text))
            .order_by("-search_rank", *queryset.query.order_by or queryset.model._meta.ordering)
        )
    condition = _containment(fields, words)
    # Names and titles (the document's A fields, or the first field in each language) rank first.
    stem = fields[0].rsplit("_", 1)[0]
    primary = weights["A"] if weights else tuple(f for f in fields if f.rsplit("_", 1)[0] == stem)
    rank = Case(
        When(reduce(or_, (Q(**{f"{field}__iexact": text}) for field in primary)), then=Value(3)),
        When(_containment(primary, words), then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(condition)
        .annotate(search_rank=rank)
        .order_by("-search_rank", *queryset.query.order_by or queryset.model._meta.ordering)
    )


def _fuzzy(queryset, text, label):
    fields = TRIGRAM_FIELDS.get(label)
    if not fields or not is_postgresql():
        return queryset.none()
    from django.contrib.postgres.search import TrigramWordSimilarity

    condition = reduce(or_, (Q(**{f"{field}__trigram_word_similar": text}) for field in fields))
    similarities = [TrigramWordSimilarity(text, field) for field in fields]
    # Greatest() needs two expressions: a model with one name field compares that one.
    similarity = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
    return (
        queryset.filter(condition)
        .annotate(search_rank=similarity)
        .filter(search_rank__gte=FUZZY_THRESHOLD)
        .order_by("-search_rank", *queryset.model._meta.ordering)
    )
