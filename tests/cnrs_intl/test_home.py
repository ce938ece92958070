"""The home page: what the portal is and one search box first, live counts of what holds today
(each linking to its list), CNRS tools by name, a short selection of published figures labelled
with their date, the map of the offices paired with a list, what was published last, both
languages, and a constant number of queries."""

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
    CallFactory,
    CountryFactory,
    CoverageFactory,
    InstrumentFactory,
    KeyFigureFactory,
    KindFactory,
    LegacyNameFactory,
    OfficeFactory,
)
from tests.rendering import SIZES, assert_rendered

pytestmark = pytest.mark.django_db

# The queries the home page takes, whatever the number of records.
HOME_QUERIES = 15


def home(lang="en"):
    with translation.override(lang):
        return reverse("home")


def page(obj, lang="en"):
    with translation.override(lang):
        return obj.get_absolute_url()


def test_home_counts_what_holds_today_each_linking_to_its_list(client):
    irn = KindFactory(code="IRN", name_en="International Research Network")
    phc = KindFactory(code="PHC", name_en="Hubert Curien partnership", cnrs_tool="no")
    InstrumentFactory(slug="active", kind=irn, countries=[CountryFactory(code="ZA")])
    InstrumentFactory(
        slug="ended",
        kind=irn,
        start_on=datetime.date(2010, 1, 1),
        end_on=datetime.date(2014, 1, 1),
    )
    InstrumentFactory(slug="undated", kind=irn, start_on=None, end_on=None)
    InstrumentFactory(slug="draft", kind=irn, status="draft")
    InstrumentFactory(slug="phc-1", kind=phc, start_on=None, end_on=None)
    InstrumentFactory(slug="phc-2", kind=phc, start_on=None, end_on=None)
    OfficeFactory(slug="open")
    OfficeFactory(slug="closed", opened=1990, closed=2000)
    AgreementFactory(slug="in-force")
    AgreementFactory(
        slug="expired", signed_on=datetime.date(2015, 1, 1), expires_on=datetime.date(2021, 1, 1)
    )
    CallFactory(slug="open-call", closes_on=timezone.localdate() + datetime.timedelta(days=30))
    CallFactory(slug="closed-call")

    response = client.get(home())

    assert response.status_code == HTTPStatus.OK
    counts = {key: (value, url) for key, value, _label, url in response.context["counts"]}
    assert counts == {
        "offices": (1, "/en/offices/"),
        "instruments": (1, "/en/instruments/?status=active"),
        "agreements": (1, "/en/partnerships/?status=active"),
        "open_calls": (1, "/en/calls/?status=active"),
        "countries": (1, "/en/countries/"),
    }
    assertContains(
        response,
        '<a class="count-link" href="/en/instruments/?status=active"><span class="count-value">1</span>\n'
        '      <span class="count-label">instrument active today</span></a>',
        html=False,
    )
    # Only CNRS tools get a tile, with their name; partner programmes are one line.
    assert [(k.code, k.count, k.total) for k in response.context["kinds"]] == [("IRN", 1, 3)]
    assertContains(response, "International Research Network")
    assert response.context["partner_programmes"] == {
        "count": 2,
        "url": "/en/instruments/?kind=PHC",
    }
    assertContains(response, "and 2 records of partner programmes")
    assertNotContains(response, "Hubert Curien partnership</")


def test_home_shows_a_short_selection_of_figures_each_labelled_with_its_date(client):
    irl = KindFactory(code="IRL")
    LegacyNameFactory(code="UMI", kind=irl)
    InstrumentFactory(slug="one", kind=irl)
    InstrumentFactory(slug="two", kind=irl)
    KeyFigureFactory(
        slug="irl-2022",
        value=80,
        figure="80",
        label_en="IRL worldwide",
        label_fr="IRL dans le monde",
        compare_with="kind:UMI",
        source_title="A university news page",
        source_url="https://example.org/news",
        as_of=datetime.date(2022, 4, 1),
        as_of_precision="month",
        order=1,
    )
    KeyFigureFactory(
        slug="undated", figure="about 25", label_en="UMI around the world", as_of=None, order=2
    )
    KeyFigureFactory(slug="history", label_en="not on the home page", on_home_page=False)
    KeyFigureFactory(slug="draft", label_en="a draft figure", status="draft")

    english = client.get(home())
    french = client.get(home("fr"))

    assert [(f.slug, f.live_count) for f in english.context["figures"]] == [
        ("irl-2022", 2),
        ("undated", None),
    ]
    content = english.content.decode()
    assert "<table" not in content
    item = re.search(r'<li class="figure-item">.*?</li>', content, re.S).group(0)
    assert '<span class="figure-value">80</span> IRL worldwide' in item
    assert '<time\n  datetime="2022-04">as of April 2022</time>' in item
    assert '<a href="https://example.org/news" rel="external">source</a>' in item
    assert "In the portal today: 2 active" in item
    assertContains(english, 'class="figure-undated">undated</span>', html=False)
    assertContains(english, '<a href="/en/figures/">All published figures (3)</a>', html=False)
    assertNotContains(english, "not on the home page")
    assertNotContains(english, "a draft figure")
    assertContains(french, "IRL dans le monde")
    assertContains(french, ">en avril 2022</time>", html=False)
    assertContains(french, "Tous les chiffres publiés (3)")


def test_home_has_one_search_box_under_what_the_portal_is(client):
    response = client.get(home())

    content = response.content.decode()
    assert content.count('type="search"') == 1
    hero = re.search(r'<section class="hero".*?</section>', content, re.S).group(0)
    assert '<form class="search-box" role="search" action="/en/search/"' in hero
    assert hero.index("<h1") < hero.index('class="lead"') < hero.index("search-box")


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
    assert [kind.count for kind in response.context["kinds"]] == [count]
    latest = [row["record"] for row in response.context["latest"]]
    assert len(latest) == min(2 * count, 8)
    assert_rendered(response, linked + latest)
