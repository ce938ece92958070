"""The French catalogue: every message translated, none fuzzy, and compiled pages in French."""

import re
import subprocess
from pathlib import Path

import pytest
from pytest_django.asserts import assertContains, assertNotContains

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/fr/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def _msgattrib(*options):
    """The catalogue's entries selected by ``msgattrib`` (GNU gettext), header left out."""
    result = subprocess.run(
        ["msgattrib", *options, "--no-obsolete", "--no-wrap", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [m for m in re.findall(r'^msgid "(.*)"$', result.stdout, re.M) if m]


def test_every_french_message_is_translated_and_none_is_fuzzy():
    assert _msgattrib("--untranslated") == []
    assert _msgattrib("--only-fuzzy") == []
    assert len(_msgattrib("--translated")) > 600


def test_the_french_catalogue_compiles(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(not MO.exists(), reason="messages not compiled (make install compiles them)")
def test_the_interface_speaks_french_under_fr(client):
    response = client.get("/fr/")

    assertContains(response, '<h2 id="figures-heading">Chiffres publiés</h2>', html=False)
    assertContains(response, "Aller au contenu principal")


@pytest.mark.django_db
@pytest.mark.skipif(not MO.exists(), reason="messages not compiled (make install compiles them)")
def test_french_chips_and_labels_keep_a_non_breaking_space_before_the_colon(client):
    response = client.get("/fr/instruments/", {"country": "ZZ"})

    assertContains(response, '<span class="chip-text">Pays\u00a0: ZZ (ignoré)</span>', html=False)
    assertContains(response, "Filtres actifs\u00a0:")
    assertNotContains(response, "Pays: ")
