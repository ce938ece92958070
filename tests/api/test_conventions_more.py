"""One convention each, continued: XLSX streamed as it is built, French collation on
PostgreSQL, closed sets as enums in the OpenAPI schema."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from core.exports import xlsx_chunks
from tests.factories import AgreementFactory, CountryFactory, InstitutionFactory


def localized(url_name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(url_name, kwargs=kwargs or None)


def test_xlsx_leaves_before_its_rows_are_read_and_holds_one_chunk_at_a_time():
    read = 0

    def rows():
        nonlocal read
        for number in range(10_000):
            read += 1
            yield [
                f'=HYPERLINK("x{number}")',
                number,
                datetime.datetime(2024, 6, 1, 8, tzinfo=datetime.UTC),
            ]

    chunks = xlsx_chunks([("Rows", ["Text", "Number", "Modified"], rows())], language="en")
    first = next(chunks)
    assert first.startswith(b"PK")  # a zip's first member, before any row was read
    assert read == 0
    sizes = [len(first)]
    reads_at_chunk = []
    for chunk in chunks:
        sizes.append(len(chunk))
        reads_at_chunk.append(read)
    # Rows were read a chunk at a time, not all before the first rows left.
    assert reads_at_chunk[0] < 10_000
    assert len([n for n in reads_at_chunk if n < 10_000]) > 10
    # No chunk holds more than a few hundred rows (the whole file is several times larger).
    assert max(sizes) < sum(sizes) / 4


def test_streamed_xlsx_is_a_whole_workbook_with_text_never_a_formula():
    def rows():
        for number in range(10_000):
            yield ["=1+1", number, datetime.datetime(2024, 6, 1, 8, tzinfo=datetime.UTC)]

    content = b"".join(
        xlsx_chunks(
            [("A: [sheet]?", ["Text", "Number", "Modified"], rows()), ("Two", ["X"], [])],
            language="en",
        )
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["A   sheet", "Two"]
    sheet = workbook.worksheets[0]
    assert sheet.max_row == 10_001
    assert [cell.value for cell in sheet[1]] == ["Text", "Number", "Modified"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=1+1"
    assert sheet["B10001"].value == 9_999
    assert sheet["C2"].value == datetime.datetime(2024, 6, 1, 8)
    assert sheet["C2"].number_format == 'yyyy-mm-dd"T"hh:mm:ss"Z"'
    assert [cell.value for cell in workbook.worksheets[1][1]] == ["X"]


def test_list_download_as_xlsx_is_streamed(client, catalogue):
    response = client.get(localized("institutions:export-xlsx", "fr"), {"country": "cn"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert "Identifiant" in header  # the header in the page's language, read while streaming
    slugs = {sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)}
    assert "cas" in slugs


def test_country_dossier_as_xlsx_is_streamed_one_sheet_per_part(client, catalogue):
    response = client.get(localized("countries:export-xlsx", "en", iso2="cn"))
    assert isinstance(response, StreamingHttpResponse)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) > 1


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the ICU collation is PostgreSQL's (SQLite keeps its order)",
)


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_french_titles_sort_with_their_letter_on_every_channel(client, lang):
    china = CountryFactory(code="CN")
    for name in ("Fjord institute", "École normale", "Delta lab", "zèbre"):
        InstitutionFactory(slug=slugify(name), name_fr=name, name_en=name, country=china)
    for title in ("Fjord accord", "Échange", "Delta accord"):
        AgreementFactory(slug=slugify(title), title_fr=title, title_en=title)
    expected_institutions = ["delta-lab", "ecole-normale", "fjord-institute", "zebre"]
    expected_agreements = ["delta-accord", "echange", "fjord-accord"]

    page = client.get(localized("institutions:list", lang))
    assert [i.slug for i in page.context["object_list"]] == expected_institutions
    page = client.get(localized("institutions:list", lang), {"sort": "-name"})
    assert [i.slug for i in page.context["object_list"]] == expected_institutions[::-1]
    api = client.get(reverse("api:institution-list"), {"sort": "name"}).json()["results"]
    assert [i["slug"] for i in api] == expected_institutions
    response = client.get(localized("institutions:export-csv", lang), {"sort": "name"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    slugs = [row[0] for row in csv.reader(io.StringIO(content))][1:]
    assert slugs == expected_institutions

    page = client.get(localized("partnerships:list", lang), {"sort": "title"})
    assert [a.slug for a in page.context["object_list"]] == expected_agreements


@postgresql_only
@pytest.mark.django_db
def test_the_collation_is_french_icu():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collprovider, colllocale FROM pg_collation WHERE collname = 'fr_icu'"
            if connection.pg_version >= 170000
            else "SELECT collprovider, colliculocale FROM pg_collation WHERE collname = 'fr_icu'"
        )
        assert cursor.fetchone() == ("i", "fr-u-kn-true")
