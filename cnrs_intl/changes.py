"""What changed in the public catalogue, read across every app's history tables.

``last_change()`` is the moment of the latest change of any record the API, feeds, downloads and
open data show (a save, a link added or removed, a deletion, an unpublication: the history
tables of django-simple-history record them all; ``updated_at`` catches a save made with history
off). ``core.conditional`` uses it for ``Last-Modified``; the site layer registers it at start-up.
"""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.models import Institute, Theme
from instruments.models import Instrument, Kind, LegacyName, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone

CATALOGUE_MODELS = (
    Sector,
    Country,
    Office,
    Coverage,
    Theme,
    Institute,
    Kind,
    LegacyName,
    Network,
    Institution,
    Instrument,
    Agreement,
    Call,
    Milestone,
)


def _as_moment(value) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands back text from raw SQL
        value = parse_datetime(value)
        if value is None:
            return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def last_change_sql() -> str:
    quote = connection.ops.quote_name
    parts = []
    for model in CATALOGUE_MODELS:
        parts.append(
            f"SELECT MAX({quote('history_date')}) AS m FROM {quote(model.history.model._meta.db_table)}"
        )
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            parts.append(
                f"SELECT MAX({quote('updated_at')}) AS m FROM {quote(model._meta.db_table)}"
            )
    return f"SELECT MAX(m) FROM ({' UNION ALL '.join(parts)}) AS changes"


def last_change() -> datetime.datetime | None:
    """The latest change to anything public, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(last_change_sql())
        row = cursor.fetchone()
    return _as_moment(row[0] if row else None)
