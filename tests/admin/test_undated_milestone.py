"""A milestone the sources do not date (an office fact from the reference data) is listed,
named and opened like any other, never a 500."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def test_an_undated_milestone_is_listed_and_opened(admin_client):
    undated = MilestoneFactory(
        slug="office-bonn",
        title_fr="CNRS office in Bonn",
        title_en="CNRS office in Bonn",
        date=None,
    )

    assert str(undated) == "CNRS office in Bonn"
    assert undated.is_past is False
    listing = admin_client.get(reverse("admin:partnerships_milestone_changelist"))
    assert listing.status_code == HTTPStatus.OK
    assert "CNRS office in Bonn" in listing.content.decode()
    form = admin_client.get(reverse("admin:partnerships_milestone_change", args=[undated.pk]))
    assert form.status_code == HTTPStatus.OK
