"""The home page: live counts beside the published figures, the map of the offices paired with
a list, what was published last, both languages, and a constant number of queries."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries as iso_countries
from pytest_django.asserts import assertContains, assertNotContains

from core.map import HEIGHT, WIDTH, office_map, project
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    CoverageFactory,
    InstitutionFactory,
    InstrumentFactory,
    KeyFigureFactory,
    KindFactory,
    LegacyNameFactory,
    OfficeFactory,
)
from tests.rendering import SIZES, assert_rendered

pytestmark = pytest.mark.django_db

# The queries the home page takes, whatever the number of records.
HOME_QUERIES = 16


def home(lang="en"):
    with translation.override(lang):
        return reverse("home")


def page(obj, lang="en"):
    with translation.override(lang):
        return obj.get_absolute_url()


def test_home_shows_live_counts(client):
    irn = KindFactory(code="IRN")
    InstrumentFactory(slug="one", kind=irn)
    InstrumentFactory(slug="two", kind=irn)
    InstrumentFactory(slug="draft", kind=irn, status="draft")
    OfficeFactory(slug="open")
    OfficeFactory(slug="closed", opened=1990, closed=2000)
    AgreementFactory(slug="agreement")
    InstitutionFactory(slug="cas")
    InstitutionFactory(slug="hidden", status="draft")

    response = client.get(home())

    assert response.status_code == HTTPStatus.OK
    counts = {key: value for key, value, _label in response.context["counts"]}
    assert counts == {
        "offices": 1,
        "instruments": 2,
        "networks": 0,
        "agreements": 1,
        "institutions": 1,
        "countries": 1,
        "open_calls": 0,
    }
    assert [(kind.code, kind.count) for kind in response.context["kinds"]] == [("IRN", 2)]
    assertContains(
        response,
        '<span class="count-value">1</span> <span class="count-label">office open today</span>',
        html=False,
    )
    assertContains(
        response,
        '<span class="count-value">2</span> <span class="count-label">cooperation instruments</span>',
        html=False,
    )


def test_home_shows_each_published_figure_with_its_source_beside_the_live_count(client):
    irn = KindFactory(code="IRN")
    LegacyNameFactory(code="GDRI", kind=irn)
    InstrumentFactory(slug="one", kind=irn)
    InstrumentFactory(slug="two", kind=irn)
    KeyFigureFactory(
        slug="gdri",
        value=101,
        label_en="international research networks (GDRI)",
        compare_with="kind:GDRI",
        source_title="CNRS international brochure",
        source_url="https://example.org/brochure",
        as_of=datetime.date(2012, 1, 1),
        order=1,
    )
    KeyFigureFactory(
        slug="missions",
        value=55000,
        qualifier="about",
        label_en="missions abroad a year",
        as_of=datetime.date(2014, 1, 1),
        order=2,
    )
    KeyFigureFactory(slug="draft", label_en="a draft figure", status="draft")

    response = client.get(home())

    figures = [(f.slug, f.live_count) for f in response.context["figures"]]
    assert figures == [("gdri", 2), ("missions", None)]
    content = response.content.decode()
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><span class=\"figure-value\">101</span>.*?</tr>", content, re.S
    )
    assert row is not None
    assert "international research networks (GDRI)" in row.group(0)
    assert (
        '<a href="https://example.org/brochure" rel="external">CNRS international brochure</a>'
        in row.group(0)
    )
    assert '<time datetime="2012-01-01">2012</time>' in row.group(0)
    assert '<span class="live-value">2</span>' in row.group(0)
    assertContains(response, '<span class="figure-value">~55000</span>', html=False)
    assertNotContains(response, "a draft figure")


def test_home_map_links_each_published_office_and_shades_the_countries_it_covers(client):
    china = CountryFactory(code="CN", name_en="China")
    mongolia = CountryFactory(code="MN", name_en="Mongolia")
    beijing = OfficeFactory(
        slug="beijing", name_en="Beijing office", country=china, latitude=39.9, longitude=116.4
    )
    CoverageFactory(office=beijing, country=china)
    CoverageFactory(office=beijing, country=mongolia)
    tokyo = OfficeFactory(
        slug="tokyo",
        name_en="Tokyo office",
        country=CountryFactory(code="JP"),
        latitude=35.7,
        longitude=139.7,
    )
    OfficeFactory(slug="draft", name_en="Draft office", latitude=0, longitude=0, status="draft")
    OfficeFactory(slug="closed", name_en="Closed office", latitude=1, longitude=1, closed=2001)

    response = client.get(home())

    content = response.content.decode()
    svg = re.search(r"<svg class=\"world-map\".*?</svg>", content, re.S).group(0)
    markers = re.findall(r'<a class="map-marker" href="([^"]+)"', svg)
    assert markers == [page(beijing), page(tokyo)]
    covered = re.findall(r'data-country="([a-z]{2})"', svg)
    assert covered == ["cn", "mn"]
    assert f'<a href="{page(china)}" tabindex="-1" data-country="cn">' in svg
    assert "Draft office" not in content
    assert "Closed office" not in content
    # The same content as a list, after a link that skips the map.
    office_list = re.search(r'<div id="office-list".*?</section>', content, re.S).group(0)
    assert f'<a href="{page(beijing)}" class="office-link">Beijing office</a>' in office_list
    assert f'<a href="{page(tokyo)}" class="office-link">Tokyo office</a>' in office_list
    assert f'<a href="{page(china)}">China</a>' in office_list
    assert f'<a href="{page(mongolia)}">Mongolia</a>' in office_list
    assertContains(response, '<a class="skip-to-list" href="#office-list">', html=False)


def test_map_places_markers_with_the_projection_inside_the_map():
    class Spot:
        def __init__(self, lat, lon):
            self.latitude, self.longitude = lat, lon

    paris, nowhere = Spot(48.85, 2.35), Spot(None, None)

    drawn = office_map([paris, nowhere], {"fr": True})

    (marker,) = drawn["markers"]
    assert (marker["x"], marker["y"]) == project(2.35, 48.85)
    assert 0 < marker["x"] < WIDTH / 2 + 20 < WIDTH
    assert 0 < marker["y"] < HEIGHT / 2
    shaded = [shape["code"] for shape in drawn["shapes"] if shape["covered"]]
    assert shaded == ["FR"]
    codes = {shape["code"] for shape in drawn["shapes"]}
    assert {"CN", "BR", "AU", "ZA", "RU"} <= codes
    assert "AQ" not in codes


def test_home_lists_recently_published_records_but_no_draft(client):
    InstrumentFactory(slug="fresh", title_en="Fresh instrument", published_at=timezone.now())
    InstrumentFactory(slug="draft", title_en="Draft instrument", status="draft")
    AgreementFactory(
        slug="old",
        title_en="Older agreement",
        published_at=timezone.now() - datetime.timedelta(days=30),
    )

    response = client.get(home())

    assert [row["record"].slug for row in response.context["latest"]] == ["fresh", "old"]
    assertNotContains(response, "Draft instrument")


def test_home_in_both_languages(client):
    OfficeFactory(slug="tokyo", name_fr="Bureau de Tokyo", name_en="Tokyo office")

    french = client.get(home("fr"))
    english = client.get(home("en"))

    assertContains(french, '<html lang="fr">', html=False)
    assertContains(french, "Bureau de Tokyo")
    assertContains(english, '<html lang="en">', html=False)
    assertContains(english, "Tokyo office")
    assertContains(
        english, '<form class="search-box" role="search" action="/en/search/"', html=False
    )


def test_root_redirects_by_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/"


@pytest.mark.parametrize("count", SIZES)
def test_home_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    irn = KindFactory(code="IRN")
    LegacyNameFactory(code="GDRI", kind=irn)
    codes = [code for code, _name in list(iso_countries)[:count]]
    linked = []
    for number, code in enumerate(codes):
        country = CountryFactory(code=code)
        office = OfficeFactory(slug=f"o{number:02}", country=country, latitude=10, longitude=10)
        CoverageFactory(office=office, country=country)
        InstrumentFactory(slug=f"i{number:02}", kind=irn, countries=[country])
        AgreementFactory(slug=f"a{number:02}").countries.add(country)
        KeyFigureFactory(slug=f"f{number:02}", compare_with="kind:GDRI")
        linked += [office, country]

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(home())

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["map"]["markers"]) == count
    assert [figure.live_count for figure in response.context["figures"]] == [count] * count
    latest = [row["record"] for row in response.context["latest"]]
    assert len(latest) == min(2 * count, 8)
    assert_rendered(response, linked + latest)
