"""Who to contact: the office covering a country now with what it publishes, the sector's
department page where no office covers it (or none publishes a way to reach it), the French
embassy's science service; the office page's contact block, the API and the accessibility
statement. Both languages; the dossier's query count does not grow with the offices."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import CountryFactory, CoverageFactory, OfficeFactory, SectorFactory
from tests.rendering import SIZES, link

pytestmark = pytest.mark.django_db

DEPARTMENT = "https://international.cnrs.fr/en/department/"
# The dossier of a country with offices and a science service but no other record, whatever
# the number of offices.
DOSSIER_QUERIES = 13
NBSP = "\u00a0"


def page(obj, lang="en"):
    with translation.override(lang):
        return obj.get_absolute_url()


def contact_block(response) -> str:
    """The dossier's "Who to contact" section."""
    content = response.content.decode()
    match = re.search(r'<section [^>]*id="section-office">(.*?)</section>', content, re.S)
    assert match, "no Who to contact section"
    return match.group(1)


@pytest.fixture
def africa():
    return SectorFactory(
        slug="africa",
        name_fr="Afrique",
        name_en="Africa",
        contact_page=DEPARTMENT,
        contact_source_title="CNRS: the international department",
    )


@pytest.fixture
def south_africa(africa):
    return CountryFactory(
        code="ZA", name_fr="Afrique du Sud", name_en="South Africa", sector=africa
    )


@pytest.fixture
def pretoria(south_africa):
    office = OfficeFactory(
        slug="pretoria",
        name_fr="Bureau de Pretoria",
        name_en="Pretoria office",
        country=south_africa,
        opened=2011,
        website="https://pretoria.example.org/",
        contact_page="https://pretoria.example.org/contact/",
        email="office@pretoria.example.org",
        phone="+27 12 844 0000",
        contact_role_fr="Direction du bureau",
        contact_role_en="Director of the office",
        contact_source_title="Pretoria office: contact",
        contact_source_url="https://pretoria.example.org/contact/",
    )
    CoverageFactory(office=office, country=south_africa, start_year=2011)
    return office


def test_covered_country_opens_with_its_office_and_what_it_publishes(client, pretoria):
    response = client.get(page(pretoria.country))

    assert response.status_code == HTTPStatus.OK
    block = contact_block(response)
    assert '<h2 id="office-heading">Who to contact</h2>' in block
    assert '<h3><a href="/en/offices/pretoria/">Pretoria office</a></h3>' in block
    assert "covers it since 2011" in block
    assert '<li class="contact-role">Director of the office</li>' in block
    assert '<a href="https://pretoria.example.org/" rel="external">Website' in block
    assert '<a href="https://pretoria.example.org/contact/" rel="external">Contact page' in block
    assert (
        'E-mail: <a href="mailto:office@pretoria.example.org">office@pretoria.example.org</a>'
        in block
    )
    assert 'Phone: <a href="tel:+27128440000">+27 12 844 0000</a>' in block
    assert "Contacts from:" in block
    # An office that answers: the department is not offered instead.
    assert DEPARTMENT not in block
    assert "No CNRS office covers this country today." not in block


def test_who_to_contact_comes_before_the_counts_and_the_record_lists(client, pretoria):
    content = client.get(page(pretoria.country)).content.decode()

    positions = [
        content.index('id="section-office"'),
        content.index('class="dossier-counts"'),
        content.index('class="toc'),
    ]

    assert positions == sorted(positions)


def test_covered_country_in_french_with_french_typography(client, pretoria):
    response = client.get(page(pretoria.country, "fr"))

    block = contact_block(response)
    assert '<h2 id="office-heading">Qui contacter</h2>' in block
    assert '<a href="/fr/offices/pretoria/">Bureau de Pretoria</a>' in block
    assert "le couvre depuis 2011" in block
    assert '<li class="contact-role">Direction du bureau</li>' in block
    assert f'Courriel{NBSP}: <a href="mailto:office@pretoria.example.org">' in block
    assert f'Téléphone{NBSP}: <a href="tel:+27128440000">' in block
    assert f"Contacts tirés de{NBSP}:" in block


def test_uncovered_country_says_so_and_gives_the_sector_department_page(client, africa):
    mali = CountryFactory(code="ML", name_en="Mali", sector=africa)

    block = contact_block(client.get(page(mali)))

    assert '<p class="contact-none">No CNRS office covers this country today.</p>' in block
    assert "whose Africa sector follows the country:" in block
    assert f'<a href="{DEPARTMENT}" rel="external">the department’s page</a>' in block
    assert "Source: CNRS: the international department" in block
    assert "contact-office" not in block


def test_uncovered_country_in_french(client, africa):
    mali = CountryFactory(code="ML", name_fr="Mali", sector=africa)

    block = contact_block(client.get(page(mali, "fr")))

    assert "Aucun bureau du CNRS ne suit ce pays aujourd’hui." in block
    assert f"dont le secteur Afrique suit ce pays{NBSP}:" in block
    assert f'<a href="{DEPARTMENT}" rel="external">la page du département</a>' in block


def test_sector_without_a_contact_page_points_to_the_sector_page(client):
    sector = SectorFactory(slug="europe", name_en="Europe", contact_page="")
    iceland = CountryFactory(code="IS", sector=sector)

    block = contact_block(client.get(page(iceland)))

    assert "No CNRS office covers this country today." in block
    assert "belongs to the Europe sector of the CNRS international department." in block
    assert link(page(sector)) in block


def test_office_that_publishes_no_way_to_reach_it_gets_the_department_beside_it(
    client, africa, south_africa
):
    office = OfficeFactory(slug="quiet", country=south_africa, address="The Innovation Hub")
    CoverageFactory(office=office, country=south_africa)

    block = contact_block(client.get(page(south_africa)))

    assert link(page(office)) in block
    assert "The Innovation Hub" in block
    assert "No CNRS office covers this country today." not in block
    assert f'<a href="{DEPARTMENT}" rel="external">the department’s page</a>' in block


def test_draft_office_is_no_contact(client, africa, south_africa):
    draft = OfficeFactory(
        slug="draft-office", country=south_africa, website="https://x.example/", status="draft"
    )
    CoverageFactory(office=draft, country=south_africa)

    block = contact_block(client.get(page(south_africa)))

    assert "draft-office" not in block
    assert "https://x.example/" not in block
    assert "No CNRS office covers this country today." in block


def test_embassy_science_service_is_shown_with_its_source(client, africa):
    china = CountryFactory(
        code="CN",
        sector=africa,
        science_service_email="science@embassy.example.org",
        science_service_source_title="Slides (2025): the CNC",
    )

    block = contact_block(client.get(page(china)))

    assert "<h3>Science service of the French embassy</h3>" in block
    assert (
        '<a\n          href="mailto:science@embassy.example.org">science@embassy.example.org</a>'
        in block
    )
    assert "Source: Slides (2025): the CNC" in block


def test_embassy_science_service_by_its_name_in_french(client, africa):
    china = CountryFactory(
        code="CN",
        sector=africa,
        science_service_name_fr="Service pour la science et la technologie",
        science_service_name_en="Science and technology service",
        science_service_url="https://embassy.example.org/science/",
        science_service_source_title="Embassy page",
        science_service_source_url="https://embassy.example.org/",
    )

    block = contact_block(client.get(page(china, "fr")))

    assert "<h3>Service pour la science et la technologie</h3>" in block
    assert '<a href="https://embassy.example.org/science/" rel="external">Site web' in block
    assert (
        '<a href="https://embassy.example.org/"\n        rel="external">Embassy page</a>' in block
    )


def test_no_science_service_section_without_one(client, pretoria):
    block = contact_block(client.get(page(pretoria.country)))

    assert "Science service of the French embassy" not in block


@pytest.mark.parametrize("count", SIZES)
def test_who_to_contact_queries_do_not_grow_with_the_offices(
    client, django_assert_num_queries, africa, south_africa, count
):
    offices = [
        OfficeFactory(
            slug=f"office-{i}", country=south_africa, website=f"https://o{i}.example.org/"
        )
        for i in range(count)
    ]
    for office in offices:
        CoverageFactory(office=office, country=south_africa)
    south_africa.science_service_email = "science@embassy.example.org"
    south_africa.science_service_source_title = "Embassy"
    south_africa.save()

    with django_assert_num_queries(DOSSIER_QUERIES):
        response = client.get(page(south_africa))

    block = contact_block(response)
    assert block.count('class="contact-office"') == count
    assert all(f"https://o{i}.example.org/" in block for i in range(count))
    assert "science@embassy.example.org" in block


# --- the office page -------------------------------------------------------------------------


def test_office_page_contact_block(client, pretoria):
    content = client.get(page(pretoria)).content.decode()

    aside = content[content.index('id="contact-heading"') :]
    aside = aside[: aside.index("</section>")]
    assert '<li class="contact-role">Director of the office</li>' in aside
    assert 'href="mailto:office@pretoria.example.org"' in aside
    assert 'href="tel:+27128440000"' in aside
    assert 'href="https://pretoria.example.org/contact/" rel="external">Contact page' in aside
    assert (
        '<a href="https://pretoria.example.org/contact/"\n  rel="external">Pretoria office' in aside
    )


def test_office_page_without_contacts_says_so_in_french(client, south_africa):
    office = OfficeFactory(slug="silent", country=south_africa)

    content = client.get(page(office, "fr")).content.decode()

    assert "Aucun contact publié." in content


# --- the API ---------------------------------------------------------------------------------


def test_api_office_gives_its_contacts(client, pretoria):
    data = client.get(reverse("api:office-detail", kwargs={"slug": "pretoria"})).json()

    assert {
        key: data[key]
        for key in ("website", "contact_page", "email", "phone", "contact_role", "contact_source")
    } == {
        "website": "https://pretoria.example.org/",
        "contact_page": "https://pretoria.example.org/contact/",
        "email": "office@pretoria.example.org",
        "phone": "+27 12 844 0000",
        "contact_role": "Direction du bureau",
        "contact_source": {
            "title": "Pretoria office: contact",
            "url": "https://pretoria.example.org/contact/",
        },
    }


def test_api_office_contact_role_in_english(client, pretoria):
    url = reverse("api:office-detail", kwargs={"slug": "pretoria"})

    data = client.get(url, {"lang": "en"}).json()

    assert data["contact_role"] == "Director of the office"


def test_api_country_gives_the_science_service_or_null(client, africa):
    CountryFactory(
        code="CN",
        sector=africa,
        science_service_email="science@embassy.example.org",
        science_service_source_title="Slides",
    )
    CountryFactory(code="ML", sector=africa)

    china = client.get(reverse("api:country-detail", kwargs={"iso2": "cn"})).json()
    mali = client.get(reverse("api:country-detail", kwargs={"iso2": "ml"})).json()
    sector = client.get(reverse("api:sector-detail", kwargs={"slug": "africa"})).json()

    assert china["science_service"] == {
        "name": None,
        "url": None,
        "email": "science@embassy.example.org",
        "source": {"title": "Slides", "url": None},
    }
    assert mali["science_service"] is None
    assert sector["contact_page"] == DEPARTMENT


# --- the accessibility statement ---------------------------------------------------------------


def test_accessibility_statement_names_the_department_page(client, africa):
    with translation.override("en"):
        url = reverse("accessibility")

    content = client.get(url).content.decode()

    assert f'<a href="{DEPARTMENT}"\n      rel="external" id="accessibility-contact">' in content
    assert "every country dossier opens with “Who to contact”" in content


def test_accessibility_statement_in_french_without_a_department_page(client):
    with translation.override("fr"):
        url = reverse("accessibility")

    content = client.get(url).content.decode()

    assert 'id="accessibility-contact"' not in content
    assert "chaque dossier pays commence par «\u00a0Qui contacter\u00a0»" in content
