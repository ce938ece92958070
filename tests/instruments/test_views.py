"""Public instrument and network pages: filters, bad input, drafts, languages, links, queries."""

import datetime
import json
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from pytest_django.asserts import assertContains, assertNotContains

from core.models import today
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    InstituteFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    LegacyNameFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    SectorFactory,
    ThemeFactory,
    UserFactory,
)
from tests.rendering import SIZES, assert_rendered

pytestmark = pytest.mark.django_db
D = datetime.date

# The queries each page takes, whatever the number of rows (see the end of the module).
LIST_QUERIES = 15  # with the lineage line: predecessors and successors, one prefetch each
DETAIL_QUERIES = 10  # the lineage both ways: its links, then its records
NETWORK_LIST_QUERIES = 6
NETWORK_DETAIL_QUERIES = 6


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


def years_from_today(years):
    return today() + datetime.timedelta(days=365 * years)


# --- the list and each filter --------------------------------------------------------------


def test_instrument_list_shows_published_instruments_newest_first(client):
    older = InstrumentFactory(slug="older", start_on=D(2019, 1, 1))
    newer = InstrumentFactory(slug="newer", start_on=D(2024, 1, 1))
    InstrumentFactory(slug="draft", status="draft")

    response = client.get(url("instruments:list"))

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == [newer.slug, older.slug]


def test_instrument_list_filters_by_country_in_any_case(client):
    china = CountryFactory(code="CN")
    japan = CountryFactory(code="JP")
    InstrumentFactory(slug="in-china", countries=[china])
    InstrumentFactory(slug="in-japan", countries=[japan])

    lower = client.get(url("instruments:list"), {"country": "cn"})
    upper = client.get(url("instruments:list"), {"country": "CN"})

    assert shown(lower) == ["in-china"]
    assert shown(upper) == ["in-china"]
    assert lower.context["notices"] == []


def test_instrument_list_filters_by_several_countries_with_or(client):
    china, japan, germany = (CountryFactory(code=c) for c in ("CN", "JP", "DE"))
    InstrumentFactory(slug="in-china", countries=[china], start_on=D(2024, 1, 1))
    InstrumentFactory(slug="in-japan", countries=[japan], start_on=D(2023, 1, 1))
    InstrumentFactory(slug="in-both", countries=[china, japan], start_on=D(2022, 1, 1))
    InstrumentFactory(slug="in-germany", countries=[germany])

    response = client.get(url("instruments:list"), {"country": ["cn", "jp"]})

    assert shown(response) == ["in-china", "in-japan", "in-both"]


def test_instrument_list_combines_different_parameters_with_and(client):
    china, japan = CountryFactory(code="CN"), CountryFactory(code="JP")
    climate, health = ThemeFactory(slug="climate"), ThemeFactory(slug="health")
    InstrumentFactory(slug="china-climate", countries=[china], themes=[climate])
    InstrumentFactory(slug="china-health", countries=[china], themes=[health])
    InstrumentFactory(slug="japan-climate", countries=[japan], themes=[climate])

    response = client.get(url("instruments:list"), {"country": "CN", "theme": "climate"})

    assert shown(response) == ["china-climate"]


def test_instrument_list_filters_by_theme_including_sub_themes(client):
    environment = ThemeFactory(slug="environment")
    biodiversity = ThemeFactory(slug="biodiversity", parent=environment)
    physics = ThemeFactory(slug="physics")
    InstrumentFactory(slug="broad", themes=[environment], start_on=D(2024, 1, 1))
    InstrumentFactory(slug="narrow", themes=[biodiversity], start_on=D(2023, 1, 1))
    InstrumentFactory(slug="other", themes=[physics])

    response = client.get(url("instruments:list"), {"theme": "environment"})

    assert shown(response) == ["broad", "narrow"]


def test_instrument_list_filters_by_kind(client):
    irp = KindFactory(code="IRP")
    irl = KindFactory(code="IRL")
    InstrumentFactory(slug="a-project", kind=irp)
    InstrumentFactory(slug="a-lab", kind=irl)

    response = client.get(url("instruments:list"), {"kind": "irp"})

    assert shown(response) == ["a-project"]


def test_instrument_list_finds_the_current_kind_by_its_legacy_name(client):
    irn = KindFactory(code="IRN")
    irp = KindFactory(code="IRP")
    LegacyNameFactory(code="GDRI", kind=irn)
    LegacyNameFactory(code="LIA", kind=irp)
    InstrumentFactory(slug="a-network", kind=irn)
    InstrumentFactory(slug="a-project", kind=irp)

    gdri = client.get(url("instruments:list"), {"kind": "GDRI"})
    lia = client.get(url("instruments:list"), {"kind": "lia"})

    assert shown(gdri) == ["a-network"]
    assert shown(lia) == ["a-project"]


def test_instrument_list_filters_by_institute(client):
    inee, insb = InstituteFactory(code="INEE"), InstituteFactory(code="INSB")
    ecology = InstrumentFactory(slug="ecology")
    ecology.institutes.add(inee)
    biology = InstrumentFactory(slug="biology")
    biology.institutes.add(insb)

    response = client.get(url("instruments:list"), {"institute": "inee"})

    assert shown(response) == ["ecology"]


def test_instrument_list_filters_by_partner_institution(client):
    cas = InstitutionFactory(slug="cas")
    nsfc = InstitutionFactory(slug="nsfc")
    with_cas = InstrumentFactory(slug="with-cas")
    with_cas.partners.add(cas)
    with_nsfc = InstrumentFactory(slug="with-nsfc")
    with_nsfc.partners.add(nsfc)

    response = client.get(url("instruments:list"), {"institution": "cas"})

    assert shown(response) == ["with-cas"]


def test_instrument_list_filters_by_network(client):
    cnc = NetworkFactory(slug="cnc")
    node = InstrumentFactory(slug="node")
    node.networks.add(cnc)
    InstrumentFactory(slug="outside")

    response = client.get(url("instruments:list"), {"network": "cnc"})

    assert shown(response) == ["node"]


def test_instrument_list_filters_by_sector(client):
    asia = SectorFactory(slug="asia-oceania")
    europe = SectorFactory(slug="europe")
    InstrumentFactory(slug="asian", countries=[CountryFactory(code="CN", sector=asia)])
    InstrumentFactory(slug="european", countries=[CountryFactory(code="DE", sector=europe)])

    response = client.get(url("instruments:list"), {"sector": "asia-oceania"})

    assert shown(response) == ["asian"]


def test_instrument_list_filters_by_status(client):
    InstrumentFactory(slug="active", start_on=years_from_today(-1), end_on=years_from_today(1))
    InstrumentFactory(slug="ended", start_on=years_from_today(-5), end_on=years_from_today(-1))
    InstrumentFactory(slug="upcoming", start_on=years_from_today(1), end_on=years_from_today(5))

    active = client.get(url("instruments:list"), {"status": "active"})
    either = client.get(url("instruments:list"), {"status": ["ended", "upcoming"]})

    assert shown(active) == ["active"]
    assert shown(either) == ["upcoming", "ended"]


def test_instrument_list_filters_by_year_active(client):
    InstrumentFactory(slug="2010s", start_on=D(2012, 1, 1), end_on=D(2016, 12, 31))
    InstrumentFactory(slug="2020s", start_on=D(2021, 1, 1), end_on=D(2025, 12, 31))

    response = client.get(url("instruments:list"), {"year": "2015"})
    both = client.get(url("instruments:list"), {"year": ["2015", "2022"]})

    assert shown(response) == ["2010s"]
    assert shown(both) == ["2020s", "2010s"]


def test_instrument_list_searches_text(client):
    InstrumentFactory(slug="carbon", title_en="Carbon neutrality", title_fr="Neutralité carbone")
    InstrumentFactory(slug="other", title_en="Ocean acoustics", title_fr="Acoustique océanique")

    response = client.get(url("instruments:list"), {"q": "carbon"})

    assert shown(response) == ["carbon"]


def test_instrument_list_sorts_by_title_both_ways(client):
    InstrumentFactory(slug="b", title_en="Beta")
    InstrumentFactory(slug="a", title_en="Alpha")
    InstrumentFactory(slug="c", title_en="Gamma")

    ascending = client.get(url("instruments:list"), {"sort": "title"})
    descending = client.get(url("instruments:list"), {"sort": "-title"})

    assert shown(ascending) == ["a", "b", "c"]
    assert shown(descending) == ["c", "b", "a"]


def test_instrument_list_filter_form_labels_every_control(client):
    CountryFactory(code="CN", sector=SectorFactory(slug="asia"))
    InstituteFactory(code="INEE")

    response = client.get(url("instruments:list"))

    content = response.content.decode()
    start = content.index('class="filter-form"')
    form = content[start : content.index("</form>", start)]
    controls = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', form)
    labelled = set(re.findall(r'<label for="([^"]+)"', form))
    assert controls == [
        "id_q",
        "id_country",
        "id_sector_0",
        "id_theme",
        "id_kind",
        "id_institute_0",
        "id_network",
        "id_status_0",
        "id_status_1",
        "id_status_2",
        "id_status_3",
        "id_year",
        "id_sort",
    ]
    assert [control for control in controls if control not in labelled] == []
    assertContains(
        response, '<a href="/en/instruments/" aria-current="page">Instruments</a>', html=True
    )


def test_instrument_list_offers_a_partner_only_once_chosen(client):
    cas = InstitutionFactory(slug="cas", name_en="Chinese Academy of Sciences")
    InstitutionFactory(slug="nsfc", name_en="National Natural Science Foundation")

    plain = client.get(url("instruments:list")).content.decode()
    chosen = client.get(url("instruments:list") + "?institution=CAS").content.decode()

    assert 'id="id_institution"' not in plain
    options = re.findall(r'<option value="([^"]+)" selected>', chosen)
    assert options == [cas.slug]
    assert "nsfc" not in chosen.split('id="id_institution"')[1].split("</select>")[0]


# --- chips, count, pagination ----------------------------------------------------------------


def test_instrument_list_shows_each_active_filter_as_a_chip_removing_only_that_value(client):
    CountryFactory(code="CN")
    CountryFactory(code="JP")
    ThemeFactory(slug="climate", name_en="Climate")
    base = url("instruments:list")

    response = client.get(base, {"country": ["cn", "jp"], "theme": "climate", "page": "1"})

    chips = re.findall(
        r'<a class="chip" href="([^"]+)"><span class="chip-text">([^<]+)</span>',
        response.content.decode(),
    )
    assert chips == [
        (f"{base}?country=jp&amp;theme=climate", "Country: CN"),
        (f"{base}?country=cn&amp;theme=climate", "Country: JP"),
        (f"{base}?country=cn&amp;country=jp", "Theme: Climate"),
    ]


def test_instrument_list_announces_the_result_count(client):
    InstrumentFactory.create_batch(3)

    response = client.get(url("instruments:list"))

    assertContains(response, '<p class="result-count" role="status">3 results</p>', html=True)


def test_instrument_list_pagination_keeps_the_filters(client):
    china = CountryFactory(code="CN")
    for number in range(25):
        InstrumentFactory(slug=f"i{number:02}", countries=[china], start_on=D(2000 + number, 1, 1))
    InstrumentFactory(slug="elsewhere", countries=[CountryFactory(code="JP")])

    first = client.get(url("instruments:list"), {"country": "cn"})
    second = client.get(url("instruments:list"), {"country": "cn", "page": "2"})

    assertContains(first, 'href="?country=cn&amp;page=2" rel="next"')
    assert shown(second) == ["i04", "i03", "i02", "i01", "i00"]


def test_instrument_list_shows_the_last_page_for_a_page_out_of_range(client):
    for number in range(21):
        InstrumentFactory(slug=f"i{number:02}", start_on=D(2000 + number, 1, 1))

    response = client.get(url("instruments:list"), {"page": "999999"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["i00"]
    assert response.context["notices"] == ["There is no page 999999: here is the last page (2)."]


def test_instrument_list_shows_the_first_page_for_a_page_that_is_not_a_number(client):
    InstrumentFactory(slug="only")

    response = client.get(url("instruments:list"), {"page": "abc"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["only"]
    assert response.context["notices"] == ["“abc” is not a page number: here is the first page."]


# --- bad values never break the page --------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("country", "ZZ", "“ZZ” is not a known value for this filter."),
        ("year", "abc", "“abc” is not a year (four digits, e.g. 2024)."),
        ("kind", "NOPE", "“NOPE” is not a known value for this filter."),
        ("theme", "no-such-theme", "“no-such-theme” is not a known value for this filter."),
        ("status", "sleeping", "“sleeping” is not a known value for this filter."),
    ],
)
def test_instrument_list_ignores_a_meaningless_value_naming_the_parameter(
    client, param, value, message
):
    climate = ThemeFactory(slug="climate")
    InstrumentFactory(slug="climate", themes=[climate])
    InstrumentFactory(slug="other")

    response = client.get(
        url("instruments:list"),
        {param: value, "theme": "climate"} if param != "theme" else {param: value},
    )

    assert response.status_code == HTTPStatus.OK
    label = response.context["filter"].form.fields[param].label
    assert response.context["notices"] == [f"The filter “{label}” ({param}) was ignored: {message}"]
    expected = ["climate"] if param != "theme" else ["climate", "other"]
    assert sorted(shown(response)) == expected
    assertContains(response, f"({param}) was ignored")


def test_instrument_list_ignores_an_unknown_sort(client):
    InstrumentFactory(slug="only")

    response = client.get(url("instruments:list"), {"sort": "shoe-size"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["only"]
    assert len(response.context["notices"]) == 1
    assert "(sort) was ignored" in response.context["notices"][0]


def test_instrument_list_answers_a_query_of_any_content(client):
    InstrumentFactory(slug="only")

    response = client.get(
        url("instruments:list"), {"q": '\'; DROP TABLE x; -- 中文 "quoted" ' + "é" * 1000}
    )

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == []
    # An address longer than the servers take is answered plainly (core/limits.py), never a 500.
    too_long = client.get(url("instruments:list"), {"q": "é" * 4000})
    assert too_long.status_code == HTTPStatus.REQUEST_URI_TOO_LONG


# --- drafts ------------------------------------------------------------------------------------


def test_instrument_detail_of_a_draft_is_not_found(client):
    draft = InstrumentFactory(slug="draft", status="draft")

    response = client.get(page(draft))
    previewed = client.get(page(draft), {"preview": "1"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert previewed.status_code == HTTPStatus.NOT_FOUND


def viewer_account():
    """A staff account in the Viewer role: it may view every model, so preview drafts."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Viewer"))
    return user


def test_instrument_detail_of_a_draft_is_shown_to_staff_previewing_it(client):
    draft = InstrumentFactory(slug="draft", status="draft", title_en="Work in progress")
    client.force_login(viewer_account())

    without = client.get(url("instruments:detail", slug="draft"))
    response = client.get(url("instruments:detail", slug="draft"), {"preview": "1"})

    assert without.status_code == HTTPStatus.NOT_FOUND
    assert response.status_code == HTTPStatus.OK
    assert response.context["instrument"] == draft
    assertContains(response, "Draft preview")
    assert "no-store" in response["Cache-Control"]


def test_instrument_detail_of_a_published_instrument_has_no_draft_banner(client):
    published = InstrumentFactory(slug="live")
    client.force_login(viewer_account())

    response = client.get(page(published), {"preview": "1"})

    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "Draft preview")


def test_unknown_instrument_is_a_404_in_the_site_layout(client):
    response = client.get(url("instruments:detail", slug="no-such-thing"))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assertContains(response, "<h1>Page not found</h1>", status_code=HTTPStatus.NOT_FOUND, html=True)
    assertContains(response, 'class="main-nav"', status_code=HTTPStatus.NOT_FOUND)


# --- languages ---------------------------------------------------------------------------------


def test_instrument_pages_show_the_language_of_the_address(client):
    instrument = InstrumentFactory(slug="cnc", title_fr="Réseau carbone", title_en="Carbon network")

    french = client.get(url("instruments:detail", "fr", slug="cnc"))
    english = client.get(url("instruments:detail", "en", slug="cnc"))
    french_list = client.get(url("instruments:list", "fr"))

    assertContains(french, "<title>Réseau carbone · CNRS International</title>", html=True)
    assertContains(english, "<title>Carbon network · CNRS International</title>", html=True)
    assertContains(
        french_list,
        f'<a href="{url("instruments:detail", "fr", slug="cnc")}">Réseau carbone</a>',
        html=True,
    )
    assert instrument.slug == "cnc"


def test_instrument_title_missing_in_english_falls_back_to_french_with_a_marker(client):
    InstrumentFactory(slug="fr-only", title_fr="Seulement en français", title_en="")

    response = client.get(url("instruments:detail", "en", slug="fr-only"))
    french = client.get(url("instruments:detail", "fr", slug="fr-only"))

    assertContains(
        response,
        '<h1><span lang="fr">Seulement en français</span> '
        '<span class="fallback-marker" lang="fr">(en français)</span></h1>',
        html=True,
    )
    assertNotContains(french, "fallback-marker")


# --- detail: every relation as a link -------------------------------------------------------


def test_instrument_detail_links_every_published_relation(client):
    irp = KindFactory(code="IRP", name_en="International Research Project")
    LegacyNameFactory(code="LIA", kind=irp)
    china = CountryFactory(code="CN", name_en="China")
    climate = ThemeFactory(slug="climate", name_en="Climate")
    inee = InstituteFactory(code="INEE")
    cas = InstitutionFactory(slug="cas", name_en="Chinese Academy of Sciences", acronym="CAS")
    hidden_partner = InstitutionFactory(slug="hidden", name_en="Hidden partner", status="draft")
    cnc = NetworkFactory(slug="cnc", name_en="Carbon neutrality network")
    office = OfficeFactory(slug="beijing", name_en="Beijing office")
    agreement = AgreementFactory(slug="cnrs-cas", title_en="CNRS–CAS framework agreement")
    predecessor = InstrumentFactory(slug="old-lia", title_en="The old LIA")
    milestone = MilestoneFactory(slug="launch", title_en="Launch in Beijing")
    instrument = InstrumentFactory(
        slug="main",
        kind=irp,
        countries=[china],
        themes=[climate],
        office=office,
        agreement=agreement,
        predecessors=[predecessor],
        website="https://example.org/main",
    )
    instrument.institutes.add(inee)
    instrument.partners.add(cas, hidden_partner)
    instrument.networks.add(cnc)
    instrument.milestones.add(milestone)
    InstrumentFactory(slug="next", title_en="The next one", predecessors=[instrument])
    InstrumentFactory(slug="draft-next", predecessors=[instrument], status="draft")

    response = client.get(page(instrument))

    content = response.content.decode()
    for target in [
        url("instruments:list") + "?kind=IRP",
        url("countries:detail", iso2="cn"),
        url("instruments:list") + "?theme=climate",
        url("instruments:list") + "?institute=INEE",
        url("institutions:detail", slug="cas"),
        url("instruments:network", slug="cnc"),
        url("offices:detail", slug="beijing"),
        url("partnerships:detail", slug="cnrs-cas"),
        url("instruments:detail", slug="old-lia"),
        url("instruments:detail", slug="next"),
        "https://example.org/main",
    ]:
        assert f'href="{target}"' in content, target
    assertContains(response, "Launch in Beijing")
    assertContains(response, '<abbr title="Former LIA">LIA</abbr>', html=True)
    assertNotContains(response, url("institutions:detail", slug="hidden"))
    assertNotContains(response, url("instruments:detail", slug="draft-next"))


def test_instrument_detail_hides_unpublished_single_relations(client):
    instrument = InstrumentFactory(
        slug="main",
        office=OfficeFactory(slug="closed-office", status="draft"),
        agreement=AgreementFactory(slug="secret", status="draft"),
        predecessors=[InstrumentFactory(slug="draft-parent", status="draft")],
    )

    response = client.get(page(instrument))

    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, url("offices:detail", slug="closed-office"))
    assertNotContains(response, url("partnerships:detail", slug="secret"))
    assertNotContains(response, url("instruments:detail", slug="draft-parent"))


def test_instrument_detail_describes_itself_in_json_ld_and_opengraph(client):
    china = CountryFactory(code="CN", name_en="China")
    cas = InstitutionFactory(slug="cas", name_en="CAS academy")
    instrument = InstrumentFactory(
        slug="main",
        acronym="MAIN",
        title_en="Main instrument",
        summary_en="What it does.",
        countries=[china],
        start_on=D(2024, 6, 1),
        end_on=D(2029, 5, 31),
    )
    instrument.partners.add(cas)

    response = client.get(page(instrument))

    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    data = json.loads(match.group(1))
    assert data == {
        "@context": "https://schema.org",
        "@type": "ResearchProject",
        "@id": "http://testserver/en/instruments/main/",
        "url": "http://testserver/en/instruments/main/",
        "name": "Main instrument",
        "additionalType": "http://testserver/en/instruments/?kind=IRN",
        "parentOrganization": {
            "@type": "ResearchOrganization",
            "name": "CNRS",
            "url": "https://www.cnrs.fr/",
        },
        "alternateName": "MAIN",
        "description": "What it does.",
        "foundingDate": "2024-06-01",
        "dissolutionDate": "2029-05-31",
        "member": [
            {
                "@type": "Organization",
                "name": "CAS academy",
                "url": "http://testserver/en/institutions/cas/",
            }
        ],
        "areaServed": [{"@type": "Country", "name": "China"}],
    }
    assertContains(response, '<meta property="og:title" content="Main instrument">', html=True)
    assertContains(
        response,
        '<meta property="og:url" content="http://testserver/en/instruments/main/">',
        html=True,
    )


def test_json_ld_cannot_close_its_script_element(client):
    instrument = InstrumentFactory(slug="main", title_en="</script><script>alert(1)</script>")

    response = client.get(page(instrument))

    assertNotContains(response, "</script><script>alert(1)")
    assertContains(response, "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)")


# --- networks --------------------------------------------------------------------------------


def test_network_list_shows_published_networks_with_their_published_node_count(client):
    cnc = NetworkFactory(slug="cnc", name_en="Carbon neutrality")
    NetworkFactory(slug="draft-network", status="draft")
    for slug in ("n1", "n2"):
        InstrumentFactory(slug=slug).networks.add(cnc)
    InstrumentFactory(slug="n3", status="draft").networks.add(cnc)

    response = client.get(url("instruments:networks"))

    assert shown(response) == ["cnc"]
    assert response.context["page_obj"].object_list[0].node_count == 2
    assertContains(response, "2 instruments")


def test_network_list_filters_by_country(client):
    china, japan = CountryFactory(code="CN"), CountryFactory(code="JP")
    NetworkFactory(slug="chinese").countries.add(china)
    NetworkFactory(slug="japanese").countries.add(japan)

    response = client.get(url("instruments:networks"), {"country": "cn"})

    assert shown(response) == ["chinese"]


def test_network_detail_groups_published_nodes_by_kind_and_links_every_relation(client):
    irn, irl = KindFactory(code="IRN", order=1), KindFactory(code="IRL", order=2)
    climate = ThemeFactory(slug="climate", name_en="Climate")
    cas = InstitutionFactory(slug="cas", name_en="CAS")
    agreement = AgreementFactory(slug="founding")
    milestone = MilestoneFactory(slug="inauguration", title_en="Inauguration in Beijing")
    network = NetworkFactory(slug="cnc", agreement=agreement)
    network.themes.add(climate)
    network.institutions.add(cas)
    network.milestones.add(milestone)
    for slug, kind, title in [
        ("lab", irl, "A laboratory"),
        ("net-b", irn, "B network"),
        ("net-a", irn, "A network"),
    ]:
        InstrumentFactory(slug=slug, kind=kind, title_en=title).networks.add(network)
    InstrumentFactory(slug="hidden-node", status="draft").networks.add(network)

    response = client.get(page(network))

    nodes = response.context["network"].published_nodes
    assert [(node.kind.code, node.slug) for node in nodes] == [
        ("IRN", "net-a"),
        ("IRN", "net-b"),
        ("IRL", "lab"),
    ]
    content = response.content.decode()
    for target in [
        url("instruments:detail", slug="net-a"),
        url("instruments:detail", slug="lab"),
        url("instruments:list") + "?theme=climate",
        url("institutions:detail", slug="cas"),
        url("partnerships:detail", slug="founding"),
    ]:
        assert f'href="{target}"' in content, target
    assertContains(response, "Inauguration in Beijing")
    assertNotContains(response, url("instruments:detail", slug="hidden-node"))


# --- query counts ----------------------------------------------------------------------------
# Each page takes exactly the same number of queries with one row as with a full page of them,
# and shows them all.


def make_instruments(count):
    """``count`` IRNs (former name GDRI) on climate in China and Afghanistan, and decoys."""
    irn = KindFactory(code="IRN")
    LegacyNameFactory(code="GDRI", kind=irn)
    theme = ThemeFactory(slug="climate")
    places = [CountryFactory(code=code) for code in ("CN", "AF", "JP")]
    wanted = [
        InstrumentFactory(slug=f"i{number:02}", kind=irn, countries=places, themes=[theme])
        for number in range(count)
    ]
    # Each one misses one filter: on the page, the filters were applied.
    InstrumentFactory(slug="elsewhere", kind=irn, countries=[places[2]], themes=[theme])
    InstrumentFactory(slug="other-theme", kind=irn, countries=places, themes=[ThemeFactory()])
    InstrumentFactory(
        slug="other-kind", kind=KindFactory(code="IRP"), countries=places, themes=[theme]
    )
    return wanted


@pytest.mark.parametrize("count", SIZES)
def test_instrument_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    wanted = make_instruments(count)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(
            url("instruments:list"), {"country": ["cn", "af"], "theme": "climate", "kind": "GDRI"}
        )

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == [instrument.slug for instrument in wanted]
    assert response.context["page_obj"].paginator.count == count
    assert_rendered(response, wanted)


@pytest.mark.parametrize("count", SIZES)
def test_instrument_detail_queries_do_not_grow_with_relations(
    client, django_assert_num_queries, count
):
    instrument = InstrumentFactory(
        slug="main", office=OfficeFactory(), agreement=AgreementFactory()
    )
    codes = [code for code, _name in list(countries)[:count]]
    related = {
        "countries": [CountryFactory(code=code) for code in codes],
        "themes": [ThemeFactory() for _ in range(count)],
        "institutes": [InstituteFactory() for _ in range(count)],
        "partners": [InstitutionFactory() for _ in range(count)],
        "networks": [NetworkFactory() for _ in range(count)],
        "milestones": [MilestoneFactory() for _ in range(count)],
    }
    for name, rows in related.items():
        getattr(instrument, name).set(rows)
    successors = [InstrumentFactory(predecessors=[instrument]) for _ in range(count)]

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(page(instrument))

    assert response.status_code == HTTPStatus.OK
    assert_rendered(
        response,
        [
            instrument.office,
            instrument.agreement,
            *successors,
            *(obj for rows in related.values() for obj in rows),
        ],
    )


@pytest.mark.parametrize("count", SIZES)
def test_network_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, count):
    china = CountryFactory(code="CN")
    wanted = []
    for number in range(count):
        network = NetworkFactory(slug=f"n{number:02}")
        network.countries.add(china)
        InstrumentFactory(slug=f"node{number:02}").networks.add(network)
        wanted.append(network)
    NetworkFactory(slug="elsewhere").countries.add(CountryFactory(code="JP"))

    with django_assert_num_queries(NETWORK_LIST_QUERIES):
        response = client.get(url("instruments:networks"), {"country": "cn"})

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == [network.slug for network in wanted]
    assert_rendered(response, wanted)


@pytest.mark.parametrize("count", SIZES)
def test_network_detail_queries_do_not_grow_with_nodes(client, django_assert_num_queries, count):
    network = NetworkFactory(slug="cnc", agreement=AgreementFactory(), office=OfficeFactory())
    nodes = [
        InstrumentFactory(slug=f"node{number:02}", kind=KindFactory()) for number in range(count)
    ]
    for node in nodes:
        node.networks.add(network)
    related = {
        "institutions": [InstitutionFactory() for _ in range(count)],
        "milestones": [MilestoneFactory() for _ in range(count)],
        "themes": [ThemeFactory() for _ in range(count)],
    }
    for name, rows in related.items():
        getattr(network, name).set(rows)

    with django_assert_num_queries(NETWORK_DETAIL_QUERIES):
        response = client.get(page(network))

    assert response.status_code == HTTPStatus.OK
    assert_rendered(
        response,
        [
            network.agreement,
            network.office,
            *nodes,
            *(obj for rows in related.values() for obj in rows),
        ],
    )
