"""Lineage, relabelled units, themes and disagreements as the reference data loads them."""

import csv
import re
import tomllib
from http import HTTPStatus

import pytest
from django.core.management import CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pytest_django.asserts import assertContains

from instruments.models import Instrument
from tests.reference_data import FIXTURES, edit, load_reference_data

DATA = FIXTURES / "cooperation"


def page(slug, lang="en"):
    with translation.override(lang):
        return reverse("instruments:detail", kwargs={"slug": slug})


def list_url(lang="en"):
    with translation.override(lang):
        return reverse("instruments:list")


def lineage_links(response, heading):
    """Slugs linked under a heading of the record's lineage section, in order."""
    section = response.content.decode().split(f"<dt>{heading}</dt>", 1)[1].split("</dd>", 1)[0]
    return re.findall(r'href="/en/instruments/([^/"]+)/"', section)


def test_a_merge_keeps_every_predecessor_and_each_shows_what_it_became(client, reference_db):
    lafmia = Instrument.objects.get(slug="umi-lafmia")

    merged = client.get(page("umi-lafmia"))
    first = client.get(page("lia-lafmaa"))
    second = client.get(page("lia-lafmi"))

    assert sorted(lafmia.predecessors.values_list("slug", flat=True)) == ["lia-lafmaa", "lia-lafmi"]
    assert lineage_links(merged, "Grew out of") == ["lia-lafmaa", "lia-lafmi"]
    assert lineage_links(first, "Continued as") == ["umi-lafmia"]
    assert lineage_links(second, "Continued as") == ["umi-lafmia"]


def test_a_chain_is_shown_whole_both_ways_as_a_tree(client, reference_db):
    """PICS 4159 → LIA FSQL → IRL MajuLab: the oldest under the one it grew into."""
    majulab = client.get(page("irl-majulab"))
    pics = client.get(page("pics-4159"))

    content = majulab.content.decode()
    fsql, pics_link = content.index(page("lia-fsql")), content.index(page("pics-4159"))
    nested = content[fsql:pics_link]
    assert fsql < pics_link and '<ul class="lineage">' in nested
    assert lineage_links(pics, "Continued as") == ["lia-fsql", "irl-majulab"]


def test_a_relabelled_unit_says_its_former_code_and_number(client, reference_db):
    response = client.get(page("irl-majulab"))

    assertContains(response, '<dd class="lineage-former">UMI 3654', html=False)


def test_a_relabelled_unit_answers_its_former_code_on_every_channel(client, reference_db):
    pages = client.get(list_url(), {"q": "UMI 3654"})
    by_kind = client.get(list_url(), {"kind": "UMI"})
    api = client.get(reverse("api:instrument-list"), {"q": "UMI 3654", "lang": "en"})
    with translation.override("en"):
        csv_file = client.get(reverse("instruments:export-csv"), {"q": "3654"})

    assert [o.slug for o in pages.context["page_obj"].object_list] == ["irl-majulab"]
    assert "irl-majulab" in [o.slug for o in by_kind.context["paginator"].object_list]
    assert [row["slug"] for row in api.json()["results"]] == ["irl-majulab"]
    rows = list(
        csv.DictReader(b"".join(csv_file.streaming_content).decode("utf-8-sig").splitlines())
    )
    assert [row["Identifier"] for row in rows] == ["irl-majulab"]
    assert (rows[0]["Former codes"], rows[0]["Unit numbers"]) == ("UMI", "UMI 3654")
    assert "FSQL" in rows[0]["Predecessors"]


def test_the_cards_of_a_list_show_the_lineage_line(client, reference_db):
    response = client.get(list_url(), {"q": "LAFMI"})

    content = response.content.decode()
    assert "formerly UMI" in content
    assert re.search(rf'continued as <a\s+href="{page("umi-lafmia")}">UMI LAFMIA</a>', content)
    assert re.search(rf'grew out of <a\s+href="{page("lia-lafmaa")}">LIA LAFMAA</a>', content)


def test_every_theme_word_of_the_data_is_mapped_to_a_theme_or_to_none():
    mapping = tomllib.loads((DATA / "theme_words.toml").read_text(encoding="utf-8"))["words"]
    themes = tomllib.loads((FIXTURES / "themes.toml").read_text(encoding="utf-8"))["theme"]
    words = set()
    for name in ("instruments.csv", "agreements.csv", "calls.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                words.update(w.strip() for w in row["themes"].split(";") if w.strip())

    assert sorted(words - set(mapping)) == []
    assert set(mapping.values()) - {""} <= {theme["slug"] for theme in themes}


def test_a_theme_word_missing_from_the_mapping_fails_the_load(reference_db, fixtures_copy):
    edit(
        fixtures_copy / "cooperation" / "theme_words.toml",
        '"savanna dynamics" = "biodiversity"\n',
        "",
    )

    with pytest.raises(CommandError) as error:
        load_reference_data(fixtures_copy)

    assert str(error.value) == (
        f"{fixtures_copy / 'cooperation' / 'instruments.csv'}: row 'gdri-191': themes: "
        "'savanna dynamics' is not listed in cooperation/theme_words.toml"
    )


def test_a_country_dossier_lists_the_themes_of_its_records(client, reference_db):
    with translation.override("en"):
        dossier = client.get(reverse("countries:detail", kwargs={"iso2": "za"}))

    assert dossier.status_code == HTTPStatus.OK
    assertContains(dossier, "?country=za&amp;theme=biodiversity", html=False)
    assert "gdri-191" in Instrument.objects.filter(themes__slug="biodiversity").values_list(
        "slug", flat=True
    )


def test_the_city_is_loaded_shown_and_searched(client, reference_db):
    majulab = Instrument.objects.get(slug="irl-majulab")

    response = client.get(page("irl-majulab"))
    found = client.get(list_url(), {"q": majulab.city})

    assert majulab.city == "Singapore"
    assertContains(response, "<dt>City</dt><dd>Singapore</dd>", html=False)
    assert "irl-majulab" in [o.slug for o in found.context["paginator"].object_list]


def test_a_disagreement_names_the_main_source_and_keeps_the_curators_english(client, reference_db):
    cmm = Instrument.objects.get(slug="irl-cmm")

    response = client.get(page("irl-cmm", "fr"))

    assertContains(
        response,
        f"Les sources divergent\u00a0: cette page donne la valeur de sa source principale ({cmm.source_title}).",
        html=False,
    )
    assertContains(response, f'<span lang="en">{escape(cmm.contradictions)}</span>', html=False)
