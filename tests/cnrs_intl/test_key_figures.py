"""Published key figures: the published-figures page (filters, downloads, query counts), the API
and the open data. Their loading is tested in test_key_figure_loading.py."""

import csv
import datetime
import io
import json
import re
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django_countries import countries as iso_countries
from pytest_django.asserts import assertContains

from cnrs_intl.open_data import write_open_data
from tests.api.schema_tools import assert_matches, fetch_schema
from tests.factories import CountryFactory, KeyFigureFactory, KindFactory, LegacyNameFactory
from tests.rendering import SIZES, assert_rendered, link

pytestmark = pytest.mark.django_db

# The queries the figures page takes, whatever the number of figures.
FIGURES_QUERIES = 7


# -- the published-figures page, its downloads, the API, the open data ---------------------------


def figures_url(name="figures:list", lang="en"):
    with translation.override(lang):
        return reverse(name)


def make_figures():
    canada = CountryFactory(code="CA", name_en="Canada", name_fr="Canada")
    japan = CountryFactory(code="JP", name_en="Japan", name_fr="Japon")
    KeyFigureFactory(
        slug="irl-canada-2020",
        figure="5",
        label_en="IRL in Canada",
        kind="IRL",
        countries="CA",
        as_of=datetime.date(2020, 1, 1),
        as_of_precision="year",
        source_url="https://example.org/canada",
        source_title="Canada office page",
        contradictions="5 (office page, 2020) vs four (news, 2022-04)",
    )
    KeyFigureFactory(
        slug="umi-japan-2013",
        figure="3",
        label_en="UMI in Japan",
        kind="UMI",
        countries="JP",
        as_of=datetime.date(2013, 10, 1),
        as_of_precision="month",
    )
    KeyFigureFactory(
        slug="irl-worldwide-2022",
        figure="80",
        label_en="IRL worldwide",
        kind="IRL",
        as_of=datetime.date(2022, 4, 12),
    )
    KeyFigureFactory(slug="undated", figure="about 25", label_en="joint labs", as_of=None)
    KeyFigureFactory(slug="draft", label_en="a draft figure", countries="CA", status="draft")
    return canada, japan


def shown(response) -> list[str]:
    return [figure.slug for figure in response.context["object_list"]]


def test_figures_page_lists_every_published_figure_newest_first(client):
    make_figures()

    response = client.get(figures_url())

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == [
        "irl-worldwide-2022",
        "irl-canada-2020",
        "umi-japan-2013",
        "undated",
    ]
    content = response.content.decode()
    card = re.search(
        r'<article class="card key-figure" id="figure-irl-canada-2020">.*?</article>', content, re.S
    )
    card = card.group(0)
    assert '<span class="figure-value">5</span>' in card
    assert '<time\n  datetime="2020">as of 2020</time>' in card
    assert '<a class="tag" href="/en/countries/ca/">Canada</a>' in card
    assert '<a href="https://example.org/canada" rel="external">Canada office page</a>' in card
    assert "5 (office page, 2020) vs four (news, 2022-04)" in card
    assert '<time\n  datetime="2022-04-12">as of 12 April 2022</time>' in content
    assert '<time\n  datetime="2013-10">as of October 2013</time>' in content
    assert 'class="figure-undated">undated</span>' in content
    assert "a draft figure" not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "ca"}, ["irl-canada-2020"]),
        ({"country": ["CA", "jp"]}, ["irl-canada-2020", "umi-japan-2013"]),
        ({"kind": "irl"}, ["irl-worldwide-2022", "irl-canada-2020"]),
        ({"kind": "UMI"}, ["umi-japan-2013"]),
        ({"kind": "IRL", "country": "jp"}, []),
    ],
)
def test_figures_page_filters_by_country_and_tool(client, query, expected):
    make_figures()
    irl = KindFactory(code="IRL")
    LegacyNameFactory(code="UMI", kind=irl)

    response = client.get(figures_url(), query)

    assert shown(response) == expected


def test_figures_page_names_a_bad_value_instead_of_failing(client):
    make_figures()

    response = client.get(figures_url(), {"country": ["zz", "ca"], "kind": "NOPE"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["irl-canada-2020"]
    notices = " ".join(str(notice) for notice in response.context["notices"])
    assert "ZZ" in notices and "NOPE" in notices


def test_figures_page_in_french(client):
    make_figures()

    response = client.get(figures_url(lang="fr"), {"country": "jp"})

    assert response.status_code == HTTPStatus.OK
    assertContains(response, '<html lang="fr">', html=False)
    assertContains(response, "Chiffres publiés")
    assertContains(response, '<time\n  datetime="2013-10">en octobre 2013</time>', html=False)
    assertContains(response, '<a class="tag" href="/fr/countries/jp/">Japon</a>', html=False)


@pytest.mark.parametrize("count", SIZES)
def test_figures_page_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    codes = [code for code, _name in list(iso_countries)[:count]]
    for number, code in enumerate(codes):
        CountryFactory(code=code)
        KeyFigureFactory(slug=f"f{number:02}", kind="IRL", countries=f"{code} FR")

    with django_assert_num_queries(FIGURES_QUERIES):
        response = client.get(figures_url(), {"kind": "irl"})

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["object_list"]) == count
    assert_rendered(response, [link(f"/en/countries/{code.lower()}/") for code in codes])


def test_figures_download_keeps_the_filters(client):
    make_figures()

    response = client.get(figures_url("figures:export-csv"), {"country": "ca"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    bad = client.get(figures_url("figures:export-csv"), {"country": "zz"})
    workbook = client.get(figures_url("figures:export-xlsx"), {"kind": "umi"})

    assert [(row["Identifier"], row["Countries"], row["As of"]) for row in rows] == [
        ("irl-canada-2020", "Canada", "2020")
    ]
    assert rows[0]["Tool counted"] == "IRL"
    assert rows[0]["Where the sources disagree"] == "5 (office page, 2020) vs four (news, 2022-04)"
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["umi-japan-2013"]


def test_api_lists_key_figures_with_the_filters_and_answers_400_on_a_bad_value(client):
    make_figures()
    url = reverse("api:key-figure-list")

    listed = client.get(url, {"country": "CA"}).json()
    by_kind = client.get(url, {"kind": "irl", "page_size": 1}).json()
    bad = client.get(url, {"country": "zz"})
    detail = client.get(reverse("api:key-figure-detail", kwargs={"slug": "umi-japan-2013"})).json()

    assert [item["slug"] for item in listed["results"]] == ["irl-canada-2020"]
    item = listed["results"][0]
    assert item["figure"] == "5" and item["kind"] == "IRL"
    assert [country["iso2"] for country in item["countries"]] == ["ca"]
    assert (item["as_of"], item["as_of_precision"]) == ("2020-01-01", "year")
    assert item["contradictions"] == "5 (office page, 2020) vs four (news, 2022-04)"
    assert by_kind["count"] == 2 and by_kind["next"] is not None
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "country" in bad.json()
    assert detail["as_of_precision"] == "month"
    assert client.get(reverse("api:key-figure-detail", kwargs={"slug": "draft"})).status_code == 404


def test_api_schema_documents_the_key_figures_and_their_parameters(client):
    make_figures()
    schema = fetch_schema(client)

    body = client.get(reverse("api:key-figure-list"), {"country": "ca"}).json()

    operation = schema["paths"]["/api/v1/key-figures/"]["get"]
    assert {"country", "kind", "q", "page", "page_size"} <= {
        parameter["name"] for parameter in operation["parameters"]
    }
    assert_matches(schema, "/api/v1/key-figures/", "200", body)


def test_open_data_has_the_key_figures_with_their_fields(db, tmp_path):
    make_figures()

    write_open_data(tmp_path)

    records = json.loads((tmp_path / "key_figures.json").read_text(encoding="utf-8"))
    by_slug = {record["slug"]: record for record in records}
    assert set(by_slug) == {"irl-canada-2020", "umi-japan-2013", "irl-worldwide-2022", "undated"}
    assert by_slug["irl-canada-2020"]["countries"] == ["ca"]
    assert by_slug["umi-japan-2013"]["as_of"] == "2013-10"
    assert by_slug["undated"]["as_of"] is None
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| `key_figures.json`, `key_figures.csv` | 4 |" in readme
    assert "- `kind`: code of the tool the figure counts" in readme


def test_the_figures_page_is_in_the_sitemap(client):
    response = client.get(reverse("sitemap"))

    assert "/en/figures/</loc>" in response.content.decode()
