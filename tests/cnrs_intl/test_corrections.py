"""Corrections of the reference data found in review (issue 9, items 1 and 6), on the public pages.

The CNC under its own name and dates; notes about the sources in the source box's "what the
sources leave open" line, not in the summaries; each fact cited to a page that states it.
"""

import re
import tomllib

import pytest
from django.urls import reverse
from django.utils import translation

from tests.reference_data import FIXTURES

pytestmark = pytest.mark.django_db


def page(client, name, lang, **kwargs) -> str:
    with translation.override(lang):
        url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def open_questions_box(html: str) -> str:
    match = re.search(r'<p class="provenance provenance-open">(.*?)</p>', html, re.S)
    assert match, "no 'what the sources leave open' line in the source box"
    return match.group(1)


def fixture(name: str) -> dict:
    with (FIXTURES / name).open("rb") as handle:
        return tomllib.load(handle)


# -- the CNC ----------------------------------------------------------------------------------------


def test_the_cnc_page_gives_its_name_and_its_dates_in_french(client, reference_db):
    html = page(client, "instruments:network", "fr", slug="cnc")
    assert "Centre franco-chinois sur la Neutralité Carbone" in html
    assert "Réseau franco-chinois" not in html
    assert "6 avril 2023" in html
    assert "24 novembre 2023" in html
    assert 'href="https://cnc-fr-cn.com/presentation/"' in html


def test_the_cnc_page_in_english_shows_the_french_name_marked_as_french(client, reference_db):
    html = page(client, "instruments:network", "en", slug="cnc")
    assert '<span lang="fr">Centre franco-chinois sur la Neutralité Carbone</span>' in html
    assert "Carbon Neutrality Network" not in html
    assert "6 April 2023" in html
    assert "24 November 2023" in html


def test_the_cnc_founding_text_is_a_declaration_of_intent_dated_by_the_cnc_site(
    client, reference_db
):
    html = page(client, "partnerships:detail", "en", slug="cnc-administrative-agreement-2023")
    assert "Declaration of intent" in html
    assert "6 April 2023" in html
    assert 'href="https://cnc-fr-cn.com/presentation/"' in html
    # The slides call it an administrative agreement: shown as a disagreement, not hidden.
    assert "administrative agreement signed in April 2023" in html


# -- what the sources leave open --------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, open_question, note",
    [
        ("fr", "Son nom, ses coordinateurs", "Les sources ne donnent ni son nom"),
        ("en", "Its name, its coordinators", "The sources give neither its name"),
    ],
)
def test_an_open_question_is_in_the_source_box_not_in_the_summary(
    client, reference_db, lang, open_question, note
):
    html = page(client, "instruments:detail", lang, slug="irn-cnrs-cas-applied-mathematics")
    assert open_question in open_questions_box(html)
    assert html.count(open_question) == 1
    assert note not in html


@pytest.mark.parametrize(
    "lang, open_question, month, note",
    [
        ("fr", "Le jour de la signature.", "janvier 1978", "jour n"),
        ("en", "The day it was signed.", "January 1978", "do not give the day"),
    ],
)
def test_the_1978_agreement_says_its_month_and_leaves_its_day_open(
    client, reference_db, lang, open_question, month, note
):
    html = page(client, "partnerships:detail", lang, slug="france-china-st-agreement-1978")
    assert month in html
    assert open_question in open_questions_box(html)
    assert note not in html
    # January 1978 is on the CNRS Beijing office's page, not in the seed slides (only "1978").
    assert 'href="https://cnrsbeijing.cnrs.fr/le-bureau-du-cnrs-en-chine/"' in html


NOTES_ABOUT_SOURCES = re.compile(
    r"les sources|the sources|jour non précisé|day not given|n'est pas donné|ne sont pas données"
    r"|not given|la source écrit|the source writes",
    re.I,
)
PUBLIC_TEXTS = (
    "summary_fr",
    "summary_en",
    "description_fr",
    "description_en",
    "label_fr",
    "label_en",
)
OWN_FILES = (
    "agreements.toml",
    "instruments.toml",
    "milestones.toml",
    "institutions.toml",
    "key_figures.toml",
    # not kinds.toml: a kind such as IFRE or OTHER is defined by what is known of its records
    "themes.toml",
    "institutes.toml",
)


def public_texts(value, where):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PUBLIC_TEXTS and isinstance(item, str):
                yield f"{where}.{key}", item
            else:
                yield from public_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from public_texts(item, f"{where}[{index}]")


def test_no_public_summary_of_these_fixtures_talks_about_the_sources():
    texts = [item for name in OWN_FILES for item in public_texts(fixture(name), name)]
    assert len(texts) > 100
    talking = [f"{where}: {text[:90]}" for where, text in texts if NOTES_ABOUT_SOURCES.search(text)]
    assert not talking, "\n".join(talking)


# -- sources ---------------------------------------------------------------------------------------


def test_only_the_sources_without_a_public_address_have_an_empty_one():
    sources = fixture("sources.toml")["source"]
    empty = {key for key, source in sources.items() if not source.get("url")}
    # The 2025 CNC slides were never published; the data set is the project's own copy.
    assert empty == {"seed-001", "cooperation-data"}


def test_every_source_named_by_a_record_is_defined_and_most_are_cited():
    defined = set(fixture("sources.toml")["source"])
    cited = set()
    for path in FIXTURES.glob("*.toml"):
        cited |= set(re.findall(r'^\s*source = "([^"]+)"', path.read_text(), re.M))
    assert cited <= defined
    assert {
        "cnc-presentation",
        "cnrs-beijing-office",
        "irc-chicago",
        "maison-du-cnrs-2024",
    } <= cited


def test_source_titles_carry_the_language_their_address_declares(client, reference_db):
    html = page(client, "partnerships:detail", "fr", slug="cnrs-cas-framework-agreement")
    # cas-2023 is a page of cnrs.fr/en/: its English title is marked on the French page.
    assert re.search(
        r'<a href="https://cnrs\.fr/en/update/[^"]+" rel="external" lang="en"\s*>', html
    )
    html = page(client, "partnerships:detail", "en", slug="france-china-st-agreement-1978")
    # The Beijing office's address declares no language: its title is left unmarked.
    assert re.search(r'<a href="https://cnrsbeijing\.cnrs\.fr/[^"]+" rel="external"\s*>', html)


def test_the_sao_paulo_centre_dates_from_2023(client, reference_db):
    html = page(client, "instruments:detail", "en", slug="irc-university-of-sao-paulo")
    assert "launched in 2023" in html
    assert 'href="https://www.cnrs.fr/fr/node/8333"' in html
