"""The ICU collation ``fr_icu`` (French order, numbers by value) that lists sorted by title or
name use on PostgreSQL (core/collation.py). Nothing on SQLite."""

from django.db import migrations

CREATE = (
    "CREATE COLLATION IF NOT EXISTS fr_icu (provider = icu, locale = 'fr-u-kn-true', "
    "deterministic = true)"
)
DROP = "DROP COLLATION IF EXISTS fr_icu"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cnrs_intl", "0003_instrument_search_city")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
