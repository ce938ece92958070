"""Public office and sector pages: grouping, coverage years, contact, activity, drafts, 404s,
JSON-LD, languages and query budgets."""

import datetime
import json
import re
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django_countries import countries as iso_countries
from pytest_django.asserts import assertContains, assertNotContains

from core.models import today
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    CoverageFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    OfficeFactory,
    SectorFactory,
)
from tests.rendering import SIZES, assert_rendered

pytestmark = pytest.mark.django_db

# The queries each page takes, whatever the number of rows (see the end of the module).
OFFICE_LIST_QUERIES = 7
OFFICE_DETAIL_QUERIES = 8
SECTOR_QUERIES = 5
# The office page lists this many active instruments, agreements and calls of each kind at most.
LIST_LIMIT = 12


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def page(obj, lang="en"):
    with translation.override(lang):
        return obj.get_absolute_url()


def days(n):
    return today() + datetime.timedelta(days=n)


def json_ld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


# --- offices list ------------------------------------------------------------------------------


def test_office_list_groups_open_offices_by_sector_with_their_countries(client):
    asia = SectorFactory(slug="asia", name_en="Asia–Oceania", order=2)
    europe = SectorFactory(slug="europe", name_en="Europe", order=1)
    beijing = OfficeFactory(
        slug="beijing", name_en="Beijing office", country=CountryFactory(code="CN", sector=asia)
    )
    CoverageFactory(office=beijing, country=CountryFactory(code="MN", name_en="Mongolia"))
    brussels = OfficeFactory(
        slug="brussels",
        name_en="Brussels office",
        country=CountryFactory(code="BE", sector=europe),
    )

    response = client.get(url("offices:list"))

    assert response.status_code == HTTPStatus.OK
    groups = [
        (g["sector"].slug, [o.slug for o in g["offices"]]) for g in response.context["groups"]
    ]
    assert groups == [("europe", ["brussels"]), ("asia", ["beijing"])]
    assert [str(c.country.code) for c in brussels.coverages.all()] == []
    assertContains(response, f'href="{page(CountryFactory(code="MN"))}">Mongolia</a>', html=False)
    assertContains(response, "2 offices open today")


def test_office_list_leaves_out_drafts_and_lists_former_offices_apart(client):
    rio = OfficeFactory(slug="rio", name_en="Rio office", opened=2010, closed=2020)
    sao_paulo = OfficeFactory(slug="sao-paulo", name_en="Sao Paulo office", predecessor=rio)
    OfficeFactory(slug="moscow", name_en="Moscow office", opened=1990, closed_year_unknown=True)
    OfficeFactory(slug="secret", name_en="Secret office", status="draft")

    response = client.get(url("offices:list"))

    open_slugs = [o.slug for g in response.context["groups"] for o in g["offices"]]
    assert open_slugs == ["sao-paulo"]
    assert [o.slug for o in response.context["former_offices"]] == ["moscow", "rio"]
    assertContains(
        response, 'Rio office</a> <span class="muted">(City, 2010–2020)</span>', html=False
    )
    assertContains(
        response,
        'Moscow office</a> <span class="muted">(City, opened in 1990, closing year unknown)</span>',
        html=False,
    )
    assertContains(response, f'<a href="{page(sao_paulo)}">Sao Paulo office</a>', html=False)
    assertNotContains(response, "Secret office")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["(until 2011)", "(closed, dates unknown)"]),
        ("fr", ["(jusqu’en 2011)", "(fermé, dates inconnues)"]),
    ],
)
def test_former_offices_show_only_the_years_known_and_no_city_their_name_says(
    client, lang, expected
):
    OfficeFactory(
        slug="johannesburg",
        name_en="CNRS Office in Johannesburg",
        name_fr="Bureau du CNRS à Johannesburg",
        city_en="Johannesburg",
        city_fr="Johannesburg",
        opened=None,
        closed=2011,
    )
    OfficeFactory(
        slug="moscow",
        name_en="CNRS Office in Moscow",
        name_fr="Bureau du CNRS à Moscou",
        city_en="Moscow",
        city_fr="Moscou",
        opened=None,
        closed_year_unknown=True,
    )

    response = client.get(url("offices:list", lang=lang))

    content = response.content.decode()
    shown = re.findall(r'</a> <span class="muted">(\(.*?\))</span>', content)
    assert shown == expected
    assert "?" not in "".join(shown)


def test_office_list_filters_by_country_and_explains_a_meaningless_value(client):
    china = CountryFactory(code="CN")
    beijing = OfficeFactory(slug="beijing", country=china)
    CoverageFactory(office=beijing, country=china)
    OfficeFactory(slug="tokyo", country=CountryFactory(code="JP"))

    filtered = client.get(url("offices:list"), {"country": "cn"})
    meaningless = client.get(url("offices:list"), {"country": "ZZ"})

    assert [o.slug for g in filtered.context["groups"] for o in g["offices"]] == ["beijing"]
    assert meaningless.status_code == HTTPStatus.OK
    assert len(meaningless.context["notices"]) == 1
    assert "“ZZ”" in meaningless.context["notices"][0]
    assert sorted(o.slug for g in meaningless.context["groups"] for o in g["offices"]) == [
        "beijing",
        "tokyo",
    ]


# --- office page -------------------------------------------------------------------------------


def test_office_page_shows_countries_with_the_years_it_covered_them(client):
    singapore = OfficeFactory(
        slug="singapore", name_en="Singapore office", opened=2014, country=CountryFactory(code="SG")
    )
    CoverageFactory(office=singapore, country=CountryFactory(code="TH", name_en="Thailand"))
    CoverageFactory(
        office=singapore, country=CountryFactory(code="VN", name_en="Vietnam"), start_year=2016
    )
    CoverageFactory(
        office=singapore,
        country=CountryFactory(code="AU", name_en="Australia"),
        start_year=2014,
        end_year=2021,
    )

    response = client.get(page(singapore))

    assert response.status_code == HTTPStatus.OK
    rows = [(str(c.country.code), str(country)) for c, country in response.context["coverage_rows"]]
    assert rows == [("TH", "Thailand"), ("VN", "Vietnam")]
    assert [str(c.country.code) for c in response.context["past_coverages"]] == ["AU"]
    content = response.content.decode()
    assert re.search(r'>Thailand</a></th>\s*<td data-label="Covered">since 2014</td>', content)
    assert re.search(r'>Vietnam</a></th>\s*<td data-label="Covered">since 2016</td>', content)
    assert re.search(r">Australia</a> <span class=\"muted\">\(2014–2021\)</span>", content)


def test_office_page_shows_contact_photo_operators_and_history(client, settings):
    predecessor = OfficeFactory(
        slug="johannesburg", name_en="Johannesburg office", opened=2000, closed=2011
    )
    office = OfficeFactory(
        slug="pretoria",
        name_en="Pretoria office",
        opened=2011,
        predecessor=predecessor,
        address="Hatfield, Pretoria",
        email="pretoria@example.org",
        website="https://pretoria.example.org/",
        photo=SimpleUploadedFile("pretoria.jpg", b"not really a jpeg"),
        photo_credit="A. Photographer",
    )
    successor = OfficeFactory(slug="later", name_en="Later office", predecessor=office)
    ird = InstitutionFactory(slug="ird", name_en="IRD")
    ird.offices_operated.add(office)
    InstitutionFactory(
        slug="hidden", name_en="Hidden operator", status="draft"
    ).offices_operated.add(office)

    response = client.get(page(office))

    assertContains(response, '<a href="mailto:pretoria@example.org">', html=False)
    assertContains(response, "Hatfield, Pretoria")
    assertContains(response, "© A. Photographer")
    assertContains(response, f'src="{office.photo.url}"', html=False)
    assertContains(response, f'<a href="{page(ird)}">IRD</a>', html=False)
    assertNotContains(response, "Hidden operator")
    assertContains(response, f'<a href="{page(predecessor)}">Johannesburg office</a>', html=False)
    assertContains(response, f'<a href="{page(successor)}">Later office</a>', html=False)


def test_office_page_shows_what_is_active_in_its_countries_with_counts(client):
    china = CountryFactory(code="CN", name_en="China")
    japan = CountryFactory(code="JP", name_en="Japan")
    office = OfficeFactory(slug="beijing", country=china)
    CoverageFactory(office=office, country=china)
    irn = KindFactory(code="IRN")
    InstrumentFactory(slug="active-china", title_en="Active in China", kind=irn, countries=[china])
    InstrumentFactory(
        slug="ended-china",
        title_en="Ended in China",
        countries=[china],
        start_on=datetime.date(2010, 1, 1),
        end_on=datetime.date(2015, 1, 1),
    )
    InstrumentFactory(
        slug="draft-china", title_en="Draft in China", status="draft", countries=[china]
    )
    InstrumentFactory(slug="in-japan", title_en="Active in Japan", countries=[japan])
    in_force = AgreementFactory(slug="in-force", title_en="Agreement in force")
    in_force.countries.add(china)
    expired = AgreementFactory(
        slug="expired",
        title_en="Expired agreement",
        signed_on=datetime.date(2000, 1, 1),
        expires_on=datetime.date(2005, 1, 1),
    )
    expired.countries.add(china)
    open_call = CallFactory(
        slug="open", title_en="Open call", opens_on=days(-10), closes_on=days(20)
    )
    open_call.countries.add(china)
    CallFactory(slug="closed", title_en="Closed call").countries.add(china)

    response = client.get(page(office))

    active = response.context["active"]
    assert [i.slug for i in active["instruments"]["items"]] == ["active-china"]
    assert active["instruments"]["count"] == 1
    assert [a.slug for a in active["agreements"]["items"]] == ["in-force"]
    assert [c.slug for c in active["calls"]["items"]] == ["open"]
    ((_coverage, counted),) = response.context["coverage_rows"]
    assert (counted.instrument_count, counted.agreement_count, counted.call_count) == (1, 1, 1)
    assertContains(response, "Active in China")
    assertContains(response, "Agreement in force")
    with translation.override("en"):
        deadline = date_format(days(20), "DATE_FORMAT")
    assertContains(response, f'<span class="call-deadline">deadline {deadline}</span>', html=False)
    for absent in (
        "Ended in China",
        "Draft in China",
        "Active in Japan",
        "Expired agreement",
        "Closed call",
    ):
        assertNotContains(response, absent)


def test_office_page_links_to_the_full_filtered_lists_past_its_limit(client):
    china = CountryFactory(code="CN")
    office = OfficeFactory(slug="beijing", country=china)
    CoverageFactory(office=office, country=china)
    for number in range(13):
        InstrumentFactory(slug=f"i{number:02}", countries=[china])

    response = client.get(page(office))

    instruments = response.context["active"]["instruments"]
    assert (len(instruments["items"]), instruments["count"]) == (12, 13)
    assert instruments["url"] == f"{url('instruments:list')}?country=cn&status=active"
    assertContains(response, "See all 13 active instruments")


def test_office_page_describes_the_office_in_json_ld(client):
    office = OfficeFactory(
        slug="tokyo",
        name_en="Tokyo office",
        city_en="Tokyo",
        country=CountryFactory(code="JP"),
        address="Tokyo, 1-2-3",
        latitude="35.68950",
        longitude="139.69171",
        email="tokyo@example.org",
    )

    data = json_ld(client.get(page(office)))

    assert data["@type"] == "GovernmentOffice"
    assert data["name"] == "Tokyo office"
    assert data["url"] == f"http://testserver{page(office)}"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Tokyo",
        "addressCountry": "JP",
        "streetAddress": "Tokyo, 1-2-3",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 35.6895, "longitude": 139.69171}
    assert data["email"] == "tokyo@example.org"


def test_office_page_has_opengraph_tags(client):
    office = OfficeFactory(slug="tokyo", name_en="Tokyo office")

    response = client.get(page(office))

    assertContains(response, '<meta property="og:title" content="Tokyo office">', html=False)
    assertContains(response, '<meta property="og:locale" content="en_GB">', html=False)


def test_office_page_in_french_and_its_language_switch_stays_on_the_office(client):
    office = OfficeFactory(slug="tokyo", name_fr="Bureau de Tokyo", name_en="Tokyo office")

    french = client.get(page(office, "fr"))

    assert french.status_code == HTTPStatus.OK
    assertContains(french, '<html lang="fr">', html=False)
    assertContains(french, "<h1>Bureau de Tokyo</h1>", html=False)
    assertContains(french, 'href="/en/offices/tokyo/" hreflang="en"', html=False)


def test_office_page_falls_back_to_french_with_a_marker(client):
    office = OfficeFactory(slug="tokyo", name_fr="Bureau de Tokyo", name_en="")

    response = client.get(page(office, "en"))

    assertContains(
        response,
        '<h1><span lang="fr">Bureau de Tokyo</span> <span class="fallback-marker" lang="fr">(en français)</span></h1>',
        html=False,
    )


@pytest.mark.parametrize("slug", ["nowhere", "draft"])
def test_unknown_or_draft_office_is_a_404_in_the_site_layout(client, slug):
    OfficeFactory(slug="draft", status="draft")

    response = client.get(url("offices:detail", slug=slug))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assertContains(response, 'class="site-header"', status_code=HTTPStatus.NOT_FOUND, html=False)


# --- sectors -----------------------------------------------------------------------------------


def test_sector_page_shows_its_offices_and_countries(client):
    asia = SectorFactory(slug="asia-oceania", name_en="Asia–Oceania")
    europe = SectorFactory(slug="europe")
    china = CountryFactory(code="CN", name_en="China", sector=asia)
    CountryFactory(code="LA", name_en="Laos", sector=asia)
    CountryFactory(code="DE", name_en="Germany", sector=europe)
    beijing = OfficeFactory(slug="beijing", name_en="Beijing office", country=china)
    CoverageFactory(office=beijing, country=china)
    hanoi = OfficeFactory(
        slug="hanoi", name_en="Hanoi office", opened=2007, closed=2014, country=china
    )
    OfficeFactory(slug="draft", name_en="Draft office", country=china, status="draft")
    InstrumentFactory(slug="in-china", countries=[china])

    response = client.get(url("offices:sector", slug="asia-oceania"))

    assert response.status_code == HTTPStatus.OK
    assert [o.slug for o in response.context["open_offices"]] == ["beijing"]
    assert [o.slug for o in response.context["former_offices"]] == [hanoi.slug]
    assert [str(c.code) for c in response.context["active_countries"]] == ["CN"]
    assert [str(c.code) for c in response.context["other_countries"]] == ["LA"]
    (china_row,) = response.context["active_countries"]
    assert china_row.instrument_count == 1
    assert [c.office.slug for c in china_row.current_coverages] == ["beijing"]
    assertContains(response, "<h1>Asia–Oceania</h1>", html=False)
    assertNotContains(response, "Germany")
    assertNotContains(response, "Draft office")


def test_sector_list_counts_countries_and_offices(client):
    asia = SectorFactory(slug="asia-oceania", name_en="Asia–Oceania")
    china = CountryFactory(code="CN", sector=asia)
    CountryFactory(code="JP", sector=asia)
    OfficeFactory(slug="beijing", country=china)

    response = client.get(url("offices:sectors"))

    (sector,) = response.context["sectors"]
    assert (sector.country_count, [o.slug for o in sector.open_offices]) == (2, ["beijing"])
    assertContains(response, "2 countries · 1 office")


def test_unknown_sector_is_a_404(client):
    response = client.get(url("offices:sector", slug="atlantis"))

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- query counts -----------------------------------------------------------------------------
# Each page takes exactly the same number of queries with one row as with a full page of them,
# and shows them all.


def _codes(count):
    return [code for code, _name in list(iso_countries)[:count]]


@pytest.mark.parametrize("count", SIZES)
def test_office_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    linked = []
    for number, code in enumerate(_codes(count)):
        country = CountryFactory(code=code)
        office = OfficeFactory(slug=f"o{number:02}", country=country)
        CoverageFactory(office=office, country=country)
        InstitutionFactory(slug=f"op{number:02}").offices_operated.add(office)
        linked += [office, country]

    with django_assert_num_queries(OFFICE_LIST_QUERIES):
        response = client.get(url("offices:list"))

    assert response.status_code == HTTPStatus.OK
    assert response.context["office_count"] == count
    assert_rendered(response, linked)


# The office page lists up to LIST_LIMIT active instruments, agreements and calls, and counts
# them (one query each) only when there are more: 3 queries more past 12, then no more.
@pytest.mark.parametrize(
    ("count", "queries"),
    [(1, OFFICE_DETAIL_QUERIES), (LIST_LIMIT, OFFICE_DETAIL_QUERIES)]
    + [(n, OFFICE_DETAIL_QUERIES + 3) for n in (LIST_LIMIT + 1, 20)],
)
def test_office_page_queries_do_not_grow_with_rows(
    client, django_assert_num_queries, count, queries
):
    codes = _codes(count)
    office = OfficeFactory(slug="main", country=CountryFactory(code=codes[0]))
    listed, linked = {"instruments": [], "agreements": [], "calls": []}, []
    for number, code in enumerate(codes):
        country = CountryFactory(code=code)
        CoverageFactory(office=office, country=country)
        listed["instruments"].append(InstrumentFactory(slug=f"i{number:02}", countries=[country]))
        agreement = AgreementFactory(slug=f"a{number:02}")
        agreement.countries.add(country)
        listed["agreements"].append(agreement)
        call = CallFactory(slug=f"c{number:02}", opens_on=days(-1), closes_on=days(9))
        call.countries.add(country)
        listed["calls"].append(call)
        linked.append(OfficeFactory(slug=f"next{number:02}", predecessor=office))
        operator = InstitutionFactory(slug=f"op{number:02}")
        operator.offices_operated.add(office)
        linked += [country, operator]

    with django_assert_num_queries(queries):
        response = client.get(page(office))

    assert response.status_code == HTTPStatus.OK
    active = response.context["active"]
    for key, rows in listed.items():
        items = active[key]["items"]
        assert active[key]["count"] == count, key
        assert len(items) == min(count, LIST_LIMIT), key
        assert set(items) <= set(rows), key
        linked += items
    assert_rendered(response, linked)


@pytest.mark.parametrize("count", SIZES)
def test_sector_page_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    sector = SectorFactory(slug="s")
    linked = []
    for number, code in enumerate(_codes(count)):
        country = CountryFactory(code=code, sector=sector)
        office = OfficeFactory(slug=f"o{number:02}", country=country)
        CoverageFactory(office=office, country=country)
        InstrumentFactory(slug=f"i{number:02}", countries=[country])
        linked += [country, office]
    CountryFactory(code="ZW", sector=SectorFactory(slug="elsewhere"))

    with django_assert_num_queries(SECTOR_QUERIES):
        response = client.get(url("offices:sector", slug="s"))

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["active_countries"]) == count
    assert_rendered(response, linked)


def test_draft_office_is_hidden_from_the_public_and_previewed_by_staff(client, admin_client):
    draft = OfficeFactory(slug="nairobi-draft", status="draft", country=CountryFactory(code="KE"))
    path = reverse("offices:detail", kwargs={"slug": draft.slug})

    public = client.get(path)
    public_preview = client.get(path + "?preview=1")
    staff_preview = admin_client.get(path + "?preview=1")

    assert public.status_code == HTTPStatus.NOT_FOUND
    assert public_preview.status_code == HTTPStatus.NOT_FOUND
    assert staff_preview.status_code == HTTPStatus.OK
    assertContains(staff_preview, "draft-banner")
    assert "no-store" in staff_preview["Cache-Control"]
