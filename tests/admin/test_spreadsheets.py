"""One rule for every spreadsheet the portal writes: text cells, never formulas."""

import csv
import io
import zipfile
from http import HTTPStatus

import openpyxl
import pytest
import tablib

from core.spreadsheets import SafeCSV, SafeXLSX, csv_text, looks_like_formula
from instruments.models import Instrument
from tests.admin.helpers import admin_url
from tests.factories import InstrumentFactory, KindFactory

TYPED = ['=HYPERLINK("http://x","y")', "+33 1 44 96 40 00", "-2+3", "@SUM(A1)", "\tx", "\rx"]
HARMLESS = ["CNRS", "IRP 2024", "", "a=b", "-12", "+3.5", "2024-06"]


@pytest.mark.parametrize("text", TYPED)
def test_text_a_spreadsheet_could_run_gets_the_owasp_apostrophe_in_csv(text):
    assert looks_like_formula(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_and_plain_numbers_are_left_as_they_are(text):
    assert csv_text(text) == text


def test_values_other_than_text_are_left_as_they_are():
    assert [csv_text(value) for value in (-5, 2.5, None)] == [-5, 2.5, None]


def xlsx_cells(content: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows()]


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_admin_xlsx_writes_every_text_as_a_string_cell_reading_as_typed():
    dataset = tablib.Dataset(headers=["title", "count"], title="Instruments")
    for text in TYPED:
        dataset.append([text, 3])

    content = SafeXLSX().export_data(dataset)

    rows = xlsx_cells(content)
    assert [cell.value for cell in rows[0]] == ["title", "count"]
    titles = [row[0] for row in rows[1:]]
    assert [cell.data_type for cell in titles] == ["s"] * len(TYPED)
    # (XML reads a carriage return as a line feed: the file holds the text as typed.)
    assert [cell.value for cell in titles] == [text.replace("\r", "\n") for text in TYPED]
    assert all(cell.quotePrefix for cell in titles)
    assert [row[1].value for row in rows[1:]] == [3] * len(TYPED)
    assert "<f>" not in sheet_xml(content)


def test_admin_csv_applies_the_owasp_rule():
    dataset = tablib.Dataset(headers=["title"])
    dataset.append(["=1+2"])
    dataset.append(["CNRS"])

    rows = list(csv.reader(io.StringIO(SafeCSV().export_data(dataset))))

    assert rows == [["title"], ["'=1+2"], ["CNRS"]]


def export_post(client, format_index, chosen):
    form_page = client.post(
        admin_url(Instrument, "changelist"),
        {"action": "export_admin_action", "_selected_action": [chosen.pk]},
    )
    form = form_page.context["form"]
    data = {"format": format_index, "resource": "0", "export_items": [str(chosen.pk)]}
    data.update(
        {
            name: "on"
            for name, field in form.fields.items()
            if getattr(field, "is_selectable_field", False)
        }
    )
    return client.post(admin_url(Instrument, "export"), data)


def test_the_admin_export_of_a_typed_formula_is_text(viewer_client):
    chosen = InstrumentFactory(
        slug="chosen", kind=KindFactory(code="IRN"), title_en='=HYPERLINK("http://evil","x")'
    )

    as_csv = export_post(viewer_client, "0", chosen)
    as_xlsx = export_post(viewer_client, "1", chosen)

    assert as_csv.status_code == as_xlsx.status_code == HTTPStatus.OK
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0]["title_en"] == '\'=HYPERLINK("http://evil","x")'
    cells = xlsx_cells(as_xlsx.content)
    column = [cell.value for cell in cells[0]].index("title_en")
    assert cells[1][column].data_type == "s"
    assert cells[1][column].value == '=HYPERLINK("http://evil","x")'
    assert "<f>" not in sheet_xml(as_xlsx.content)


def test_public_xlsx_download_writes_string_cells(client, db):
    from django.urls import reverse
    from django.utils import translation

    InstrumentFactory(slug="typed", coordinators="=HYPERLINK(1)", title_en="-Leading dash")
    with translation.override("en"):
        address = reverse("instruments:export-xlsx")

    response = client.get(address)

    content = b"".join(response.streaming_content)
    cells = xlsx_cells(content)
    header = [cell.value for cell in cells[0]]
    coordinators = cells[1][header.index("Coordinators")]
    assert (coordinators.value, coordinators.data_type) == ("=HYPERLINK(1)", "s")
    assert "<f>" not in sheet_xml(content)


def test_open_data_csv_neutralises_formulas_and_json_keeps_the_text(db, tmp_path):
    import json

    from django.core.management import call_command

    InstrumentFactory(slug="typed", coordinators="=HYPERLINK(1)")

    call_command("export_open_data", str(tmp_path))

    with (tmp_path / "instruments.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["coordinators"] == "'=HYPERLINK(1)"
    items = json.loads((tmp_path / "instruments.json").read_text(encoding="utf-8"))
    assert items[0]["coordinators"] == "=HYPERLINK(1)"
    formula_cells = [
        (path.name, cell)
        for path in tmp_path.glob("*.csv")
        for row in csv.reader(path.open(encoding="utf-8", newline=""))
        for cell in row
        if looks_like_formula(cell)
    ]
    assert formula_cells == []
