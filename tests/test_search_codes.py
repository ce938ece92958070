"""A former code, a unit number, a predecessor's acronym or a city finds the current record, the
same way on the search page, the instruments list and the API, on SQLite and PostgreSQL."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import InstrumentFactory, KindFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    irl, irp = KindFactory(code="IRL"), KindFactory(code="IRP")
    lafmi = InstrumentFactory(slug="lia-lafmi", acronym="LAFMI", kind=irp, title_en="Lab LAFMI")
    return {
        "majulab": InstrumentFactory(
            slug="irl-majulab",
            acronym="MajuLab",
            kind=irl,
            former_codes="UMI",
            unit_numbers="UMI 3654",
            city="Singapore",
        ),
        "ess": InstrumentFactory(slug="irl-ess", acronym="ESS", kind=irl, unit_numbers="IRL 2010"),
        "lafmi": lafmi,
        "lafmia": InstrumentFactory(
            slug="umi-lafmia", acronym="LAFMIA", kind=irl, predecessors=[lafmi]
        ),
        "other": InstrumentFactory(slug="irl-other", acronym="OTHER", kind=irl, city="Tokyo"),
    }


def on_the_list(client, query):
    with translation.override("en"):
        response = client.get(reverse("instruments:list"), {"q": query})
    return sorted(o.slug for o in response.context["paginator"].object_list)


def on_the_api(client, query):
    response = client.get(reverse("api:instrument-list"), {"q": query})
    return sorted(row["slug"] for row in response.json()["results"])


def on_the_search_page(client, query):
    with translation.override("en"):
        response = client.get(reverse("search"), {"q": query})
    groups = {g["key"]: g for g in response.context["groups"]}
    return sorted(i.slug for i in groups["instruments"]["items"]) if "instruments" in groups else []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("UMI 3654", ["irl-majulab"]),
        ("3654", ["irl-majulab"]),
        ("IRL 2010", ["irl-ess"]),
        ("2010", ["irl-ess"]),
        ("Singapore", ["irl-majulab"]),
    ],
)
def test_a_code_number_or_city_finds_the_record_everywhere(client, units, query, expected):
    assert on_the_list(client, query) == expected
    assert on_the_api(client, query) == expected
    assert on_the_search_page(client, query) == expected


def test_a_predecessors_acronym_leads_to_what_it_became(client, units):
    with translation.override("en"):
        response = client.get(reverse("search"), {"q": "LAFMI"})
        lafmia = units["lafmia"].get_absolute_url()

    content = response.content.decode()
    assert "lia-lafmi" in on_the_search_page(client, "LAFMI")
    assert re.search(rf'continued as <a\s+href="{lafmia}">IRL LAFMIA</a>', content)


def test_a_relabelled_unit_answers_its_former_kind(client, units):
    """``kind=UMI`` is the IRLs (UMI's current kind), the relabelled unit among them."""
    from tests.factories import LegacyNameFactory

    LegacyNameFactory(code="UMI", kind=units["majulab"].kind)

    response = client.get(reverse("api:instrument-list"), {"kind": "UMI"})

    assert sorted(row["slug"] for row in response.json()["results"]) == [
        "irl-ess",
        "irl-majulab",
        "irl-other",
        "umi-lafmia",
    ]
