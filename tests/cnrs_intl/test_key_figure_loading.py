"""Published key figures as the catalogue loads them: with their countries and the tool they
count (fixtures/cooperation/key_figures.csv), and a row naming an unknown country fails naming it.

Apart from the page and API tests (test_key_figures.py): the reference data loaded for this
module would be seen by every test of the module."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError

from core.models import KeyFigure
from tests.reference_data import edit, load_reference_data

DATA = Path(settings.BASE_DIR) / "fixtures" / "cooperation"


def rows() -> list[dict]:
    with (DATA / "key_figures.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def codes_of(row) -> list[str]:
    return [code.strip() for code in row["countries"].split(";") if code.strip()]


def test_key_figures_per_country_are_the_rows_naming_that_country(reference_db):
    expected = Counter(code for row in rows() for code in codes_of(row))
    catalogue = KeyFigure.objects.exclude(data_id="")

    found = {code: catalogue.for_country(code.lower()).count() for code in expected}

    assert found == dict(expected)
    assert expected["CA"] == 18 and expected["JP"] == 14
    worldwide = {row["id"] for row in rows() if not codes_of(row)}
    assert set(catalogue.worldwide().values_list("data_id", flat=True)) == worldwide


def test_a_key_figure_keeps_the_tool_it_counts_and_its_countries(reference_db):
    by_id = {row["id"]: row for row in rows()}

    for figure in KeyFigure.objects.exclude(data_id=""):
        row = by_id[figure.data_id]
        assert figure.kind == row["kind"]
        assert figure.country_code_list == sorted(codes_of(row))
    umi = KeyFigure.objects.exclude(data_id="").of_kind("umi")
    assert umi.count() == Counter(row["kind"] for row in rows())["UMI"]


def test_for_country_matches_whole_codes_only(db):
    KeyFigure.objects.create(slug="cn-it", label="x", countries="it; cn")
    KeyFigure.objects.create(slug="in", label="y", countries="IN")
    figures = KeyFigure.objects.filter(slug__in=["cn-it", "in"])

    assert list(figures.for_country("in").values_list("slug", flat=True)) == ["in"]
    assert list(figures.for_country("IT").values_list("slug", flat=True)) == ["cn-it"]
    assert KeyFigure.objects.get(slug="cn-it").countries == "CN IT"
    assert not figures.for_country("N").exists()


def test_a_key_figure_naming_an_unknown_country_fails_naming_the_row(db, fixtures_copy):
    path = fixtures_copy / "cooperation" / "key_figures.csv"
    edit(path, 'DSIR)",2011-02,,,,,IN,', 'DSIR)",2011-02,,,,,QQ,')

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    message = str(error.value)
    assert "key_figures.csv" in message
    assert "row 'kf-agreements-in-2011'" in message
    assert "countries: 'QQ' is not a known country" in message
