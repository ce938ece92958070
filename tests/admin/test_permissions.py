"""The role × model × right matrix, walked through the admin as each role's staff sees it.

For the office editor, the records are their own office's: their reach beyond it is tested in
test_office_scope.py.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from core.models import Institute, KeyFigure, Theme
from instruments.models import Instrument, Kind, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone
from tests.admin.builders import build
from tests.admin.conftest import DERCI, OFFICE_EDITOR, VIEWER, client_for, staff
from tests.admin.helpers import admin_url

pytestmark = pytest.mark.django_db

FULL = "view add change delete"
PUBLISHING = "view add change delete publish"
MATRIX = {
    #               DERCI editor  Office editor      Viewer
    Theme: (FULL, "view", "view"),
    Institute: ("view", "view", "view"),
    KeyFigure: (PUBLISHING, "view", "view"),
    Sector: ("view", "view", "view"),
    Country: ("view", "view", "view"),
    Office: (PUBLISHING, "view change", "view"),
    Coverage: (FULL, "view", "view"),
    Institution: (PUBLISHING, "view", "view"),
    Agreement: (PUBLISHING, "view add change", "view"),
    Call: (PUBLISHING, "view add change", "view"),
    Milestone: (PUBLISHING, "view", "view"),
    Kind: (FULL, "view", "view"),
    Network: (PUBLISHING, "view", "view"),
    Instrument: (PUBLISHING, "view add change", "view"),
}
ROLES = [DERCI, OFFICE_EDITOR, VIEWER]
CASES = [
    pytest.param(model, role, set(rights[i].split()), id=f"{model._meta.model_name}-{role}")
    for model, rights in MATRIX.items()
    for i, role in enumerate(ROLES)
]


def rights_seen(client, model, obj) -> set[str]:
    """Which of view/add/change/delete/publish the admin grants, read from its pages."""
    seen = set()
    changelist = client.get(admin_url(model, "changelist"))
    if changelist.status_code == HTTPStatus.OK:
        seen.add("view")
        actions = dict(changelist.context["action_form"].fields["action"].choices)
        if "publish_selected" in actions and "unpublish_selected" in actions:
            seen.add("publish")
    else:
        assert changelist.status_code == HTTPStatus.FORBIDDEN
    if client.get(admin_url(model, "add")).status_code == HTTPStatus.OK:
        seen.add("add")
    change = client.get(admin_url(model, "change", obj.pk))
    if change.status_code == HTTPStatus.OK and 'name="_save"' in change.content.decode():
        seen.add("change")
    if client.get(admin_url(model, "delete", obj.pk)).status_code == HTTPStatus.OK:
        seen.add("delete")
    return seen


@pytest.mark.parametrize(("model", "role", "expected"), CASES)
def test_role_rights_on_model(model, role, expected, own_office):
    user = staff(role, "member")
    own_office.editors.add(user)
    (obj,) = build(model, 1)
    if model is Office:
        obj = own_office
    elif model in (Agreement, Call, Instrument):
        obj.office = own_office
        obj.save()

    seen = rights_seen(client_for(user), model, obj)

    assert seen == expected
    opts = model._meta
    assert user.has_perm(f"{opts.app_label}.publish_{opts.model_name}") == ("publish" in expected)


def test_staff_without_role_sees_nothing(db):
    user = staff(VIEWER, "nobody")
    user.groups.clear()

    response = client_for(user).get(admin_url(Instrument, "changelist"))

    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("role", ROLES)
def test_roles_have_no_say_over_accounts(role, db):
    user = staff(role, "member")

    add_user = client_for(user).get(reverse("admin:auth_user_add"))

    assert add_user.status_code == HTTPStatus.FORBIDDEN
