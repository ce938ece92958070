"""The countries index and the country dossier: every section, drafts never shown, addresses in
any case, 404s, print stylesheet, both languages and query budgets."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation
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
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    SectorFactory,
    ThemeFactory,
)
from tests.rendering import SIZES, assert_rendered, link

pytestmark = pytest.mark.django_db
D = datetime.date

# The queries each page takes, whatever the number of rows (see the end of the module).
INDEX_QUERIES = 3
DOSSIER_QUERIES = 19  # with the instruments' lineage line: predecessors and successors


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def page(obj, lang="en"):
    with translation.override(lang):
        return obj.get_absolute_url()


def days(n):
    return today() + datetime.timedelta(days=n)


# --- the index ---------------------------------------------------------------------------------


def test_country_index_lists_countries_with_activity_by_sector(client):
    asia = SectorFactory(slug="asia", name_en="Asia–Oceania", order=2)
    europe = SectorFactory(slug="europe", name_en="Europe", order=1)
    china = CountryFactory(code="CN", name_en="China", sector=asia)
    japan = CountryFactory(code="JP", name_en="Japan", sector=asia)
    belgium = CountryFactory(code="BE", name_en="Belgium", sector=europe)
    CountryFactory(code="LA", name_en="Laos", sector=asia)
    CountryFactory(code="DE", name_en="Germany", sector=europe)
    beijing = OfficeFactory(slug="beijing", name_en="Beijing office", country=china)
    CoverageFactory(office=beijing, country=china)
    InstrumentFactory(slug="in-japan", countries=[japan])
    AgreementFactory(slug="with-belgium").countries.add(belgium)
    # Activity that is only a draft does not count.
    InstrumentFactory(slug="draft", status="draft", countries=[CountryFactory(code="LA")])
    draft_office = OfficeFactory(slug="draft-office", status="draft", country=china)
    CoverageFactory(office=draft_office, country=CountryFactory(code="DE"))

    response = client.get(url("countries:list"))

    assert response.status_code == HTTPStatus.OK
    groups = [
        (g["sector"].slug, [str(c.code) for c in g["countries"]])
        for g in response.context["groups"]
    ]
    assert groups == [("europe", ["BE"]), ("asia", ["CN", "JP"])]
    assert response.context["country_count"] == 3
    content = response.content.decode()
    assert re.search(
        rf'<a href="{page(china)}">China</a></th>\s*<td data-label="Office"><a href="{page(beijing)}">Beijing office</a></td>',
        content,
    )
    assertNotContains(response, "Laos")
    assertNotContains(response, "Germany")
    assertContains(response, "3 countries with activity")


# --- the dossier -------------------------------------------------------------------------------


@pytest.fixture
def china_dossier():
    """China with an office now and one before, and a record of each kind (plus what must not show)."""
    china = CountryFactory(code="CN", name_en="China", name_fr="Chine")
    japan = CountryFactory(code="JP", name_en="Japan")
    beijing = OfficeFactory(slug="beijing", name_en="Beijing office", country=china, opened=1995)
    CoverageFactory(office=beijing, country=china, start_year=1995)
    hanoi = OfficeFactory(
        slug="hanoi", name_en="Hanoi office", country=china, opened=1990, closed=1994
    )
    CoverageFactory(office=hanoi, country=china, start_year=1990, end_year=1994)
    # Closed at an unknown date: it covered China once, it does not now.
    moscow = OfficeFactory(
        slug="moscow", name_en="Moscow office", country=china, opened=1980, closed_year_unknown=True
    )
    CoverageFactory(office=moscow, country=china, start_year=1980)
    secret = OfficeFactory(slug="secret", name_en="Secret office", country=china, status="draft")
    CoverageFactory(office=secret, country=china)

    irn, irp = (
        KindFactory(code="IRN", name_en="Research network", order=1),
        KindFactory(code="IRP", name_en="Research project", order=2),
    )
    biodiversity = ThemeFactory(slug="biodiversity", name_en="Biodiversity")
    ThemeFactory(slug="unused", name_en="Unused theme")
    InstrumentFactory(
        slug="net-b", title_en="B network", kind=irn, countries=[china], themes=[biodiversity]
    )
    InstrumentFactory(slug="net-a", title_en="A network", kind=irn, countries=[china])
    InstrumentFactory(slug="project", title_en="A project", kind=irp, countries=[china])
    InstrumentFactory(
        slug="ended",
        title_en="Ended project",
        kind=irp,
        countries=[china],
        start_on=D(2010, 1, 1),
        end_on=D(2014, 12, 31),
    )
    InstrumentFactory(
        slug="draft", title_en="Draft network", kind=irn, countries=[china], status="draft"
    )
    InstrumentFactory(slug="japanese", title_en="Japanese network", kind=irn, countries=[japan])

    cas = InstitutionFactory(
        slug="cas", name_en="Chinese Academy of Sciences", acronym="CAS", country=china
    )
    InstitutionFactory(slug="hidden", name_en="Hidden institute", country=china, status="draft")
    InstitutionFactory(slug="jsps", name_en="Japan Society", country=japan)
    in_force = AgreementFactory(
        slug="cas-agreement",
        title_en="CNRS–CAS agreement",
        signed_on=D(1978, 10, 1),
        renewed_on=D(2023, 10, 19),
    )
    in_force.countries.add(china)
    in_force.parties.add(cas)
    expired = AgreementFactory(
        slug="expired",
        title_en="Expired agreement",
        signed_on=D(2000, 1, 1),
        expires_on=D(2005, 1, 1),
    )
    expired.countries.add(china)
    AgreementFactory(
        slug="draft-agreement", title_en="Draft agreement", status="draft"
    ).countries.add(china)

    open_call = CallFactory(
        slug="open", title_en="Open call", opens_on=days(-5), closes_on=days(25)
    )
    open_call.countries.add(china)
    coming = CallFactory(
        slug="coming", title_en="Coming call", opens_on=days(30), closes_on=days(60)
    )
    coming.countries.add(china)
    CallFactory(slug="closed", title_en="Closed call").countries.add(china)
    CallFactory(
        slug="draft-call",
        title_en="Draft call",
        opens_on=days(-5),
        closes_on=days(5),
        status="draft",
    ).countries.add(china)

    MilestoneFactory(
        slug="m2023", title_en="Agreement renewed", date=D(2023, 10, 19)
    ).countries.add(china)
    MilestoneFactory(
        slug="m1978", title_en="First agreement", date=D(1978, 1, 1), date_precision="month"
    ).countries.add(china)
    MilestoneFactory(
        slug="m-draft", title_en="Draft milestone", date=D(2024, 1, 1), status="draft"
    ).countries.add(china)

    NetworkFactory(slug="cnc", name_en="Carbon neutrality network").countries.add(china)
    return china


def test_dossier_shows_the_office_now_and_the_ones_before_with_years(client, china_dossier):
    response = client.get(page(china_dossier))

    assert response.status_code == HTTPStatus.OK
    assert [c.office.slug for c in response.context["current_coverages"]] == ["beijing"]
    assert [c.office.slug for c in response.context["past_coverages"]] == ["moscow", "hanoi"]
    content = response.content.decode()
    assert re.search(
        r'<div class="contact-office">\s*<h3><a href="/en/offices/beijing/">Beijing office</a></h3>'
        r"\s*<p class=\"muted\">.*?covers it since 1995",
        content,
        re.S,
    )
    assert re.search(
        r'<li class="office-before"><a href="/en/offices/hanoi/">Hanoi office</a> <span class="muted">\(1990–1994\)</span>',
        content,
    )
    assert re.search(
        r'<li class="office-before"><a href="/en/offices/moscow/">Moscow office</a> <span class="muted">\(1980–\?\)</span>',
        content,
    )
    assertNotContains(response, "Secret office")


def test_dossier_groups_active_instruments_by_kind(client, china_dossier):
    response = client.get(page(china_dossier))

    groups = [
        (kind.code, [i.slug for i in items])
        for kind, items in response.context["instrument_groups"]
    ]
    assert groups == [("IRN", ["net-a", "net-b"]), ("IRP", ["project"])]
    assert response.context["ended_instrument_count"] == 1
    assertContains(
        response, 'IRN</abbr> – Research network <span class="muted">(2)</span>', html=False
    )
    for absent in ("Ended project", "Draft network", "Japanese network"):
        assertNotContains(response, absent)
    assertContains(response, "1 ended instrument")


def test_dossier_shows_agreements_in_force_with_their_parties(client, china_dossier):
    response = client.get(page(china_dossier))

    assert [a.slug for a in response.context["agreements"]] == ["cas-agreement"]
    assertContains(response, "CNRS–CAS agreement")
    assertContains(
        response,
        '<a href="/en/institutions/cas/">Chinese Academy of Sciences (CAS)</a>',
        html=False,
    )
    assertNotContains(response, "Expired agreement")
    assertNotContains(response, "Draft agreement")


def test_dossier_shows_partner_institutions_of_the_country(client, china_dossier):
    response = client.get(page(china_dossier))

    assert [i.slug for i in response.context["institutions"]] == ["cas"]
    assertNotContains(response, "Hidden institute")
    assertNotContains(response, "Japan Society")


def test_dossier_shows_open_and_coming_calls_with_deadlines(client, china_dossier):
    response = client.get(page(china_dossier))

    assert [c.slug for c in response.context["calls"]] == ["open", "coming"]
    assert response.context["open_call_count"] == 1
    content = response.content.decode()
    assert re.search(
        r'Open call</a>\s*<span class="badge badge-active">Open</span>\s*<span class="call-deadline">deadline ',
        content,
    )
    assert re.search(r'Coming call</a>\s*<span class="badge badge-upcoming">Coming</span>', content)
    assertNotContains(response, "Closed call")
    assertNotContains(response, "Draft call")


def test_dossier_shows_the_timeline_themes_networks_and_counts(client, china_dossier):
    response = client.get(page(china_dossier))

    assert [m.slug for m in response.context["milestones"]] == ["m1978", "m2023"]
    assert [t.slug for t in response.context["themes"]] == ["biodiversity"]
    assert [n.slug for n in response.context["networks"]] == ["cnc"]
    content = response.content.decode()
    assert content.index("First agreement") < content.index("Agreement renewed")
    assert '<time datetime="1978-01">' in content
    assertNotContains(response, "Draft milestone")
    assertNotContains(response, "Unused theme")
    assertContains(
        response, 'href="/en/instruments/?country=cn&amp;theme=biodiversity"', html=False
    )
    counts = re.findall(
        r'<span class="count-value">(\d+)</span> <span class="count-label">([^<]+)</span>', content
    )
    assert counts == [
        ("3", "active instruments"),
        ("1", "agreement in force"),
        ("1", "partner institution"),
        ("1", "open call"),
        ("2", "milestones"),
    ]


def test_dossier_prints_on_a4_with_its_own_stylesheet(client, china_dossier):
    response = client.get(page(china_dossier))

    assertContains(
        response, '<link rel="stylesheet" href="/static/css/print.css" media="print">', html=False
    )
    assertContains(response, '<p class="print-only">http://testserver/en/countries/cn/', html=False)


def test_dossier_in_french(client, china_dossier):
    response = client.get(page(china_dossier, "fr"))

    assert response.status_code == HTTPStatus.OK
    assertContains(response, '<html lang="fr">', html=False)
    assertContains(response, "Chine</h1>", html=False)


def test_dossier_address_in_upper_case_redirects_to_lower_case(client):
    CountryFactory(code="CN")

    response = client.get("/en/countries/CN/")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/en/countries/cn/"


@pytest.mark.parametrize("iso2", ["zz", "ZZ", "c", "chn", "c1", "é1", "%00a"])
def test_unknown_country_is_a_404_in_the_site_layout(client, iso2):
    CountryFactory(code="CN")

    response = client.get(f"/en/countries/{iso2}/", follow=True)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assertContains(response, 'class="site-header"', status_code=HTTPStatus.NOT_FOUND, html=False)


def test_a_country_without_activity_still_has_an_empty_dossier(client):
    country = CountryFactory(code="IS", name_en="Iceland")

    response = client.get(page(country))

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "No CNRS office covers this country today.")
    assertContains(response, "Nothing recorded for Iceland yet: instruments, agreements,")


# --- query counts -----------------------------------------------------------------------------
# Each page takes exactly the same number of queries with one row as with a full page of them,
# and shows them all.


def _codes(count):
    return [code for code, _name in list(iso_countries)[:count]]


@pytest.mark.parametrize("count", SIZES)
def test_country_index_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    active = []
    for number, code in enumerate(_codes(count)):
        country = CountryFactory(code=code)
        office = OfficeFactory(slug=f"o{number:02}", country=country)
        CoverageFactory(office=office, country=country)
        InstrumentFactory(slug=f"i{number:02}", countries=[country])
        active.append(country)
    quiet = CountryFactory(code="ZW")

    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(url("countries:list"))

    assert response.status_code == HTTPStatus.OK
    assert response.context["country_count"] == count
    assert_rendered(response, active)
    assertNotContains(response, page(quiet))


@pytest.mark.parametrize("count", SIZES)
def test_dossier_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    china = CountryFactory(code="CN")
    kinds = [KindFactory(code=f"K{number:02}") for number in range(count)]
    linked, themes = [], []
    neighbours = [code for code in _codes(count + 1) if code != "CN"]
    for number in range(count):
        office = OfficeFactory(slug=f"o{number:02}", country=china)
        CoverageFactory(office=office, country=china)
        theme = ThemeFactory(slug=f"t{number:02}")
        instrument = InstrumentFactory(
            slug=f"i{number:02}", kind=kinds[number], countries=[china], themes=[theme]
        )
        agreement = AgreementFactory(slug=f"a{number:02}")
        agreement.countries.add(china)
        party = InstitutionFactory(slug=f"p{number:02}", country=china)
        agreement.parties.add(party)
        agreement.themes.add(theme)
        call = CallFactory(slug=f"c{number:02}", opens_on=days(-1), closes_on=days(9))
        call.countries.add(china)
        milestone = MilestoneFactory(slug=f"m{number:02}")
        milestone.countries.add(china, CountryFactory(code=neighbours[number]))
        milestone.institutions.add(party)
        network = NetworkFactory(slug=f"n{number:02}")
        network.countries.add(china)
        network.themes.add(theme)
        # Records without dates, each with what its source last reported.
        undated = InstrumentFactory(
            slug=f"u{number:02}", countries=[china], start_on=None, end_on=None
        )
        undated.partners.add(InstitutionFactory(slug=f"named{number:02}", country=None))
        undated_agreement = AgreementFactory(slug=f"ua{number:02}", signed_on=None)
        undated_agreement.countries.add(china)
        undated_call = CallFactory(slug=f"uc{number:02}", opens_on=None, closes_on=None)
        undated_call.countries.add(china)
        CallFactory(slug=f"closed{number:02}").countries.add(china)
        linked += [office, instrument, agreement, party, call, milestone, network]
        linked += [undated, undated_agreement, undated_call]
        themes.append(theme)

    with django_assert_num_queries(DOSSIER_QUERIES):
        response = client.get(page(china))

    assert response.status_code == HTTPStatus.OK
    assert response.context["instrument_count"] == count
    assert len(response.context["unknown_instruments"]) == count
    assert len(response.context["institutions"]) == 2 * count
    assert response.context["ended_call_count"] == count
    theme_list = url("instruments:list")
    assert_rendered(
        response,
        linked + [link(f"{theme_list}?country=cn&theme={theme.slug}") for theme in themes],
    )
