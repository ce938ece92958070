"""Whether an office is closed is one fact: its closing year or, when no source gives the year,
``closed_year_unknown``; every read asks ``is_closed``, ``open()`` or ``closed_offices()``."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from offices.models import Coverage, Office
from tests.factories import CountryFactory, CoverageFactory, OfficeFactory

BEFORE, AFTER = ("offices", "0003_office_is_closed"), ("offices", "0004_office_closed_year_unknown")


@pytest.mark.django_db
def test_open_closed_in_a_year_and_closed_at_an_unknown_date():
    country = CountryFactory(code="RU")
    open_office = OfficeFactory(slug="open", country=country)
    dated = OfficeFactory(slug="dated", country=country, opened=1990, closed=2011)
    undated = OfficeFactory(slug="undated", country=country, closed_year_unknown=True)
    for office in (open_office, dated, undated):
        CoverageFactory(office=office, country=country)

    assert [o.is_closed for o in (open_office, dated, undated)] == [False, True, True]
    assert [o.is_open for o in (open_office, dated, undated)] == [True, False, False]
    assert list(Office.objects.open().values_list("slug", flat=True)) == ["open"]
    assert set(Office.objects.closed_offices().values_list("slug", flat=True)) == {
        "dated",
        "undated",
    }
    assert list(Coverage.objects.current().values_list("office__slug", flat=True)) == ["open"]
    assert set(Coverage.objects.past().values_list("office__slug", flat=True)) == {
        "dated",
        "undated",
    }


@pytest.mark.django_db
def test_a_closing_year_and_year_unknown_together_are_refused():
    office = OfficeFactory.build(closed=2011, closed_year_unknown=True)

    with pytest.raises(ValidationError) as error:
        office.clean()

    assert list(error.value.message_dict) == ["closed_year_unknown"]
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeFactory(closed=2011, closed_year_unknown=True)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


# Transactional, as schema changes need on SQLite; pytest-django runs such tests last.
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_office_open_or_closed_as_it_was():
    old = migrate(BEFORE)
    Sector, Country = old.get_model("offices", "Sector"), old.get_model("offices", "Country")
    OldOffice = old.get_model("offices", "Office")
    sector = Sector.objects.create(slug="europe", name="Europe")
    country = Country.objects.create(code="RU", sector=sector)
    common = {"country": country, "sector": sector, "city": "Moscow"}
    OldOffice.objects.create(slug="open", name="Open", **common)
    OldOffice.objects.create(slug="dated", name="Dated", closed=2011, is_closed=True, **common)
    OldOffice.objects.create(slug="undated", name="Undated", is_closed=True, **common)

    new = migrate(AFTER)
    rows = new.get_model("offices", "Office").objects.order_by("slug")

    assert list(rows.values_list("slug", "closed", "closed_year_unknown")) == [
        ("dated", 2011, False),
        ("open", None, False),
        ("undated", None, True),
    ]

    back = migrate(BEFORE)
    rows = back.get_model("offices", "Office").objects.order_by("slug")
    assert list(rows.values_list("slug", "closed", "is_closed")) == [
        ("dated", 2011, True),
        ("open", None, False),
        ("undated", None, True),
    ]
    # Back to the latest schema of every app (later migrations exist), for the tests after it.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
