"""sitemap.xml with both languages and hreflang alternates, robots.txt, the accessibility
statement and the layout every page shares."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    CoverageFactory,
    InstitutionFactory,
    InstrumentFactory,
    NetworkFactory,
    OfficeFactory,
)

pytestmark = pytest.mark.django_db


def test_sitemap_lists_every_public_page_in_both_languages_with_alternates(client):
    china = CountryFactory(code="CN")
    CountryFactory(code="IS")
    office = OfficeFactory(slug="beijing", country=china)
    CoverageFactory(office=office, country=china)
    OfficeFactory(slug="draft-office", status="draft")
    InstrumentFactory(slug="irn")
    InstrumentFactory(slug="draft-instrument", status="draft")
    NetworkFactory(slug="cnc")
    AgreementFactory(slug="cas")
    InstitutionFactory(slug="nsfc")
    CallFactory(slug="joint-call")

    response = client.get("/sitemap.xml")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/xml"
    content = response.content.decode()
    for path in (
        "/offices/beijing/",
        "/countries/cn/",
        "/instruments/irn/",
        "/instruments/networks/cnc/",
        "/partnerships/cas/",
        "/institutions/nsfc/",
        "/calls/joint-call/",
        "/offices/",
        "/countries/",
        "/accessibility/",
    ):
        assert f"<loc>http://testserver/fr{path}</loc>" in content
        assert f"<loc>http://testserver/en{path}</loc>" in content
        assert (
            f'<xhtml:link rel="alternate" hreflang="fr" href="http://testserver/fr{path}"/>'
            in content
        )
        assert (
            f'<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en{path}"/>'
            in content
        )
        # x-default: the address without a language, which picks one from the browser.
        assert (
            f'<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver{path}"/>'
            in content
        )
    assert "draft-office" not in content
    assert "draft-instrument" not in content
    # A country with no activity has a dossier but is not worth a crawler's visit.
    assert "/countries/is/" not in content


def test_the_x_default_address_redirects_by_the_browsers_language(client):
    OfficeFactory(slug="beijing")

    response = client.get("/offices/beijing/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/en/offices/beijing/"


def test_robots_txt_points_to_the_sitemap(client, settings):
    response = client.get("/robots.txt")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Disallow: /{settings.ADMIN_URL}" in lines
    assert "Disallow: /fr/search/" in lines
    assert "Disallow: /en/search/" in lines
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_accessibility_statement_in_both_languages_linked_from_every_page(client, lang):
    with translation.override(lang):
        statement = reverse("accessibility")
        home = reverse("home")

    response = client.get(statement)

    assert response.status_code == HTTPStatus.OK
    assertContains(response, f'<html lang="{lang}">', html=False)
    assertContains(response, "https://formulaire.defenseurdesdroits.fr/")
    assertContains(client.get(home), f'<li><a href="{statement}">', html=False)


def test_layout_has_skip_link_landmarks_search_box_and_no_inline_style_or_script(client):
    # The home page has its own search box instead of the header's (tests/cnrs_intl/test_home.py).
    response = client.get("/en/accessibility/")

    content = response.content.decode()
    assert content.index('<a class="skip-link" href="#main">') < content.index("<header")
    assert '<main id="main" tabindex="-1">' in content
    assert '<nav class="main-nav" aria-label="Main menu">' in content
    assert '<form class="header-search" role="search" action="/en/search/" method="get">' in content
    assert (
        '<label for="header-search-q" class="visually-hidden">Search the portal</label>' in content
    )
    assert ' style="' not in content
    assert "<style" not in content
    assert "<script>" not in content
    assertContains(response, '<a href="/en/countries/">Countries</a>', html=False)
    assertContains(response, '<a href="/en/search/">Search</a>', html=False)


def test_footer_links_the_open_data_page_only_because_it_exists(client):
    response = client.get("/en/")

    with translation.override("en"):
        open_data = reverse("open-data")
    assertContains(response, f'<a href="{open_data}">Open data</a>', html=False)
    assertNotContains(response, 'href="#"')


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_page_not_found_offers_the_main_sections_and_a_search_box(client, lang):
    with translation.override(lang):
        sections = [
            reverse(name)
            for name in (
                "home",
                "offices:list",
                "countries:list",
                "instruments:list",
                "partnerships:list",
                "institutions:list",
                "calls:list",
            )
        ]
        search = reverse("search")

    response = client.get(f"/{lang}/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    content = response.content.decode()
    page = content[content.index('<div class="error-page">') :]
    links = [href for href in sections if f'<li><a href="{href}">' in page]
    assert links == sections
    assert f'<form class="search-box" role="search" action="{search}" method="get">' in page
    assert '<input type="search" id="not-found-q" name="q"' in page
