"""Staff accounts are attached to offices in the admin; audit fields record who did what."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from offices.models import Coverage, Office
from tests.admin.conftest import OFFICE_EDITOR, client_for, staff
from tests.admin.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_derci_editor_attaches_an_account_to_an_office(derci_client, other_office):
    newcomer = staff(OFFICE_EDITOR, "tokyo-editor")
    url = admin_url(Office, "change", other_office.pk)

    derci_client.post(url, form_data(derci_client.get(url), editors=[str(newcomer.pk)]))
    page = client_for(newcomer).get(url)

    assert list(newcomer.edited_offices.all()) == [other_office]
    assert 'name="_save"' in page.content.decode()


def test_editor_picker_finds_accounts_for_derci_editors(derci_client, office_editor):
    response = derci_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "offices", "model_name": "office", "field_name": "editors", "term": "beij"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["beijing-editor"]


def test_superuser_attaches_offices_on_the_account_page(admin_client, own_office, other_office):
    user = staff(OFFICE_EDITOR, "someone")
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(admin_client.get(url))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-office": str(other_office.pk),
            f"{prefix}-0-user": str(user.pk),
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    assert list(user.edited_offices.all()) == [other_office]


def test_audit_fields_are_stamped_and_read_only(
    derci_client, derci_user, office_editor, own_office
):
    url = admin_url(Office, "change", own_office.pk)
    own_office.created_by = office_editor
    own_office.save()

    derci_client.post(url, form_data(derci_client.get(url), name_en="Beijing office"))
    page = derci_client.get(url).content.decode()

    own_office.refresh_from_db()
    assert (own_office.created_by, own_office.updated_by) == (office_editor, derci_user)
    assert 'name="updated_by"' not in page
    assert 'name="created_at"' not in page
    assert "field-updated_by" in page


def test_inline_rows_enter_the_history_with_who_added_them(
    derci_client, derci_user, own_office, japan
):
    url = admin_url(Office, "change", own_office.pk)
    data = form_data(derci_client.get(url))
    total = int(data["coverages-TOTAL_FORMS"])
    data.update(
        {
            f"coverages-{total}-office": str(own_office.pk),
            f"coverages-{total}-country": str(japan.pk),
            f"coverages-{total}-start_year": "2021",
            "coverages-TOTAL_FORMS": str(total + 1),
        }
    )

    derci_client.post(url, data)

    added = Coverage.objects.get(country=japan)
    assert added.start_year == 2021
    assert [(h.history_type, h.history_user) for h in added.history.all()] == [("+", derci_user)]
