"""Draft previews (``?preview=1``): only for staff who may view that model in the admin."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.admin.conftest import DERCI, OFFICE_EDITOR, VIEWER, staff
from tests.factories import (
    AgreementFactory,
    CallFactory,
    CountryFactory,
    InstitutionFactory,
    InstrumentFactory,
    NetworkFactory,
    OfficeFactory,
    UserFactory,
)

DRAFTS = {
    "office": lambda: OfficeFactory(
        slug="nairobi", status="draft", country=CountryFactory(code="KE")
    ),
    "instrument": lambda: InstrumentFactory(slug="draft-irp", status="draft"),
    "network": lambda: NetworkFactory(slug="draft-irn", status="draft"),
    "agreement": lambda: AgreementFactory(slug="draft-agreement", status="draft"),
    "institution": lambda: InstitutionFactory(slug="draft-institution", status="draft"),
    "call": lambda: CallFactory(slug="draft-call", status="draft"),
}


def preview(user, draft):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client.get(draft.get_absolute_url(), {"preview": "1"})


def with_view_permission(model, username):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=model._meta.app_label,
            codename=f"view_{model._meta.model_name}",
        )
    )
    return user


@pytest.mark.parametrize("name", DRAFTS)
def test_a_staff_account_in_no_role_sees_no_draft(db, name):
    draft = DRAFTS[name]()

    response = preview(UserFactory(username="no-role", is_staff=True), draft)

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", DRAFTS)
def test_the_view_permission_of_that_model_is_what_opens_a_preview(db, name):
    draft = DRAFTS[name]()
    other = next(factory for key, factory in DRAFTS.items() if key != name)().__class__

    allowed = preview(with_view_permission(type(draft), "may-view"), draft)
    elsewhere = preview(with_view_permission(other, "views-another-model"), draft)

    assert allowed.status_code == HTTPStatus.OK
    assert "draft-banner" in allowed.content.decode()
    assert elsewhere.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("role", [DERCI, OFFICE_EDITOR, VIEWER])
def test_every_role_previews_an_office_draft(db, role):
    draft = DRAFTS["office"]()

    response = preview(staff(role, "someone"), draft)

    assert response.status_code == HTTPStatus.OK


def test_the_permission_without_staff_status_opens_no_preview(db):
    draft = DRAFTS["instrument"]()
    user = with_view_permission(type(draft), "not-staff")
    user.is_staff = False
    user.save()

    assert preview(user, draft).status_code == HTTPStatus.NOT_FOUND
