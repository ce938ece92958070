"""One convention each: moments in UTC, one order per list, list cells that survive a ``;``,
JSON-LD types as URLs."""

import csv
import datetime
import io
import json
from http import HTTPStatus

import openpyxl
from django.urls import reverse
from django.utils import translation

from core.exports import join_items
from partnerships.models import Institution
from tests.factories import CallFactory


def localized(url_name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(url_name, kwargs=kwargs or None)


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def utc(moment) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def test_moments_are_utc_in_the_api_csv_xlsx_feed_and_open_data(client, catalogue):
    institution = Institution.objects.get(slug="cas")
    expected = utc(institution.updated_at)

    api = client.get(reverse("api:institution-detail", kwargs={"slug": "cas"})).json()
    assert api["modified"].endswith("Z")
    assert api["modified"].startswith(expected[:-1])

    rows = csv_rows(client.get(localized("institutions:export-csv"), {"country": "cn"}))
    assert {row["Identifier"]: row["Modified"] for row in rows}["cas"] == expected

    response = client.get(localized("institutions:export-xlsx"), {"country": "cn"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Modified") + 1)
    assert cell.number_format == 'yyyy-mm-dd"T"hh:mm:ss"Z"'
    modified = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=header.index("Modified") + 1)
        for r in range(2, sheet.max_row + 1)
    }["cas"].value
    assert modified.isoformat() + "Z" == expected

    feed = client.get(localized("feeds:institutions"), {"country": "cn"}).content.decode()
    assert f"<updated>{expected[:-1]}" in feed
    assert "+00:00</updated>" in feed


def test_list_cells_quote_a_value_holding_a_semicolon():
    cell = join_items(["Smith; Jones lab", 'The "CAS"', "NSFC"])

    assert cell == '"Smith; Jones lab"; "The ""CAS"""; NSFC'
    assert next(csv.reader([cell], delimiter=";", skipinitialspace=True)) == [
        "Smith; Jones lab",
        'The "CAS"',
        "NSFC",
    ]


def test_a_name_with_a_semicolon_survives_the_csv(client, catalogue):
    catalogue.jsps.name_en = "JSPS; Tokyo"
    catalogue.jsps.save()
    catalogue.old_japan.parties.add(catalogue.cas)

    rows = csv_rows(client.get(localized("partnerships:export-csv")))

    parties = {row["Identifier"]: row["Parties"] for row in rows}["old-japan"]
    assert sorted(next(csv.reader([parties], delimiter=";", skipinitialspace=True))) == [
        "Chinese Academy of Sciences (CAS)",
        "JSPS; Tokyo",
    ]


def test_calls_are_open_first_on_every_channel(client, catalogue):
    CallFactory(
        slug="a-past-call",
        opens_on=datetime.date(2001, 1, 1),
        closes_on=datetime.date(2001, 3, 1),
    )
    CallFactory(
        slug="z-open-call",
        opens_on=datetime.date(2020, 1, 1),
        closes_on=datetime.date(2097, 3, 1),
    )
    CallFactory(slug="upcoming-call", opens_on=datetime.date(2099, 1, 1), closes_on=None)
    expected = ["z-open-call", "nsfc-call", "upcoming-call", "jsps-call", "a-past-call"]

    page = client.get(localized("calls:list"))
    assert [call.slug for call in page.context["object_list"]] == expected
    api = client.get(reverse("api:call-list")).json()["results"]
    assert [call["slug"] for call in api] == expected
    rows = csv_rows(client.get(localized("calls:export-csv")))
    assert [row["Identifier"] for row in rows] == expected


def test_instrument_json_ld_names_its_kind_by_url(client, catalogue):
    response = client.get(localized("instruments:detail", slug="irn-bio"))

    html = response.content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["additionalType"] == "http://testserver/en/instruments/?kind=IRN"
    assert response.status_code == HTTPStatus.OK
