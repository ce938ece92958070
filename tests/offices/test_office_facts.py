"""The offices as the reference data states them (fixtures/offices.toml, sectors.toml,
science_services.toml): former offices, coverages with their corrected years, one set of years
per office on every page, contacts with their sources, who to contact on real dossiers, and the
loader's rules for the new sections."""

import re
from html import unescape
from http import HTTPStatus

import pytest
from django.core.management.base import CommandError
from django.utils import translation

from offices.models import Country, Coverage, Office, Sector
from tests.reference_data import edit, load_reference_data

NBSP = "\u00a0"
DEPARTMENT = (
    "https://international.cnrs.fr/en/decouvrir-le-pilotage-de-la-politique-internationale/"
)


def page(obj, lang="en"):
    with translation.override(lang):
        return obj.get_absolute_url()


def contact_block(client, code, lang="en") -> str:
    response = client.get(f"/{lang}/countries/{code.lower()}/")
    assert response.status_code == HTTPStatus.OK
    match = re.search(
        r'<section [^>]*id="section-office">(.*?)</section>', response.content.decode(), re.S
    )
    assert match
    return match.group(1)


def periods(slug, code):
    return sorted(
        Coverage.objects.filter(office__slug=slug, country__code=code).values_list(
            "start_year", "end_year"
        )
    )


# --- office facts --------------------------------------------------------------------------------


def test_bonn_malta_and_moscow_are_former_offices_without_invented_years(reference_db):
    offices = {
        o.slug: (o.country.code, o.opened, o.closed, o.is_closed)
        for o in Office.objects.filter(slug__in=["bonn", "malta", "moscow"]).select_related(
            "country"
        )
    }

    assert offices == {
        "bonn": ("DE", None, None, True),
        "malta": ("MT", 2011, None, True),
        "moscow": ("RU", None, None, True),
    }
    malta = Office.objects.get(slug="malta")
    assert "29 March 2011" in malta.contradictions
    assert malta.source_url == "http://www2.cnrs.fr/en/1826.htm?debut=96"


def test_former_office_page_shows_what_the_sources_leave_open(client, reference_db):
    content = client.get(page(Office.objects.get(slug="bonn"))).content.decode()

    assert "The sources consulted date neither its opening nor its closure." in content
    assert "now closed" in content


def test_santiago_covered_paraguay_too(reference_db):
    covered = set(
        Coverage.objects.filter(office__slug="santiago").values_list("country__code", flat=True)
    )

    assert covered == {"CL", "AR", "UY", "PY", "BR"}
    assert periods("santiago", "PY") == [(2002, 2010)]


def test_singapore_followed_oceania_from_2019_until_melbourne_opened_in_2021(reference_db):
    assert periods("singapore", "AU") == [(2019, 2021)]
    assert periods("singapore", "NZ") == [(2019, 2021)]
    assert periods("melbourne", "AU") == [(2021, None)]


def test_an_office_that_moved_or_closed_ends_its_coverages_that_year(reference_db):
    endings = {
        office.slug: sorted({c.end_year for c in office.coverages.all()})
        for office in Office.objects.filter(closed__isnull=False).prefetch_related("coverages")
    }

    assert endings == {
        "hanoi": [2014],
        "johannesburg": [2011],
        "new-york": [1984],
        "rio-de-janeiro": [2024],
        "santiago": [2010],
    }


def test_johannesburg_has_one_set_of_years_on_every_page(client, reference_db):
    office = Office.objects.get(slug="johannesburg")
    south_africa = Country.objects.get(code="ZA")

    office_page = client.get(page(office)).content.decode()
    dossier = client.get(page(south_africa)).content.decode()
    successor = client.get(page(Office.objects.get(slug="pretoria"))).content.decode()

    assert "closed in 2011" in office_page
    assert re.search(
        r'johannesburg/">CNRS Office in Johannesburg</a> <span class="muted">\(until 2011\)',
        dossier,
    )
    assert "(until 2011)" in successor
    assert "2010" not in dossier.split("Offices that covered it before")[1].split("</ul>")[0]


def test_rio_pages_disagreement_on_the_southern_cone_is_noted(client, reference_db):
    rio = Office.objects.get(slug="rio-de-janeiro")

    dossier = client.get("/en/countries/ar/").content.decode()

    assert "regional since 2015" in rio.contradictions
    assert periods("rio-de-janeiro", "AR") == [(2016, 2024)]
    assert "For 2010 to 2015 the Rio office's pages disagree" in unescape(dossier)


def test_sao_paulo_has_its_own_website(reference_db):
    websites = dict(
        Office.objects.filter(slug__in=["sao-paulo", "rio-de-janeiro"]).values_list(
            "slug", "website"
        )
    )

    assert websites == {
        "sao-paulo": "https://sao-paulo.office.cnrs.fr",
        "rio-de-janeiro": "https://rio.office.cnrs.fr",
    }


def test_branches_are_noted_on_the_coverage_with_their_source(reference_db):
    colombia = Coverage.objects.get(office__slug="sao-paulo", country__code="CO")
    india = Coverage.objects.get(office__slug="new-delhi", country__code="IN")

    assert "IFEA" in colombia.note_en and "Bogotá" in colombia.note_fr
    assert colombia.source_url.startswith("https://international.cnrs.fr/en/actualite/")
    assert "Bangalore and Chennai" in india.note_en
    assert (
        india.source_url == "http://nvonews.com/india-france-sign-pacts-on-three-science-projects/"
    )


def test_americas_sector_text_follows_the_seeds(reference_db):
    americas = Sector.objects.get(slug="americas")

    for text in (americas.description_en, americas.description_fr):
        assert "Caribbean" not in text and "Caraïbes" not in text
    assert "Australia and New Zealand" in americas.description_en
    assert "Americas/Oceania" in americas.description_en


def test_french_texts_follow_french_typography(reference_db):
    texts = [
        value
        for office in Office.objects.all()
        for value in (office.description_fr, office.open_questions_fr)
    ]
    texts += [c.note_fr for c in Coverage.objects.all()]
    texts += list(Sector.objects.values_list("description_fr", flat=True))

    texts = [text for text in texts if text]
    faults = [
        text for text in texts if "'" in text or re.search(r"[^\u00a0][:;?!](\s|$)|« | »", text)
    ]

    assert faults == []


def test_french_office_page_shows_the_typography(client, reference_db):
    brussels = Office.objects.get(slug="brussels")

    content = client.get(page(brussels, "fr")).content.decode()

    assert f"Antenne européenne du CNRS{NBSP}: interface" in content
    assert "l’Union" in content


# --- contacts and who to contact on real dossiers ------------------------------------------------


def test_every_filled_contact_names_its_source(reference_db):
    offices = Office.objects.exclude(website="", contact_page="", email="", phone="")

    unsourced = [o.slug for o in offices if o.is_open and not o.contact_source_title]
    sectors = Sector.objects.exclude(contact_page="")

    assert unsourced == []
    assert sectors.count() == 4
    assert {s.contact_page for s in sectors} == {DEPARTMENT}
    assert all(s.contact_source_title for s in sectors)


def test_south_africa_dossier_gives_pretoria_and_the_department(client, reference_db):
    block = contact_block(client, "ZA")

    assert '<h3><a href="/en/offices/pretoria/">CNRS Office in Pretoria</a></h3>' in block
    assert "The Innovation Hub, Pretoria" in block
    # Pretoria publishes no website, e-mail or phone in the sources: the department is offered.
    assert f'<a href="{DEPARTMENT}" rel="external">the department’s page</a>' in block
    assert "Offices that covered it before" in block


def test_japan_dossier_gives_tokyo_and_its_website(client, reference_db):
    block = contact_block(client, "JP", "fr")

    assert '<a href="/fr/offices/tokyo/">Bureau du CNRS à Tokyo</a>' in block
    assert '<a href="https://tokyo.cnrs.fr" rel="external">Site web' in block
    assert "la page du département" not in block


def test_china_dossier_gives_the_embassy_science_service_from_the_cnc_slides(client, reference_db):
    block = contact_block(client, "CN")

    assert '<a href="/en/offices/beijing/">CNRS Office in Beijing</a>' in block
    assert 'href="mailto:science.pekin-amba@diplomatie.gouv.fr"' in block
    assert (
        "Source: Slides (2025): the CNC, Centre franco-chinois sur la Neutralité Carbone" in block
    )


def test_uncovered_country_dossier_gives_the_department(client, reference_db):
    block = contact_block(client, "DE", "fr")

    assert "Aucun bureau du CNRS ne suit ce pays aujourd’hui." in block
    assert f'<a href="{DEPARTMENT}" rel="external">la page du département</a>' in block
    assert '<a href="/fr/offices/bonn/">Bureau du CNRS à Bonn</a>' in block


# --- the loader ----------------------------------------------------------------------------------


def test_second_load_changes_nothing_in_the_new_sections(reference_db):
    output = load_reference_data()

    assert "Science service: 0 created, 0 updated, 1 unchanged" in output.splitlines()
    assert "Coverage: 0 created, 0 updated, 113 unchanged" in output.splitlines()


def test_a_corrected_period_replaces_the_old_one(reference_db, fixtures_copy):
    edit(
        fixtures_copy / "offices.toml",
        '  start_year = 2019\n  end_year = 2021\n  note_fr = "De 2019',
        '  start_year = 2018\n  end_year = 2021\n  note_fr = "De 2019',
    )

    output = load_reference_data(fixtures_copy)

    assert periods("singapore", "AU") == [(2018, 2021)]
    assert "Coverage: 14 created, 0 updated, 99 unchanged, 14 deleted" in output.splitlines()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('country = "CN"', 'country = "XX"', "science service 'XX': country 'XX' does not exist"),
        (
            'email = "science.pekin-amba@diplomatie.gouv.fr"\n',
            "",
            "science service 'CN': give the service's url or e-mail",
        ),
        ('source = "seed-001"', 'source = "nowhere"', "source 'nowhere' is not defined"),
        ('source = "seed-001"', 'phone = "+86"', "science service 'CN': unknown field(s): phone"),
        (
            'email = "science.pekin-amba@diplomatie.gouv.fr"',
            'email = "not an address"',
            "science service 'CN': science_service_email: Enter a valid email address.",
        ),
    ],
)
def test_a_bad_science_service_fails_naming_it(reference_db, fixtures_copy, old, new, message):
    edit(fixtures_copy / "science_services.toml", old, new)

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value).startswith(f"{fixtures_copy / 'science_services.toml'}: ")
    assert message in str(error.value)


def test_an_unknown_contact_source_fails_naming_the_office(reference_db, fixtures_copy):
    edit(fixtures_copy / "offices.toml", 'contact_source = "tokyo-site"', 'contact_source = "x"')

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == (
        f"{fixtures_copy / 'offices.toml'}: office 'tokyo': source 'x' is not defined in sources.toml"
    )


def test_a_bad_phone_fails_naming_the_office(reference_db, fixtures_copy):
    edit(
        fixtures_copy / "offices.toml",
        'contact_source = "tokyo-site"',
        'contact_source = "tokyo-site"\nphone = "call us"',
    )

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value).startswith(
        f"{fixtures_copy / 'offices.toml'}: office 'tokyo': phone: An international number"
    )
