"""The instrument search document also holds the codes it is known by and its unit numbers.

``UMI 3654``, ``IRL 2010`` or a former code (``UMI`` for a unit now an IRL) find the record:
``unit_numbers``, ``former_codes`` and ``stated_code`` join the document's weight-A fields, and
the GIN index on the document is rebuilt for the new expression (PostgreSQL only). A site-layer
migration, since it names an app above core; frozen here as core's 0003 froze the others, and the
test compares them with ``cnrs_intl.search.SEARCH_DOCUMENTS``.
"""

from django.db import migrations

LABEL = "instruments.instrument"
BEFORE = {
    "A": ("acronym", "title_fr", "title_en"),
    "B": ("summary_fr", "summary_en", "coordinators"),
}
DOCUMENT = {
    "A": ("acronym", "title_fr", "title_en", "unit_numbers", "former_codes", "stated_code"),
    "B": ("summary_fr", "summary_en", "coordinators"),
}
# The documents as this migration leaves them: 0003's, with the instrument's replaced.
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
        ("core", "0005_key_figure_as_written_source_notes"),
        ("core", "0003_search_indexes"),
        ("instruments", "0004_source_notes_codes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
