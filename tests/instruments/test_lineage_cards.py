"""A record card's lineage line (former code, predecessors, successors) and the list's queries."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import InstrumentFactory, KindFactory
from tests.rendering import SIZES, assert_rendered, link


def list_url(lang="en"):
    with translation.override(lang):
        return reverse("instruments:list")


@pytest.mark.parametrize("count", SIZES)
def test_card_lineage_keeps_the_list_constant_in_queries(
    client, db, django_assert_num_queries, count
):
    lia, irl = KindFactory(code="IRP"), KindFactory(code="IRL")
    cards = []
    for number in range(count):
        earlier = InstrumentFactory(slug=f"lia-{number:02}", acronym=f"OLD{number}", kind=lia)
        current = InstrumentFactory(
            slug=f"irl-{number:02}",
            acronym=f"NEW{number}",
            kind=irl,
            former_codes="UMI",
            unit_numbers=f"UMI {3600 + number}",
            predecessors=[earlier],
        )
        cards.append((earlier, current))

    with django_assert_num_queries(13):
        response = client.get(list_url(), {"kind": "IRL"})

    content = response.content.decode()
    assert_rendered(response, [current for _earlier, current in cards])
    for number, (earlier, _current) in enumerate(cards):
        assert f"formerly UMI {3600 + number}" in content
        linked = (
            rf"grew out of <a\s+{re.escape(link(earlier.get_absolute_url()))}>IRP OLD{number}</a>"
        )
        assert re.search(linked, content)
