"""The instrument search document also holds its city (Tokyo, Santiago…), at the lower weight.

The GIN index on the document is rebuilt for the new expression (PostgreSQL only); frozen here as
0001 froze the codes, and the test compares both with ``cnrs_intl.search.SEARCH_DOCUMENTS``.
"""

from django.db import migrations

LABEL = "instruments.instrument"
BEFORE = {
    "A": ("acronym", "title_fr", "title_en", "unit_numbers", "former_codes", "stated_code"),
    "B": ("summary_fr", "summary_en", "coordinators"),
}
DOCUMENT = {
    "A": ("acronym", "title_fr", "title_en", "unit_numbers", "former_codes", "stated_code"),
    "B": ("summary_fr", "summary_en", "coordinators", "city"),
}
# The documents as this migration leaves them: 0001's, with the instrument's replaced.
SEARCH_DOCUMENTS = {LABEL: DOCUMENT}


def _rebuild(apps, schema_editor, weights):
    if schema_editor.connection.vendor != "postgresql":
        return
    from core.search import document_sql

    quote = schema_editor.quote_name
    model = apps.get_model(LABEL)
    table = model._meta.db_table
    name = f"{table[:40]}_fts"
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    schema_editor.execute(
        f"CREATE INDEX {quote(name)} ON {quote(table)} USING gin (({document_sql(weights, quote)}))"
    )


def forwards(apps, schema_editor):
    _rebuild(apps, schema_editor, DOCUMENT)


def backwards(apps, schema_editor):
    _rebuild(apps, schema_editor, BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("cnrs_intl", "0002_change_log"),
        ("instruments", "0006_lineage_city"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
