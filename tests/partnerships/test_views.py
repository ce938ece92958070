"""Public agreement, institution and call pages: filters, bad input, drafts, languages, links,
queries."""

import datetime
import json
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error
from django_countries import countries
from pytest_django.asserts import assertContains, assertNotContains

from core.models import today
from partnerships.models import Agreement, Institution
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    InstitutionFactory,
    InstrumentFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    SectorFactory,
    ThemeFactory,
    UserFactory,
)
from tests.rendering import SIZES, assert_rendered, link

pytestmark = pytest.mark.django_db
D = datetime.date

# The queries each page takes, whatever the number of rows (see the end of the module).
AGREEMENT_LIST_QUERIES = 8
AGREEMENT_DETAIL_QUERIES = 8
INSTITUTION_LIST_QUERIES = 4
INSTITUTION_DETAIL_QUERIES = 8
CALL_LIST_QUERIES = 6
CALL_DETAIL_QUERIES = 4


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def page(obj, lang="en"):
    """A record's public page in a language."""
    with translation.override(lang):
        return obj.get_absolute_url()


def shown(response):
    """Slugs of the records the page lists, in order."""
    return [obj.slug for obj in response.context["page_obj"].object_list]


def days_from_today(days):
    return today() + datetime.timedelta(days=days)


def agreement(slug, *, countries_=(), themes=(), parties=(), **fields):
    row = AgreementFactory(slug=slug, **fields)
    row.countries.set(countries_)
    row.themes.set(themes)
    row.parties.set(parties)
    return row


def call(slug, *, countries_=(), themes=(), funders=(), **fields):
    row = CallFactory(slug=slug, **fields)
    row.countries.set(countries_)
    row.themes.set(themes)
    row.funders.set(funders)
    return row


# --- agreements: list and filters ---------------------------------------------------------------


def test_agreement_list_shows_published_agreements_latest_signed_first(client):
    agreement("older", signed_on=D(2010, 1, 1))
    agreement("newer", signed_on=D(2023, 10, 1))
    agreement("draft", status="draft")

    response = client.get(url("partnerships:list"))

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["newer", "older"]


def test_agreement_list_filters_by_country_in_any_case_and_or(client):
    china, japan, germany = (CountryFactory(code=c) for c in ("CN", "JP", "DE"))
    agreement("china", countries_=[china], signed_on=D(2022, 1, 1))
    agreement("japan", countries_=[japan], signed_on=D(2021, 1, 1))
    agreement("germany", countries_=[germany])

    one = client.get(url("partnerships:list"), {"country": "cn"})
    both = client.get(url("partnerships:list"), {"country": ["CN", "jp"]})

    assert shown(one) == ["china"]
    assert shown(both) == ["china", "japan"]


def test_agreement_list_filters_by_theme_kind_party_and_combines_with_and(client):
    cas, nsfc = InstitutionFactory(slug="cas"), InstitutionFactory(slug="nsfc")
    climate, health = ThemeFactory(slug="climate"), ThemeFactory(slug="health")
    agreement("cas-climate", parties=[cas], themes=[climate], kind=Agreement.Kind.FRAMEWORK)
    agreement("cas-health", parties=[cas], themes=[health], kind=Agreement.Kind.FRAMEWORK)
    agreement("nsfc-climate", parties=[nsfc], themes=[climate], kind=Agreement.Kind.JOINT_CALL)

    by_theme = client.get(url("partnerships:list"), {"theme": "climate"})
    by_kind = client.get(url("partnerships:list"), {"kind": "joint_call"})
    by_party = client.get(url("partnerships:list"), {"institution": "cas"})
    combined = client.get(url("partnerships:list"), {"institution": "cas", "theme": "climate"})

    assert sorted(shown(by_theme)) == ["cas-climate", "nsfc-climate"]
    assert shown(by_kind) == ["nsfc-climate"]
    assert sorted(shown(by_party)) == ["cas-climate", "cas-health"]
    assert shown(combined) == ["cas-climate"]


def test_agreement_list_filters_by_sector(client):
    asia, europe = SectorFactory(slug="asia"), SectorFactory(slug="europe")
    agreement("asian", countries_=[CountryFactory(code="CN", sector=asia)])
    agreement("european", countries_=[CountryFactory(code="DE", sector=europe)])

    response = client.get(url("partnerships:list"), {"sector": "asia"})

    assert shown(response) == ["asian"]


def test_agreement_list_filters_by_status_and_year(client):
    agreement("in-force", signed_on=days_from_today(-400), expires_on=days_from_today(400))
    agreement("expired", signed_on=D(2001, 1, 1), expires_on=D(2005, 12, 31))
    agreement("upcoming", signed_on=days_from_today(30), expires_on=None)

    in_force = client.get(url("partnerships:list"), {"status": "active"})
    expired_or_upcoming = client.get(url("partnerships:list"), {"status": ["ended", "upcoming"]})
    in_2003 = client.get(url("partnerships:list"), {"year": "2003"})

    assert shown(in_force) == ["in-force"]
    assert shown(expired_or_upcoming) == ["upcoming", "expired"]
    assert shown(in_2003) == ["expired"]


def test_agreement_list_searches_text_and_sorts(client):
    agreement("b", title_en="Beta carbon agreement")
    agreement("a", title_en="Alpha carbon agreement")
    agreement("c", title_en="Ocean agreement")

    response = client.get(url("partnerships:list"), {"q": "carbon", "sort": "title"})

    assert shown(response) == ["a", "b"]


def test_agreement_list_ignores_a_meaningless_value_and_keeps_the_others(client):
    climate = ThemeFactory(slug="climate")
    agreement("climate", themes=[climate])
    agreement("other")

    response = client.get(
        url("partnerships:list"), {"country": "ZZ", "year": "abc", "theme": "climate"}
    )

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["climate"]
    assert response.context["notices"] == [
        "The filter “Country” (country) was ignored: “ZZ” is not a known value for this filter.",
        "The filter “Active during year” (year) was ignored: “abc” is not a year (four digits, e.g. 2024).",
    ]


def test_agreement_list_shows_the_last_page_for_a_page_out_of_range(client):
    for number in range(21):
        agreement(f"a{number:02}", signed_on=D(2000 + number, 1, 1))

    response = client.get(url("partnerships:list"), {"page": "999999"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["a00"]
    assert response.context["notices"] == ["There is no page 999999: here is the last page (2)."]


def test_agreement_list_shows_removable_chips_and_the_count(client):
    CountryFactory(code="CN", name_en="China")
    agreement("china", countries_=[CountryFactory(code="CN")])
    base = url("partnerships:list")

    response = client.get(base, {"country": "cn", "kind": "framework"})

    assertContains(
        response,
        f'<a class="chip" href="{base}?kind=framework"><span class="chip-text">Country: China</span>',
    )
    assertContains(
        response,
        f'<a class="chip" href="{base}?country=cn"><span class="chip-text">Kind: Framework agreement</span>',
    )
    assertContains(response, '<p class="result-count" role="status">1 result</p>', html=True)


# --- agreements: detail ----------------------------------------------------------------------


def test_agreement_detail_links_every_published_relation(client):
    china = CountryFactory(code="CN", name_en="China")
    climate = ThemeFactory(slug="climate")
    cas = InstitutionFactory(slug="cas")
    hidden = InstitutionFactory(slug="hidden", status="draft")
    office = OfficeFactory(slug="beijing")
    row = agreement(
        "cnrs-cas",
        countries_=[china],
        themes=[climate],
        parties=[cas, hidden],
        office=office,
        signed_on=D(2013, 1, 1),
        renewed_on=D(2023, 10, 1),
    )
    CallFactory(slug="joint-call", agreement=row)
    CallFactory(slug="draft-call", agreement=row, status="draft")
    InstrumentFactory(slug="launched", agreement=row)
    InstrumentFactory(slug="draft-instrument", agreement=row, status="draft")
    NetworkFactory(slug="cnc", agreement=row)
    MilestoneFactory(slug="renewal", title_en="Renewal in Paris").agreements.add(row)
    MilestoneFactory(slug="secret", title_en="Secret meeting", status="draft").agreements.add(row)

    response = client.get(page(row))

    content = response.content.decode()
    for target in [
        url("institutions:detail", slug="cas"),
        url("countries:detail", iso2="cn"),
        url("partnerships:list") + "?theme=climate",
        url("offices:detail", slug="beijing"),
        url("calls:detail", slug="joint-call"),
        url("instruments:detail", slug="launched"),
        url("instruments:network", slug="cnc"),
    ]:
        assert f'href="{target}"' in content, target
    assertContains(response, "Renewal in Paris")
    assertContains(response, '<span class="badge badge-active">In force</span>', html=True)
    for hidden_target in [
        url("institutions:detail", slug="hidden"),
        url("calls:detail", slug="draft-call"),
        url("instruments:detail", slug="draft-instrument"),
    ]:
        assertNotContains(response, hidden_target)
    assertNotContains(response, "Secret meeting")


def test_agreement_detail_shows_its_status_from_its_dates(client):
    expired = agreement("expired", signed_on=D(2001, 1, 1), expires_on=D(2005, 1, 1))
    upcoming = agreement("upcoming", signed_on=days_from_today(10))

    expired_page = client.get(page(expired))
    upcoming_page = client.get(page(upcoming))

    assertContains(expired_page, '<span class="badge badge-ended">Expired</span>', html=True)
    assertContains(
        upcoming_page, '<span class="badge badge-upcoming">Not yet in force</span>', html=True
    )


def test_agreement_detail_of_a_draft_is_not_found_except_to_staff_previewing(client):
    draft = agreement("draft", status="draft")

    anonymous = client.get(page(draft), {"preview": "1"})
    client.force_login(UserFactory(is_staff=False, username="visitor"))
    not_staff = client.get(page(draft), {"preview": "1"})
    client.force_login(UserFactory(is_staff=True, username="no-role"))
    no_role = client.get(page(draft), {"preview": "1"})
    editor = UserFactory(is_staff=True, username="editor")
    editor.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(editor)
    staff = client.get(page(draft), {"preview": "1"})

    assert anonymous.status_code == HTTPStatus.NOT_FOUND
    assert not_staff.status_code == HTTPStatus.NOT_FOUND
    assert no_role.status_code == HTTPStatus.NOT_FOUND
    assert staff.status_code == HTTPStatus.OK
    assertContains(staff, "Draft preview")


def test_unknown_agreement_is_a_404_in_the_site_layout(client):
    response = client.get(url("partnerships:detail", "fr", slug="nope"))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assertContains(response, 'class="main-nav"', status_code=HTTPStatus.NOT_FOUND)
    assertContains(response, '<html lang="fr">', status_code=HTTPStatus.NOT_FOUND)


def test_agreement_pages_show_the_language_of_the_address_with_a_fallback_marker(client):
    agreement("both", title_fr="Accord-cadre", title_en="Framework agreement")
    agreement("french-only", title_fr="Protocole d’accord", title_en="")

    french = client.get(url("partnerships:detail", "fr", slug="both"))
    english = client.get(url("partnerships:detail", "en", slug="both"))
    fallback = client.get(url("partnerships:list", "en"))

    assertContains(french, "<h1>Accord-cadre</h1>", html=True)
    assertContains(english, "<h1>Framework agreement</h1>", html=True)
    assertContains(
        fallback,
        '<a href="/en/partnerships/french-only/"><span lang="fr">Protocole d’accord</span> '
        '<span class="fallback-marker" lang="fr">(en français)</span></a>',
        html=True,
    )


def test_server_error_page_renders_without_any_context(rf):
    with translation.override("en"):
        response = server_error(rf.get("/en/partnerships/"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "<h1>Server error</h1>" in response.content.decode()


# --- institutions ------------------------------------------------------------------------------


def test_institution_list_filters_by_country_kind_and_sector(client):
    asia = SectorFactory(slug="asia")
    china = CountryFactory(code="CN", sector=asia)
    germany = CountryFactory(code="DE", sector=SectorFactory(slug="europe"))
    InstitutionFactory(slug="cas", name_en="CAS", country=china, kind=Institution.Kind.ACADEMY)
    InstitutionFactory(
        slug="nsfc", name_en="NSFC", country=china, kind=Institution.Kind.FUNDING_AGENCY
    )
    InstitutionFactory(
        slug="dfg", name_en="DFG", country=germany, kind=Institution.Kind.FUNDING_AGENCY
    )
    InstitutionFactory(slug="draft", name_en="Draft", country=china, status="draft")

    everything = client.get(url("institutions:list"))
    chinese = client.get(url("institutions:list"), {"country": "cn"})
    agencies = client.get(url("institutions:list"), {"kind": "funding_agency"})
    chinese_agencies = client.get(
        url("institutions:list"), {"sector": "asia", "kind": "funding_agency"}
    )

    assert shown(everything) == ["cas", "dfg", "nsfc"]
    assert shown(chinese) == ["cas", "nsfc"]
    assert shown(agencies) == ["dfg", "nsfc"]
    assert shown(chinese_agencies) == ["nsfc"]


def test_institution_list_searches_name_and_acronym_and_sorts(client):
    InstitutionFactory(slug="cas", name_en="Chinese Academy of Sciences", acronym="CAS")
    InstitutionFactory(slug="cass", name_en="Chinese Academy of Social Sciences", acronym="CASS")
    InstitutionFactory(slug="ird", name_en="Research for development", acronym="IRD")

    response = client.get(url("institutions:list"), {"q": "academy", "sort": "-acronym"})

    assert shown(response) == ["cass", "cas"]


def test_institution_list_ignores_a_meaningless_kind(client):
    InstitutionFactory(slug="only")

    response = client.get(url("institutions:list"), {"kind": "NOPE", "page": "abc"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["only"]
    assert response.context["notices"] == [
        "The filter “Kind” (kind) was ignored: “nope” is not a known value for this filter.",
        "“abc” is not a page number: here is the first page.",
    ]


def test_institution_detail_links_every_published_relation(client):
    china = CountryFactory(code="CN", name_en="China")
    cas = InstitutionFactory(slug="cas", name_en="CAS", country=china, ror_id="034t30j35")
    parent_of_child = InstitutionFactory(slug="ucas", name_en="UCAS", parent=cas)
    InstitutionFactory(slug="draft-child", parent=cas, status="draft")
    child_of = InstitutionFactory(slug="member", parent=parent_of_child)
    agreement("cnrs-cas", parties=[cas])
    agreement("draft-agreement", parties=[cas], status="draft")
    call("joint-call", funders=[cas])
    InstrumentFactory(slug="lab").partners.add(cas)
    NetworkFactory(slug="cnc").institutions.add(cas)
    office = OfficeFactory(slug="pretoria")
    cas.offices_operated.add(office)
    cas.offices_operated.add(OfficeFactory(slug="closed-office", status="draft"))

    response = client.get(page(cas))
    child_page = client.get(page(child_of))

    content = response.content.decode()
    for target in [
        url("countries:detail", iso2="cn"),
        url("institutions:detail", slug="ucas"),
        "https://ror.org/034t30j35",
        url("partnerships:detail", slug="cnrs-cas"),
        url("calls:detail", slug="joint-call"),
        url("instruments:detail", slug="lab"),
        url("instruments:network", slug="cnc"),
        url("offices:detail", slug="pretoria"),
    ]:
        assert f'href="{target}"' in content, target
    for hidden_target in [
        url("institutions:detail", slug="draft-child"),
        url("partnerships:detail", slug="draft-agreement"),
        url("offices:detail", slug="closed-office"),
    ]:
        assertNotContains(response, hidden_target)
    assertContains(child_page, f'href="{url("institutions:detail", slug="ucas")}"')


def test_institution_detail_describes_itself_in_json_ld(client):
    china = CountryFactory(code="CN")
    cas = InstitutionFactory(
        slug="cas",
        name_en="Chinese Academy of Sciences",
        acronym="CAS",
        kind=Institution.Kind.ACADEMY,
        country=china,
        ror_id="034t30j35",
        website="https://english.cas.cn/",
    )
    InstitutionFactory(slug="ucas", name_en="UCAS", parent=cas)

    response = client.get(page(cas))

    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert json.loads(match.group(1)) == {
        "@context": "https://schema.org",
        "@type": "ResearchOrganization",
        "@id": "http://testserver/en/institutions/cas/",
        "url": "http://testserver/en/institutions/cas/",
        "name": "Chinese Academy of Sciences",
        "alternateName": "CAS",
        "sameAs": ["https://ror.org/034t30j35", "https://english.cas.cn/"],
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "ROR",
            "value": "034t30j35",
            "url": "https://ror.org/034t30j35",
        },
        "address": {"@type": "PostalAddress", "addressCountry": "CN"},
        "subOrganization": [
            {
                "@type": "Organization",
                "name": "UCAS",
                "url": "http://testserver/en/institutions/ucas/",
            }
        ],
    }
    assertContains(
        response, '<meta property="og:title" content="Chinese Academy of Sciences">', html=True
    )


def test_institution_detail_of_a_draft_is_not_found(client):
    draft = InstitutionFactory(slug="draft", status="draft")

    response = client.get(page(draft))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_institution_pages_show_the_language_of_the_address(client):
    InstitutionFactory(
        slug="cas", name_fr="Académie chinoise des sciences", name_en="Chinese Academy of Sciences"
    )

    french = client.get(url("institutions:list", "fr"))
    english = client.get(url("institutions:list", "en"))

    assertContains(french, "Académie chinoise des sciences")
    assertNotContains(french, "Chinese Academy of Sciences")
    assertContains(english, "Chinese Academy of Sciences")


# --- calls ---------------------------------------------------------------------------------


def test_call_list_shows_open_calls_first_nearest_deadline_first(client):
    call("open-later", opens_on=days_from_today(-30), closes_on=days_from_today(60))
    call("open-soon", opens_on=days_from_today(-30), closes_on=days_from_today(5))
    call("upcoming", opens_on=days_from_today(10), closes_on=days_from_today(90))
    call("closed-recently", opens_on=days_from_today(-90), closes_on=days_from_today(-10))
    call("closed-long-ago", opens_on=D(2015, 1, 1), closes_on=D(2015, 3, 1))
    call("draft", opens_on=days_from_today(-30), closes_on=days_from_today(1), status="draft")

    response = client.get(url("calls:list"))

    assert shown(response) == [
        "open-soon",
        "open-later",
        "upcoming",
        "closed-recently",
        "closed-long-ago",
    ]
    assertContains(response, '<span class="badge badge-active">Open</span>', html=True)
    assertContains(response, '<span class="badge badge-ended">Closed</span>', html=True)


def test_call_list_filters_by_status_country_theme_and_funder(client):
    china, japan = CountryFactory(code="CN"), CountryFactory(code="JP")
    climate = ThemeFactory(slug="climate")
    nsfc = InstitutionFactory(slug="nsfc")
    call(
        "nsfc-open",
        countries_=[china],
        themes=[climate],
        funders=[nsfc],
        opens_on=days_from_today(-5),
        closes_on=days_from_today(5),
    )
    call("japan-closed", countries_=[japan], themes=[climate], closes_on=D(2020, 3, 1))

    open_calls = client.get(url("calls:list"), {"status": "active"})
    chinese = client.get(url("calls:list"), {"country": "cn"})
    on_climate = client.get(url("calls:list"), {"theme": "climate"})
    funded = client.get(url("calls:list"), {"institution": "nsfc"})
    climate_in_japan = client.get(url("calls:list"), {"theme": "climate", "country": "JP"})

    assert shown(open_calls) == ["nsfc-open"]
    assert shown(chinese) == ["nsfc-open"]
    assert shown(on_climate) == ["nsfc-open", "japan-closed"]
    assert shown(funded) == ["nsfc-open"]
    assert shown(climate_in_japan) == ["japan-closed"]


def test_call_list_sorts_by_deadline_when_asked(client):
    call("early", opens_on=D(2019, 1, 1), closes_on=D(2019, 2, 1))
    call("late", opens_on=D(2019, 1, 1), closes_on=D(2019, 6, 1))

    response = client.get(url("calls:list"), {"sort": "deadline"})

    assert shown(response) == ["early", "late"]


def test_call_list_ignores_a_meaningless_value(client):
    call("only")

    response = client.get(url("calls:list"), {"institution": "nobody", "page": "999999"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["only"]
    assert response.context["notices"] == [
        "The filter “Funder” (institution) was ignored: “nobody” is not a known value for this filter.",
        "There is no page 999999: here is the last page (1).",
    ]


def test_call_detail_links_every_published_relation_and_its_deadline(client):
    china = CountryFactory(code="CN")
    climate = ThemeFactory(slug="climate")
    nsfc = InstitutionFactory(slug="nsfc")
    secret = InstitutionFactory(slug="secret-funder", status="draft")
    framework = agreement("cnrs-nsfc")
    row = call(
        "joint",
        countries_=[china],
        themes=[climate],
        funders=[nsfc, secret],
        agreement=framework,
        office=OfficeFactory(slug="beijing"),
        opens_on=days_from_today(-10),
        closes_on=D(2099, 3, 1),
        max_projects=5,
    )

    response = client.get(page(row))

    content = response.content.decode()
    for target in [
        url("partnerships:detail", slug="cnrs-nsfc"),
        url("institutions:detail", slug="nsfc"),
        url("countries:detail", iso2="cn"),
        url("calls:list") + "?theme=climate",
        url("offices:detail", slug="beijing"),
    ]:
        assert f'href="{target}"' in content, target
    assertNotContains(response, url("institutions:detail", slug="secret-funder"))
    assertContains(response, '<span class="badge badge-active">Open</span>', html=True)
    assertContains(response, "applications close on 1 March 2099")
    assertContains(response, "up to 5 projects")


def test_call_detail_of_a_closed_call_says_so(client):
    row = call("closed", opens_on=D(2020, 1, 1), closes_on=D(2020, 3, 1))

    response = client.get(page(row))

    assertContains(response, "This call closed on 1 March 2020.")


def test_call_detail_of_a_draft_is_not_found(client):
    draft = call("draft", status="draft")

    response = client.get(page(draft))

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- query counts ----------------------------------------------------------------------------
# Each page takes exactly the same number of queries with one row as with a full page of them,
# and shows them all.


def country_rows(count):
    return [CountryFactory(code=code) for code, _name in list(countries)[:count]]


@pytest.mark.parametrize("count", SIZES)
def test_agreement_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    places = country_rows(3)
    party = InstitutionFactory()
    theme = ThemeFactory(slug="climate")
    wanted = [
        agreement(f"a{number:02}", countries_=places, parties=[party], themes=[theme])
        for number in range(count)
    ]
    agreement("other-theme", countries_=places, parties=[party], themes=[ThemeFactory()])
    agreement("expired", themes=[theme], expires_on=days_from_today(-1))

    with django_assert_num_queries(AGREEMENT_LIST_QUERIES):
        response = client.get(url("partnerships:list"), {"theme": "climate", "status": "active"})

    assert response.status_code == HTTPStatus.OK
    assert sorted(shown(response)) == [row.slug for row in wanted]
    assert_rendered(response, wanted)


@pytest.mark.parametrize("count", SIZES)
def test_agreement_detail_queries_do_not_grow_with_relations(
    client, django_assert_num_queries, count
):
    related = {
        "countries_": country_rows(count),
        "themes": [ThemeFactory() for _ in range(count)],
        "parties": [InstitutionFactory() for _ in range(count)],
    }
    row = agreement("main", office=OfficeFactory(), **related)
    themes = related.pop("themes")
    linked = [row.office, *(obj for rows in related.values() for obj in rows)]
    linked += [link(f"{url('partnerships:list')}?theme={theme.slug}") for theme in themes]
    for _ in range(count):
        linked.append(CallFactory(agreement=row))
        linked.append(InstrumentFactory(agreement=row))
        linked.append(NetworkFactory(agreement=row))
        milestone = MilestoneFactory()
        milestone.agreements.add(row)
        linked.append(milestone)

    with django_assert_num_queries(AGREEMENT_DETAIL_QUERIES):
        response = client.get(page(row))

    assert response.status_code == HTTPStatus.OK
    assert_rendered(response, linked)


@pytest.mark.parametrize("count", SIZES)
def test_institution_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    china, japan = CountryFactory(code="CN"), CountryFactory(code="JP")
    parent = InstitutionFactory(slug="parent", country=japan)
    wanted = [
        InstitutionFactory(slug=f"i{number:02}", country=china, parent=parent)
        for number in range(count)
    ]

    with django_assert_num_queries(INSTITUTION_LIST_QUERIES):
        response = client.get(url("institutions:list"), {"country": "cn"})

    assert response.status_code == HTTPStatus.OK
    assert sorted(shown(response)) == [row.slug for row in wanted]
    assert_rendered(response, wanted)


@pytest.mark.parametrize("count", SIZES)
def test_institution_detail_queries_do_not_grow_with_relations(
    client, django_assert_num_queries, count
):
    institution = InstitutionFactory(slug="main", country=CountryFactory(code="CN"))
    institution.parent = InstitutionFactory(slug="parent")
    institution.save()
    linked = [institution.parent]
    for _ in range(count):
        agreement_, call_ = AgreementFactory(), CallFactory()
        instrument, network, milestone = InstrumentFactory(), NetworkFactory(), MilestoneFactory()
        office = OfficeFactory()
        agreement_.parties.add(institution)
        call_.funders.add(institution)
        instrument.partners.add(institution)
        network.institutions.add(institution)
        milestone.institutions.add(institution)
        institution.offices_operated.add(office)
        linked += [InstitutionFactory(parent=institution), agreement_, call_, instrument]
        linked += [network, milestone, office]

    with django_assert_num_queries(INSTITUTION_DETAIL_QUERIES):
        response = client.get(page(institution))

    assert response.status_code == HTTPStatus.OK
    assert_rendered(response, linked)


@pytest.mark.parametrize("count", SIZES)
def test_call_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    places = [CountryFactory(code=code) for code in ("AF", "CN", "JP")]
    wanted = [call(f"c{number:02}", countries_=places) for number in range(count)]
    call("elsewhere", countries_=places[1:])

    with django_assert_num_queries(CALL_LIST_QUERIES):
        response = client.get(url("calls:list"), {"country": "af"})

    assert response.status_code == HTTPStatus.OK
    assert sorted(shown(response)) == [row.slug for row in wanted]
    assert_rendered(response, wanted)


@pytest.mark.parametrize("count", SIZES)
def test_call_detail_queries_do_not_grow_with_relations(client, django_assert_num_queries, count):
    related = {
        "countries_": country_rows(count),
        "themes": [ThemeFactory() for _ in range(count)],
        "funders": [InstitutionFactory() for _ in range(count)],
    }
    row = call("main", agreement=AgreementFactory(), office=OfficeFactory(), **related)
    themes = related.pop("themes")

    with django_assert_num_queries(CALL_DETAIL_QUERIES):
        response = client.get(page(row))

    assert response.status_code == HTTPStatus.OK
    assert_rendered(
        response,
        [row.agreement, row.office, *(obj for rows in related.values() for obj in rows)]
        + [link(f"{url('calls:list')}?theme={theme.slug}") for theme in themes],
    )
