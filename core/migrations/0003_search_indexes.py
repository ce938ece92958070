"""Full-text and trigram search indexes (PostgreSQL only; nothing happens on SQLite).

- the ``unaccent`` and ``pg_trgm`` extensions (both trusted: no superuser needed);
- ``cnrs_unaccent(text)``, an IMMUTABLE wrapper of ``unaccent`` that index expressions may use;
- per searchable model, a GIN index on its search document (the expression written by
  ``core.search.document_sql``, so queries and index match), and a ``gin_trgm_ops`` index on
  each name/title column for the typo-tolerant fallback.

The documents are frozen below as they were when this migration was written; a test checks
they still equal ``core.search.SEARCH_DOCUMENTS`` (change both with a new migration).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class PostgresOnlyReverse:
    """Django's extension operations skip other databases going forwards but not backwards
    (they query pg_extension): reversing on SQLite does nothing, as going forwards does."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Unaccent(PostgresOnlyReverse, UnaccentExtension):
    pass


class Trigram(PostgresOnlyReverse, TrigramExtension):
    pass

SEARCH_DOCUMENTS = {
    "offices.office": {
        "A": ("name_fr", "name_en", "city_fr", "city_en"),
        "B": ("description_fr", "description_en"),
    },
    "instruments.instrument": {
        "A": ("acronym", "title_fr", "title_en"),
        "B": ("summary_fr", "summary_en", "coordinators"),
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

UNACCENT_FUNCTION = """
CREATE OR REPLACE FUNCTION cnrs_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""


def _index_names(model, weights):
    table = model._meta.db_table
    trigram = [f for f in weights["A"] if f.endswith(("_fr", "_en"))]
    return f"{table[:40]}_fts", [(field, f"{table[:40]}_{field}_trgm") for field in trigram]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from core.search import document_sql

    quote = schema_editor.quote_name
    schema_editor.execute(UNACCENT_FUNCTION)
    for label, weights in SEARCH_DOCUMENTS.items():
        model = apps.get_model(label)
        table = quote(model._meta.db_table)
        fts_name, trigram = _index_names(model, weights)
        document = document_sql(weights, quote)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(fts_name)} ON {table} USING gin (({document}))"
        )
        for field, name in trigram:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {table} "
                f"USING gin ({quote(field)} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for label, weights in SEARCH_DOCUMENTS.items():
        fts_name, trigram = _index_names(apps.get_model(label), weights)
        for name in [fts_name, *(name for _field, name in trigram)]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    schema_editor.execute("DROP FUNCTION IF EXISTS cnrs_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("offices", "0002_office_editors"),
        ("instruments", "0001_initial"),
        ("partnerships", "0001_initial"),
    ]

    operations = [
        Unaccent(),
        Trigram(),
        migrations.RunPython(create, drop, elidable=False),
    ]
