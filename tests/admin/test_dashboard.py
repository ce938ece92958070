"""The admin index gathers every warning the lists raise, each linking to the rows concerned."""

import datetime

import pytest
from django.urls import reverse

from tests.admin.conftest import client_for
from tests.factories import InstitutionFactory, InstrumentFactory

pytestmark = pytest.mark.django_db


def test_admin_index_lists_what_needs_attention_with_links(derci_client):
    InstitutionFactory(slug="no-ror", ror_id="")
    InstitutionFactory(slug="with-ror", ror_id="02feahw73")
    InstrumentFactory(
        slug="ended", start_on=datetime.date(2015, 1, 1), end_on=datetime.date(2019, 1, 1)
    )

    response = derci_client.get(reverse("admin:index"))

    html = response.content.decode()
    section = html[html.index('id="attention-heading"') : html.index("</section>")]
    institutions = reverse("admin:partnerships_institution_changelist")
    instruments = reverse("admin:instruments_instrument_changelist")
    assert f'href="{institutions}?attention=no-ror"' in section
    assert f'href="{instruments}?attention=past-end"' in section
    assert "1 published record is past its end date" in section


def test_admin_index_says_when_nothing_needs_attention(derci_client):
    response = derci_client.get(reverse("admin:index"))

    assert "Nothing to look at" in response.content.decode()


def test_admin_index_warns_only_about_lists_the_user_may_see(db):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(username="no-rights", is_staff=True)
    user.groups.clear()
    InstitutionFactory(slug="no-ror", ror_id="")
    assert not Group.objects.filter(user=user).exists()

    response = client_for(user).get(reverse("admin:index"))

    assert "attention=no-ror" not in response.content.decode()
