"""The country dossier read as an answer: a truthful status (records without dates in a group of
their own, with what the sources last reported), partner institutions known through the records,
a timeline that says what happened, themes with counts that their links give, empty parts on one
line, and the CSV listing what the page lists."""

import csv
import datetime
import io
import re
from http import HTTPStatus

import pytest
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from core.models import today
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    MilestoneFactory,
    NetworkFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def page(obj, lang="en"):
    with translation.override(lang):
        return obj.get_absolute_url()


def shown(response, name):
    return [record.slug for record in response.context[name]]


def listed_slugs(client, address):
    """The slugs a filtered list page gives (every page of it)."""
    response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    return sorted(obj.slug for obj in response.context["page_obj"].paginator.object_list)


def section(content, name):
    """The HTML of one section of the dossier (``id="section-<name>"``)."""
    match = re.search(rf'<section[^>]*id="section-{name}">(.*?)</section>', content, re.S)
    assert match, name
    return match.group(1)


def counts(content):
    return re.findall(
        r'<span class="count-value">(\d+)</span> <span class="count-label">([^<]+)</span>', content
    )


@pytest.fixture
def south_africa():
    return CountryFactory(code="ZA", name_en="South Africa", name_fr="Afrique du Sud")


# --- status -------------------------------------------------------------------------------------


@pytest.fixture
def statuses(south_africa):
    irl = KindFactory(code="IRL", name_en="International Research Laboratory", order=1)
    InstrumentFactory(slug="running", title_en="Running lab", kind=irl, countries=[south_africa])
    # Ends "December <this year>": not over before the month is.
    InstrumentFactory(
        slug="this-year",
        title_en="Ends this December",
        kind=irl,
        countries=[south_africa],
        start_on=D(2015, 1, 1),
        end_on=D(today().year, 12, 1),
        end_on_precision="month",
    )
    InstrumentFactory(
        slug="undated",
        title_en="Undated network",
        acronym="UNDN",
        countries=[south_africa],
        start_on=None,
        end_on=None,
        reported_status="renewed 2019",
        source_title="cnrs.fr/derci",
        source_url="https://www.cnrs.fr/derci/",
        checked_on=D(2019, 1, 1),
        checked_on_precision="year",
    )
    InstrumentFactory(
        slug="silent",
        title_en="Silent project",
        countries=[south_africa],
        start_on=None,
        end_on=None,
    )
    InstrumentFactory(
        slug="later",
        title_en="Starting later",
        countries=[south_africa],
        start_on=D(today().year + 2, 1, 1),
        start_on_precision="year",
        end_on=None,
    )
    InstrumentFactory(
        slug="over",
        title_en="Over project",
        countries=[south_africa],
        start_on=D(2001, 1, 1),
        end_on=D(2005, 1, 1),
    )
    AgreementFactory(slug="in-force", title_en="Agreement in force").countries.add(south_africa)
    AgreementFactory(
        slug="undated-agreement",
        title_en="Undated agreement",
        signed_on=None,
        reported_status="renewed for five years",
    ).countries.add(south_africa)
    AgreementFactory(
        slug="expired", title_en="Expired", signed_on=D(2000, 1, 1), expires_on=D(2004, 1, 1)
    ).countries.add(south_africa)
    CallFactory(
        slug="undated-call",
        title_en="Undated call",
        opens_on=None,
        closes_on=None,
        reported_status="2024 edition announced",
    ).countries.add(south_africa)
    CallFactory(slug="closed-call", title_en="Closed call").countries.add(south_africa)
    return south_africa


def test_dossier_counts_as_active_only_what_the_dates_say_is_running(client, statuses):
    response = client.get(page(statuses))

    groups = [
        (k.code, [i.slug for i in items]) for k, items in response.context["instrument_groups"]
    ]
    assert groups == [("IRL", ["this-year", "running"])]
    assert shown(response, "unknown_instruments") == ["silent", "undated"]
    assert shown(response, "upcoming_instruments") == ["later"]
    assert response.context["ended_instrument_count"] == 1
    assert shown(response, "agreements") == ["in-force"]
    assert shown(response, "unknown_agreements") == ["undated-agreement"]
    assert response.context["ended_agreement_count"] == 1
    assert counts(response.content.decode())[:3] == [
        ("2", "active instruments"),
        ("1", "agreement in force"),
        ("4", "records whose status is not known"),
    ]
    assert shown(response, "calls") == []
    assert shown(response, "unknown_calls") == ["undated-call"]
    assert response.context["ended_call_count"] == 1


def test_records_without_dates_say_what_was_last_reported_and_never_look_active(client, statuses):
    content = client.get(page(statuses)).content.decode()

    instruments = section(content, "instruments")
    unknown = instruments[instruments.index('id="unknown-instruments"') :]
    assert re.search(r"Status not known <span class=\"muted\">\(2\)</span>", instruments)
    assert re.search(
        r'<span class="record-reported">Last reported: <q lang="en">renewed 2019</q>\s*— '
        r'<a href="https://www.cnrs.fr/derci/" rel="external">cnrs.fr/derci</a\s*>, 2019</span>',
        unknown,
    )
    assert "The sources report nothing of its state" in unknown
    assert "badge" not in unknown
    assert "Undated network" not in instruments[: instruments.index('id="unknown-instruments"')]
    agreements = section(content, "agreements")
    assert agreements.index("Agreement in force") < agreements.index("Status not known")
    assert '<q lang="en">renewed for five years</q>' in agreements
    assert "Expired</a>" not in agreements
    calls = section(content, "calls")
    assert "No call open or announced." in calls
    assert '<q lang="en">2024 edition announced</q>' in calls
    assert "badge" not in calls


def test_status_not_known_in_french(client, statuses):
    content = client.get(page(statuses, "fr")).content.decode()

    instruments = section(content, "instruments")
    assert "État inconnu" in instruments
    assert "Dernier état signalé\u00a0:" in instruments
    assert "Commence plus tard" in instruments
    assert ("4", "fiches dont l’état est inconnu") in counts(content)


def test_dossier_links_give_the_records_it_counts(client, statuses):
    response = client.get(page(statuses))

    links = response.context["links"]
    assert listed_slugs(client, links["instruments"]) == ["running", "this-year"]
    assert listed_slugs(client, links["unknown_instruments"]) == ["silent", "undated"]
    assert listed_slugs(client, links["ended_instruments"]) == ["over"]
    assert listed_slugs(client, links["ended_agreements"]) == ["expired"]
    assert listed_slugs(client, links["ended_calls"]) == ["closed-call"]
    assertContains(
        response, 'href="/en/instruments/?country=za&amp;status=ended">1 ended instrument'
    )
    assertContains(response, "1 expired agreement</a>")


# --- partner institutions -----------------------------------------------------------------------


@pytest.fixture
def partners(south_africa):
    france = CountryFactory(code="FR", name_en="France", name_fr="France")
    japan = CountryFactory(code="JP", name_en="Japan")
    nrf = InstitutionFactory(slug="nrf", name_en="National Research Foundation", country=None)
    wits = InstitutionFactory(slug="wits", name_en="Wits University", country=south_africa)
    InstitutionFactory(slug="sanbi", name_en="SANBI", country=south_africa)
    ird = InstitutionFactory(slug="ird", name_en="IRD", country=france)
    hidden = InstitutionFactory(slug="hidden", name_en="Hidden body", country=None, status="draft")
    elsewhere = InstitutionFactory(slug="jsps", name_en="JSPS", country=None)
    only_draft = InstitutionFactory(slug="via-draft", name_en="Named by a draft", country=None)

    lab = InstrumentFactory(slug="lab", countries=[south_africa])
    lab.partners.set([nrf, wits, hidden])
    agreement = AgreementFactory(slug="nrf-agreement")
    agreement.countries.add(south_africa)
    agreement.parties.set([nrf])
    call = CallFactory(slug="nrf-call")
    call.countries.add(south_africa)
    call.funders.set([nrf, ird])
    milestone = MilestoneFactory(slug="office")
    milestone.countries.add(south_africa)
    milestone.institutions.set([ird])
    network = NetworkFactory(slug="net")
    network.countries.add(south_africa)
    network.institutions.set([nrf])
    InstrumentFactory(slug="japanese", countries=[japan]).partners.set([elsewhere])
    InstrumentFactory(slug="draft", countries=[south_africa], status="draft").partners.set(
        [only_draft]
    )
    return south_africa


def test_dossier_lists_the_institutions_its_records_name_with_how_many(client, partners):
    response = client.get(page(partners))

    assert shown(response, "institutions_based_here") == ["wits", "sanbi"]
    assert shown(response, "institutions_named") == ["nrf", "ird"]
    assert {i.slug: i.record_count for i in response.context["institutions"]} == {
        "nrf": 4,
        "ird": 2,
        "wits": 1,
        "sanbi": 0,
    }
    content = response.content.decode()
    institutions = section(content, "institutions")
    assert "Based in South Africa" in institutions
    assert "the sources do not say that they are based in\n      South Africa" not in institutions
    assert "the sources do not say that they are based in South Africa" in institutions
    assert re.search(
        r'/en/institutions/ird/">IRD</a>\s*<span class="muted">\(France\)</span>\s*'
        r'<span class="muted">– named by 2 records</span>',
        institutions,
    )
    assert re.search(
        r'/en/institutions/nrf/">National Research Foundation</a>\s*'
        r'<span class="muted">– named by 4 records</span>',
        institutions,
    )
    for absent in ("Hidden body", "JSPS", "Named by a draft"):
        assert absent not in content
    assert ("4", "partner institutions") in counts(content)


def test_partner_institutions_in_french(client, partners):
    content = client.get(page(partners, "fr")).content.decode()

    institutions = section(content, "institutions")
    assert "Établies dans ce pays" in institutions
    assert "citée par 4\u00a0fiches" in institutions
    assert "les sources ne disent pas qu’elles sont établies dans ce pays" in institutions
    assert re.search(
        r'/fr/institutions/ird/">[^<]+</a>\s*<span class="muted">\(France\)</span>', institutions
    )


def test_dossier_csv_lists_the_institutions_the_page_lists(client, partners):
    response = client.get(page(partners))
    with translation.override("en"):
        download = client.get(f"{page(partners)}export.csv")

    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    in_file = sorted(row["Identifier"] for row in rows if row["Type"] == "Institution")
    assert in_file == sorted(shown(response, "institutions"))


# --- timeline -----------------------------------------------------------------------------------


@pytest.fixture
def timeline(south_africa):
    angola = CountryFactory(code="AO", name_en="Angola")
    ird = InstitutionFactory(slug="ird", name_en="IRD", country=None)
    first = MilestoneFactory(
        slug="opened",
        title_en="CNRS office, Pretoria",
        date=D(2011, 1, 10),
        reported_status="joint IRD-CNRS office since 2011",
        source_title="cnrs.fr/derci",
        source_url="https://www.cnrs.fr/derci/1833",
        checked_on=D(2011, 3, 1),
        checked_on_precision="month",
    )
    first.countries.add(south_africa)
    first.institutions.add(ird)
    coverage = MilestoneFactory(
        slug="coverage",
        title_en="CNRS office, Pretoria",
        date=D(2011, 1, 1),
        date_precision="year",
        source_url="https://za.ambafrance.org/joint-office",
    )
    coverage.countries.add(south_africa, angola)
    undated = MilestoneFactory(
        slug="undated",
        title_en="CNRS office, Pretoria",
        date=None,
        reported_status="covers 13 Southern African countries",
    )
    undated.countries.add(south_africa)
    described = MilestoneFactory(
        slug="described",
        title_en="Agreement signed",
        title_fr="Accord signé",
        date=D(2015, 11, 27),
        description_en="CNRS, IRD and CIRAD sign a framework agreement with the NRF.",
        description_fr="Le CNRS, l’IRD et le CIRAD signent un accord-cadre avec la NRF.",
        reported_status="should not show beside a description",
    )
    described.countries.add(south_africa)
    return south_africa


def test_timeline_says_what_happened_and_where_it_comes_from(client, timeline):
    response = client.get(page(timeline))

    assert shown(response, "milestones") == ["coverage", "opened", "described", "undated"]
    items = re.findall(
        r"<li>(.*?)</li>\s*(?=<li>|</ol>)", section(response.content.decode(), "timeline"), re.S
    )
    assert len(items) == 4
    coverage, opened, described, undated = items
    assert '<time datetime="2011">2011</time>' in coverage
    assert re.search(r'Also concerns: \s*<a href="/en/countries/ao/">Angola</a>', coverage)
    assert 'href="https://za.ambafrance.org/joint-office" rel="external"' in coverage
    assert re.search(
        r'The source reports \(March 2011\):\s*<q lang="en">joint IRD-CNRS office since 2011</q>',
        opened,
    )
    assert re.search(r'With: \s*<a href="/en/institutions/ird/">IRD</a>', opened)
    assert '<a href="https://www.cnrs.fr/derci/1833" rel="external">cnrs.fr/derci</a>' in opened
    assert "CNRS, IRD and CIRAD sign a framework agreement with the NRF." in described
    assert "should not show" not in described
    assert '<span class="timeline-date">Date not given</span>' in undated
    assert re.search(
        r'The source reports:\s*<q lang="en">covers 13 Southern African countries</q>', undated
    )
    # The same title three times, each told apart by what it says.
    assert all("timeline-text" in i or "timeline-meta" in i for i in (coverage, opened, undated))


def test_timeline_in_french(client, timeline):
    content = section(client.get(page(timeline, "fr")).content.decode(), "timeline")

    assert "Le CNRS, l’IRD et le CIRAD signent un accord-cadre avec la NRF." in content
    assert "La source indique (mars 2011)\u00a0:" in content
    assert "Date non indiquée" in content
    assert "Concerne aussi\u00a0:" in content


def test_record_pages_show_milestone_descriptions(client, south_africa):
    instrument = InstrumentFactory(slug="lab", countries=[south_africa])
    milestone = MilestoneFactory(
        slug="launch", title_en="Launch", description_en="The laboratory opens in Johannesburg."
    )
    instrument.milestones.add(milestone)

    response = client.get(page(instrument))

    assertContains(
        response, '<p class="timeline-text">The laboratory opens in Johannesburg.</p>', html=False
    )


# --- themes -------------------------------------------------------------------------------------


@pytest.fixture
def themed(south_africa):
    environment = ThemeFactory(slug="environment", name_en="Environment", name_fr="Environnement")
    biodiversity = ThemeFactory(
        slug="biodiversity", name_en="Biodiversity", name_fr="Biodiversité", parent=environment
    )
    physics = ThemeFactory(slug="physics", name_en="Physics", name_fr="Physique")
    ThemeFactory(slug="unused", name_en="Unused")
    InstrumentFactory(slug="eco", countries=[south_africa], themes=[environment])
    InstrumentFactory(slug="bio", countries=[south_africa], themes=[biodiversity])
    InstrumentFactory(
        slug="bio-old",
        countries=[south_africa],
        themes=[biodiversity],
        start_on=D(2000, 1, 1),
        end_on=D(2004, 1, 1),
    )
    InstrumentFactory(slug="elsewhere", countries=[CountryFactory(code="JP")], themes=[physics])
    InstrumentFactory(slug="draft", countries=[south_africa], themes=[physics], status="draft")
    agreement = AgreementFactory(slug="bio-agreement")
    agreement.countries.add(south_africa)
    agreement.themes.add(biodiversity)
    return south_africa


def test_themes_come_with_counts_their_links_give(client, themed):
    response = client.get(page(themed))

    themes = {t.slug: [(part, n) for part, n, _url in t.counts] for t in response.context["themes"]}
    # A parent theme counts its sub-themes' records, as the list filtered on it does.
    assert themes == {
        "biodiversity": [("instruments", 2), ("agreements", 1)],
        "environment": [("instruments", 3), ("agreements", 1)],
    }
    for theme in response.context["themes"]:
        for part, number, url in theme.counts:
            assert len(listed_slugs(client, url)) == number, (theme.slug, part)
    content = section(response.content.decode(), "themes")
    assert (
        '<a href="/en/instruments/?country=za&amp;theme=biodiversity">2 instruments</a>' in content
    )
    assert (
        '<a href="/en/partnerships/?country=za&amp;theme=biodiversity">1 agreement</a>' in content
    )
    assert "Physics" not in content and "Unused" not in content


def test_themes_in_french(client, themed):
    content = section(client.get(page(themed, "fr")).content.decode(), "themes")

    assert "Environnement" in content
    assert (
        '<a href="/fr/instruments/?country=za&amp;theme=environment">3 instruments</a>' in content
    )


# --- empty parts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "Nothing recorded for South Africa yet: instruments, agreements, partner institutions, "
            "calls for proposals, milestones, themes.",
        ),
        (
            "fr",
            "Rien n’est encore enregistré pour ce pays\u00a0: instruments, accords, "
            "institutions partenaires, appels à projets, jalons, thèmes.",
        ),
    ],
)
def test_empty_parts_are_named_on_one_line(client, south_africa, lang, line):
    response = client.get(page(south_africa, lang))

    assertContains(response, line)
    for part in ("instruments", "agreements", "institutions", "calls", "timeline", "themes"):
        assertNotContains(response, f'id="section-{part}"')
        assertNotContains(response, f'href="#{part}-heading"')
