"""Text search over a queryset: PostgreSQL full-text search, or containment on other databases."""

from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q

MAX_QUERY_LENGTH = 5000


def clean_query(text: str) -> str:
    """The query as searched: bounded, without control characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text)[:MAX_QUERY_LENGTH])
    return " ".join(text.split())


def search_queryset(queryset, text: str, fields):
    """Rows matching every word of ``text`` in any of ``fields`` (containment, any database).

    The search page uses ranked full-text search on PostgreSQL; list filters need only
    a yes/no match, which containment gives on both databases.
    """
    text = clean_query(text)
    if not text or not fields:
        return queryset
    words = text.split()[:20]
    condition = Q()
    for word in words:
        condition &= reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
    inner = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=inner)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"
