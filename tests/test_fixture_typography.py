"""French typography in the reference data: every ``*_fr`` text of every TOML fixture.

Non-breaking space (U+00A0, or the narrow U+202F) before ``: ; ? !``, after ``«`` and before
``»``; the typographic apostrophe ``’``; thousands grouped (``55 000``), ``30 %`` and ``20 000 €``
with a non-breaking space. A French page then shows the text with its typography.
"""

import re
import tomllib

import pytest
from django.urls import reverse
from django.utils import translation

from tests.reference_data import FIXTURES

SPACES = "\u00a0\u202f"
RULES = [
    ("ASCII apostrophe (use ’)", re.compile(r"'")),
    (
        "no non-breaking space before : ; ? !",
        re.compile(rf"(?<![{SPACES}])[;?!]|(?<![{SPACES}]):(?!//)"),
    ),
    ("no non-breaking space after «", re.compile(rf"«(?![{SPACES}])")),
    ("no non-breaking space before »", re.compile(rf"(?<![{SPACES}])»")),
    ("digits not grouped by thousands", re.compile(r"(?<![\d.,/-])\d{5,}(?![\d/-])")),
    ("thousands grouped with an ordinary space", re.compile(r"\d \d{3}\b")),
    ("% or € without a non-breaking space", re.compile(r"\d[ ]?[%€]")),
]


def french_texts(value, where):
    """Every ``(where, text)`` of a ``*_fr`` key, in nested tables and arrays too."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_fr") and isinstance(item, str):
                yield f"{where}.{key}", item
            else:
                yield from french_texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = item.get("slug") or item.get("code") if isinstance(item, dict) else None
            yield from french_texts(item, f"{where}[{label or index}]")


def all_french_texts():
    for path in sorted(FIXTURES.glob("*.toml")):
        with path.open("rb") as handle:
            yield from french_texts(tomllib.load(handle), path.name)


def faults(text: str) -> list[str]:
    return [name for name, pattern in RULES if pattern.search(text)]


def test_the_fixtures_have_french_texts_to_check():
    files = {where.partition(".toml")[0] + ".toml" for where, _ in all_french_texts()}
    assert {"offices.toml", "sectors.toml", "instruments.toml", "kinds.toml"} <= files


def test_every_french_fixture_text_follows_french_typography():
    wrong = [
        f"{where}: {', '.join(found)}: {text[:80]!r}"
        for where, text in all_french_texts()
        if (found := faults(text))
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "text, fault",
    [
        ("l'accord", "ASCII apostrophe (use ’)"),
        ("trois axes : agriculture", "no non-breaking space before : ; ? !"),
        ("« Maison du CNRS »", "no non-breaking space after «"),
        ("55000 missions", "digits not grouped by thousands"),
        ("55 000 missions", "thousands grouped with an ordinary space"),
        ("30 %", "% or € without a non-breaking space"),
    ],
)
def test_the_check_catches_each_fault(text, fault):
    assert fault in faults(text)


def test_the_check_accepts_correct_french():
    assert faults("20\u202f000\u00a0€ ; x") == ["no non-breaking space before : ; ? !"]
    assert (
        faults("l’accord\u00a0: «\u00a0Maison\u00a0» 55\u00a0000, 30\u00a0%, 1978, https://cnrs.fr")
        == []
    )


def test_a_fixture_text_keeps_its_typography_on_a_french_page(client, reference_db):
    with translation.override("fr"):
        url = reverse("instruments:network", kwargs={"slug": "cnc"})
    page = client.get(url).content.decode()
    assert url.startswith("/fr/")
    # From fixtures/instruments.toml, as written there: ’ and a non-breaking space before ":".
    assert "par une déclaration d’intention des ministères" in page
    assert "autour de trois axes\u00a0: agriculture, biodiversité, environnement" in page
