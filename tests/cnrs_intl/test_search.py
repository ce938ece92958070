"""Search over every kind of record: grouping, ranking, drafts, odd queries on any database;
stemming, accents, typos and the indexes on PostgreSQL."""

import importlib
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django_countries import countries as iso_countries
from pytest_django.asserts import assertContains, assertNotContains

from cnrs_intl.search import SEARCH_DOCUMENTS
from core.search import ranked_search, search_queryset
from instruments.models import Instrument
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    InstitutionFactory,
    InstrumentFactory,
    KindFactory,
    LegacyNameFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    ThemeFactory,
)
from tests.rendering import assert_rendered

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search and pg_trgm are PostgreSQL's"
)

# The queries a search takes, whatever the number of matches (see test_search_queries_...).
SEARCH_QUERIES = 15  # the instruments' lineage lines: two prefetches
# The records of each group a search shows at most.
PER_GROUP = 10


def search(client, q, lang="en"):
    with translation.override(lang):
        return client.get(reverse("search"), {"q": q})


def groups(response):
    return {
        g["key"]: [getattr(item, "slug", None) or str(item.code) for item in g["items"]]
        for g in response.context["groups"]
    }


def test_search_groups_results_by_kind_of_record(client):
    china = CountryFactory(code="CN", name_en="China")
    OfficeFactory(slug="beijing", name_en="Beijing office", description_en="Follows China.")
    InstrumentFactory(slug="irn", title_en="China biodiversity network", countries=[china])
    AgreementFactory(slug="cas", title_en="Agreement with China")
    InstitutionFactory(slug="cas-inst", name_en="Academy of China")
    CallFactory(slug="nsfc", title_en="China joint call")
    MilestoneFactory(slug="m1978", title_en="First China agreement").countries.add(china)
    NetworkFactory(slug="cnc", name_en="China carbon network")
    InstrumentFactory(slug="draft", title_en="China draft", status="draft")
    InstrumentFactory(slug="other", title_en="Japan network")

    response = search(client, "china")

    assert response.status_code == HTTPStatus.OK
    found = groups(response)
    assert found["offices"] == ["beijing"]
    assert found["instruments"] == ["irn"]
    assert found["networks"] == ["cnc"]
    assert found["agreements"] == ["cas"]
    assert found["institutions"] == ["cas-inst"]
    assert found["calls"] == ["nsfc"]
    assert found["milestones"] == ["m1978"]
    assert found["countries"] == ["CN"]
    assert [g["key"] for g in response.context["groups"]] == [
        "offices",
        "countries",
        "instruments",
        "networks",
        "agreements",
        "institutions",
        "calls",
        "milestones",
    ]
    assertContains(
        response,
        '<h2 id="results-instruments">Instruments <span class="muted">(1)</span></h2>',
        html=False,
    )
    assertNotContains(response, "China draft")
    assertNotContains(response, "Japan network")


def test_search_ranks_a_title_match_above_a_summary_match(client):
    InstrumentFactory(
        slug="in-summary", title_en="A network", summary_en="About glaciology in the Alps."
    )
    InstrumentFactory(slug="in-title", title_en="Glaciology network")

    response = search(client, "glaciology")

    assert groups(response)["instruments"] == ["in-title", "in-summary"]


def test_search_finds_a_kind_by_its_legacy_name(client):
    irp = KindFactory(code="IRP", name_en="International Research Project")
    LegacyNameFactory(code="LIA", kind=irp)
    KindFactory(code="IRN", name_en="International Research Network")

    response = search(client, "LIA")

    assert [kind.code for kind in response.context["kinds"]] == ["IRP"]
    assertContains(
        response,
        '<a href="/en/instruments/?kind=IRP">IRP – International Research Project</a>',
        html=False,
    )


def test_search_links_to_the_full_list_when_a_group_has_more(client):
    for number in range(12):
        InstrumentFactory(slug=f"i{number:02}", title_en=f"Ocean network {number}")

    response = search(client, "ocean")

    (group,) = [g for g in response.context["groups"] if g["key"] == "instruments"]
    assert (len(group["items"]), group["count"]) == (10, 12)
    assertContains(response, 'href="/en/instruments/?q=ocean"', html=False)
    assertContains(response, "See all 12 results among Instruments")


def test_search_without_a_query_shows_the_form_only(client):
    response = search(client, "")

    assert response.status_code == HTTPStatus.OK
    assert response.context["groups"] == []
    assertContains(response, '<input type="search" id="search-q" name="q" value=""', html=False)


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "y" * 6000,
        " ".join(["word"] * 900),
        "中国科学院 生物多样性",
        "\"quoted\" 'single' «guillemets»",
        "'; DROP TABLE instruments_instrument; --",
        "100% _under_ %%",
        "back\\slash \\\\ \\",
        "nul\x00byte",
        "<script>alert(1)</script>",
        "a & b | !c <-> d:*",
        "-",
        "or",
        "\u200b\u2028\u202e",
    ],
)
def test_any_query_answers_normally(client, query):
    InstrumentFactory(slug="irn", title_en="Network")

    response = search(client, query)

    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "<script>alert(1)</script>")


def test_a_query_longer_than_the_limit_is_searched_by_its_beginning_with_a_notice(client):
    InstrumentFactory(slug="irn", title_en="Ocean network")

    long = search(client, "ocean " + "x" * 6000)
    at_limit = search(client, "ocean " + "x" * 4000)

    assert long.context["truncated"] is True
    assertContains(long, "Your query was very long: only its beginning was searched.")
    assert at_limit.context["truncated"] is False


def test_search_query_is_escaped_in_the_page(client):
    response = search(client, '"><b>bold</b>')

    assertContains(response, 'value="&quot;&gt;&lt;b&gt;bold&lt;/b&gt;"', html=False)


def test_search_in_french(client):
    InstrumentFactory(slug="irn", title_fr="Réseau sur les océans", title_en="Ocean network")

    response = search(client, "océans", lang="fr")

    assert groups(response)["instruments"] == ["irn"]
    assertContains(response, '<html lang="fr">', html=False)
    assertContains(response, "Réseau sur les océans")


# The search shows up to PER_GROUP records of each of its 9 groups, and counts a group's matches
# (one query) only when there are more: 9 queries more past 10 matches each, then no more.
@pytest.mark.parametrize(
    ("count", "queries"),
    [(1, SEARCH_QUERIES), (PER_GROUP, SEARCH_QUERIES)]
    + [(n, SEARCH_QUERIES + 9) for n in (PER_GROUP + 1, 20)],
)
def test_search_queries_do_not_grow_with_rows(client, django_assert_num_queries, count, queries):
    irn = KindFactory(code="IRN", name_en="Research network")
    for number in range(count):
        country = CountryFactory(code=list(iso_countries)[number][0], name_en=f"Land {number}")
        OfficeFactory(slug=f"o{number:02}", name_en=f"Land office {number}", country=country)
        InstrumentFactory(slug=f"i{number:02}", kind=irn, title_en=f"Land network {number}")
        AgreementFactory(slug=f"a{number:02}", title_en=f"Land agreement {number}")
        InstitutionFactory(
            slug=f"s{number:02}", name_en=f"Land institute {number}", country=country
        )
        CallFactory(slug=f"c{number:02}", title_en=f"Land call {number}")
        MilestoneFactory(slug=f"m{number:02}", title_en=f"Land milestone {number}").countries.add(
            country
        )
        NetworkFactory(slug=f"n{number:02}", name_en=f"Land network {number}")
        ThemeFactory(slug=f"t{number:02}", name_en=f"Land theme {number}")

    with django_assert_num_queries(queries):
        response = search(client, "land")

    assert response.status_code == HTTPStatus.OK
    assert response.context["total"] == 9 * count
    found = response.context["groups"]
    assert [g["count"] for g in found] == [count] * 9
    assert [len(g["items"]) for g in found] == [min(count, PER_GROUP)] * 9
    assert_rendered(response, [item for g in found for item in g["items"]])


# --- PostgreSQL: stemming, accents, typos, indexes ---------------------------------------------------


@postgresql_only
def test_search_ignores_accents(client):
    InstrumentFactory(slug="irn", title_fr="Réseau biodiversité", title_en="Biodiversity network")
    InstitutionFactory(slug="ecole", name_fr="École polytechnique", name_en="École polytechnique")

    unaccented = search(client, "biodiversite", lang="fr")
    school = search(client, "ecole polytechnique")

    assert groups(unaccented)["instruments"] == ["irn"]
    assert groups(school)["institutions"] == ["ecole"]


@postgresql_only
def test_search_stems_french_and_english_words(client):
    InstrumentFactory(slug="fr", title_fr="Les réseaux océaniques", title_en="Marine things")
    InstrumentFactory(slug="en", title_fr="Truc", title_en="Networking laboratories")

    french = search(client, "réseau", lang="fr")
    english = search(client, "laboratory")

    assert groups(french)["instruments"] == ["fr"]
    assert groups(english)["instruments"] == ["en"]


@postgresql_only
def test_search_ranks_by_relevance(client):
    InstrumentFactory(
        slug="summary", title_en="A network", summary_en="glaciers glaciers of the Alps"
    )
    InstrumentFactory(slug="title", title_en="Glaciers of the Andes")
    InstrumentFactory(slug="none", title_en="Deserts")

    response = search(client, "glaciers")

    assert groups(response)["instruments"] == ["title", "summary"]


@postgresql_only
def test_search_tolerates_typos_when_nothing_matches_exactly(client):
    InstrumentFactory(slug="irn", title_en="Biodiversity network", title_fr="Réseau biodiversité")
    InstrumentFactory(slug="other", title_en="Particle physics", title_fr="Physique des particules")

    response = search(client, "biodiversty")

    assert response.context["fuzzy"] is True
    assert groups(response)["instruments"] == ["irn"]
    assertContains(response, "no exact match: records whose names look like your query")


@postgresql_only
def test_list_filter_q_ignores_accents_too(client):
    InstrumentFactory(slug="irn", title_fr="Réseau biodiversité", title_en="Network")
    InstrumentFactory(slug="other", title_fr="Autre", title_en="Other")

    found = search_queryset(Instrument.objects.all(), "biodiversite", ("title_fr", "title_en"))

    assert [i.slug for i in found] == ["irn"]


@postgresql_only
@pytest.mark.parametrize("label", sorted(SEARCH_DOCUMENTS))
def test_full_text_search_uses_the_gin_index(label):
    from django.apps import apps

    model = apps.get_model(label)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = ranked_search(model.objects.all(), "biodiversité").explain()

    table = model._meta.db_table[:40]
    assert f"{table}_fts" in plan


@postgresql_only
def test_typo_fallback_uses_the_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = ranked_search(Instrument.objects.all(), "biodiversty", fuzzy=True).explain()

    assert (
        "instruments_instrument_title_fr_trgm" in plan
        or "instruments_instrument_title_en_trgm" in plan
    )


def test_the_search_index_migrations_match_the_search_documents():
    """0003 froze every document; the site layer's rebuilt some (cnrs_intl 0001, 0002: the instrument's)."""
    frozen = dict(importlib.import_module("core.migrations.0003_search_indexes").SEARCH_DOCUMENTS)
    for name in ("0001_instrument_search_codes", "0003_instrument_search_city"):
        frozen.update(importlib.import_module(f"cnrs_intl.migrations.{name}").SEARCH_DOCUMENTS)

    assert frozen == SEARCH_DOCUMENTS


def test_unit_numbers_and_former_codes_find_the_record(client, db):
    InstrumentFactory(slug="poncelet-like", unit_numbers="UMI 2615", former_codes="UMI")
    InstrumentFactory(slug="unrelated", unit_numbers="IRL 2010")

    assert groups(search(client, "UMI 2615"))["instruments"] == ["poncelet-like"]
    assert groups(search(client, "2010"))["instruments"] == ["unrelated"]
