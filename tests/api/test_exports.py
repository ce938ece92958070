"""Downloads beside the public lists: CSV (UTF-8 with BOM) and XLSX, same filters, published only."""

import csv
import io
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation


def url(name, lang="fr", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(response) -> dict[str, list[list]]:
    content = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def column(rows, label):
    index = rows[0].index(label)
    return [row[index] for row in rows[1:]]


def test_instruments_csv_keeps_the_filters(client, catalogue):
    response = client.get(
        url("instruments:export-csv"), {"country": "cn", "theme": "biodiversity", "page": 2}
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming is True
    assert response["Content-Disposition"].startswith('attachment; filename="instruments-fr-')
    rows = read_csv(response)
    assert [row[0] for row in rows[1:]] == ["irn-bio"]


def test_instruments_csv_leaves_drafts_and_draft_relations_out(client, catalogue):
    rows = read_csv(client.get(url("instruments:export-csv", lang="en"), {"country": "cn"}))

    assert rows[0][:3] == ["Identifier", "Acronym", "Title"]
    assert column(rows, "Identifier") == ["future-irn", "irn-bio"]
    irn_bio = dict(zip(rows[0], rows[2], strict=True))
    assert irn_bio["Title"] == "Biodiversity network"
    assert irn_bio["Partner institutions"] == "Chinese Academy of Sciences (CAS)"
    assert irn_bio["Node of networks"] == "CNC – Carbon network"
    assert irn_bio["Countries"] == "China"
    assert irn_bio["Themes"] == "Biodiversity"
    assert irn_bio["CNRS institutes"] == "INEE"
    assert irn_bio["Status"] == "Active"
    assert irn_bio["Start"] == "2024-06-01"
    assert irn_bio["Page"] == "http://testserver/en/instruments/irn-bio/"
    assert "draft-instrument" not in "".join(",".join(row) for row in rows)
    assert "hidden-institution" not in "".join(",".join(row) for row in rows)


def test_instruments_csv_in_french_uses_the_french_titles(client, catalogue):
    rows = read_csv(client.get(url("instruments:export-csv", lang="fr"), {"kind": "LIA"}))

    assert [row[2] for row in rows[1:]] == ["Projet physique"]


def test_instruments_xlsx_keeps_the_filters(client, catalogue):
    response = client.get(url("instruments:export-xlsx", lang="en"), {"status": "active"})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheets = read_xlsx(response)
    assert list(sheets) == ["Instruments"]
    rows = sheets["Instruments"]
    assert column(rows, "Identifier") == ["irn-bio"]
    assert column(rows, "Partner institutions") == ["Chinese Academy of Sciences (CAS)"]


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("partnerships:export-csv", {"country": "cn"}, ["cnrs-cas"]),
        ("partnerships:export-csv", {}, ["cnrs-cas", "old-japan"]),
        ("institutions:export-csv", {"country": "cn"}, ["cas", "nsfc"]),
        ("calls:export-csv", {"status": "ended"}, ["jsps-call"]),
        ("calls:export-csv", {}, ["nsfc-call", "jsps-call"]),
        ("instruments:networks-export-csv", {}, ["cnc"]),
    ],
)
def test_every_list_has_a_csv_with_its_filters(client, catalogue, name, params, expected):
    rows = read_csv(client.get(url(name, lang="en"), params))

    assert column(rows, "Identifier") == expected


@pytest.mark.parametrize(
    ("name", "sheet", "expected"),
    [
        ("partnerships:export-xlsx", "Agreements", ["cnrs-cas", "old-japan"]),
        ("institutions:export-xlsx", "Institutions", ["cas", "jsps", "nsfc"]),
        ("calls:export-xlsx", "Calls for proposals", ["nsfc-call", "jsps-call"]),
    ],
)
def test_every_list_has_an_xlsx(client, catalogue, name, sheet, expected):
    sheets = read_xlsx(client.get(url(name, lang="en")))

    assert column(sheets[sheet], "Identifier") == expected


def test_agreement_export_leaves_draft_parties_and_offices_out(client, catalogue):
    rows = read_csv(client.get(url("partnerships:export-csv", lang="en"), {"country": "cn"}))

    agreement = dict(zip(rows[0], rows[1], strict=True))
    assert agreement["Parties"] == "Chinese Academy of Sciences (CAS)"
    assert agreement["Following office"] == ""


@pytest.mark.parametrize(
    "name",
    [
        "instruments:export-csv",
        "instruments:export-xlsx",
        "partnerships:export-csv",
        "institutions:export-xlsx",
        "calls:export-csv",
    ],
)
def test_a_filter_value_that_means_nothing_answers_400_in_plain_text(client, catalogue, name):
    response = client.get(url(name, lang="en"), {"country": "zz"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "Invalid filter value:\n- country: “ZZ” is not a known value for this filter.\n"
    )


def test_a_cell_starting_like_a_formula_is_neutralised(client, catalogue):
    catalogue.irn_bio.coordinators = "=HYPERLINK(1)"
    catalogue.irn_bio.save()

    rows = read_csv(client.get(url("instruments:export-csv", lang="en"), {"country": "cn"}))
    sheets = read_xlsx(client.get(url("instruments:export-xlsx", lang="en"), {"country": "cn"}))

    # CSV: the OWASP apostrophe; XLSX: a string cell reading exactly what was typed.
    assert column(rows, "Coordinators")[1] == "'=HYPERLINK(1)"
    assert column(sheets["Instruments"], "Coordinators")[1] == "=HYPERLINK(1)"


def test_country_dossier_csv_has_every_published_record_with_its_type(client, catalogue):
    response = client.get(url("countries:export-csv", lang="en", iso2="cn"))

    rows = read_csv(response)
    assert response["Content-Disposition"].startswith('attachment; filename="country-cn-en-')
    assert rows[0][:3] == ["Type", "Identifier", "Title"]
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("Office", "beijing"),
        ("Instrument", "future-irn"),
        ("Instrument", "irn-bio"),
        ("Network", "cnc"),
        ("Agreement", "cnrs-cas"),
        ("Call for proposals", "nsfc-call"),
        ("Institution", "cas"),
        ("Institution", "nsfc"),
        ("Milestone", "agreement-1978"),
        ("Milestone", "visit-2024"),
    ]


def test_country_dossier_xlsx_has_one_sheet_per_type(client, catalogue):
    sheets = read_xlsx(client.get(url("countries:export-xlsx", lang="en", iso2="CN")))

    assert list(sheets) == [
        "Office",
        "Instrument",
        "Network",
        "Agreement",
        "Call for proposals",
        "Institution",
        "Milestone",
    ]
    assert column(sheets["Instrument"], "Identifier") == ["future-irn", "irn-bio"]
    assert column(sheets["Office"], "Identifier") == ["beijing"]
    assert column(sheets["Agreement"], "Parties") == ["Chinese Academy of Sciences (CAS)"]


@pytest.mark.parametrize("iso2", ["zz", "c1", "chn"])
def test_country_dossier_export_of_no_country_is_not_found(client, catalogue, iso2):
    response = client.get(url("countries:export-csv", iso2=iso2))

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("list_name", "csv_name", "xlsx_name", "feed_name"),
    [
        (
            "instruments:list",
            "instruments:export-csv",
            "instruments:export-xlsx",
            "feeds:instruments",
        ),
        (
            "partnerships:list",
            "partnerships:export-csv",
            "partnerships:export-xlsx",
            "feeds:partnerships",
        ),
        (
            "institutions:list",
            "institutions:export-csv",
            "institutions:export-xlsx",
            "feeds:institutions",
        ),
        ("calls:list", "calls:export-csv", "calls:export-xlsx", "feeds:calls"),
    ],
)
def test_list_pages_link_their_downloads_and_feed_with_the_filters(
    client, catalogue, list_name, csv_name, xlsx_name, feed_name
):
    response = client.get(url(list_name, lang="en"), {"country": "cn", "page": 1})

    html = response.content.decode()
    assert f'href="{url(csv_name, lang="en")}?country=cn"' in html
    assert f'href="{url(xlsx_name, lang="en")}?country=cn"' in html
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Atom feed of this list" '
        f'href="{url(feed_name, lang="en")}?country=cn">'
    ) in html


def test_country_dossier_links_its_downloads_and_feed(client, catalogue):
    response = client.get(url("countries:detail", lang="en", iso2="cn"))

    html = response.content.decode()
    assert f'href="{url("countries:export-csv", lang="en", iso2="cn")}"' in html
    assert f'href="{url("countries:export-xlsx", lang="en", iso2="cn")}"' in html
    assert f'href="{url("feeds:instruments", lang="en")}?country=cn"' in html
