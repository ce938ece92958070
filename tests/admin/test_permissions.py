"""The role × model × right matrix, walked through the admin as each role's staff sees it.

For the office editor, the records are their own office's: their reach beyond it is tested in
test_office_scope.py.
"""

from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import Institute, KeyFigure, Theme
from instruments.models import Instrument, Kind, Network
from offices.models import Country, Coverage, Office, Sector
from partnerships.models import Agreement, Call, Institution, Milestone
from tests.admin.builders import build
from tests.admin.conftest import DERCI, OFFICE_EDITOR, VIEWER, client_for, staff
from tests.admin.helpers import admin_url, form_data

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


# --- pending revisions: who sees them, who may approve (crafted POSTs included) --------------


def pending_revision(author, own_office):
    from core.models import Revision
    from tests.factories import AgreementFactory

    agreement = AgreementFactory(slug="reviewed", office=own_office, summary_en="Live")
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(Agreement),
        object_id=str(agreement.pk),
        record_label=str(agreement),
        values={"summary_en": "Proposed"},
        before={"summary_en": "Live"},
        author=author,
    )


REVIEW_RIGHTS = {
    # role: (list answer, own revision page, approve POST answer, approved?)
    DERCI: (HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.FOUND, True),
    OFFICE_EDITOR: (HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.FORBIDDEN, False),
    VIEWER: (HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN, False),
    None: (HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN, HTTPStatus.FORBIDDEN, False),
}


@pytest.mark.parametrize("role", list(REVIEW_RIGHTS), ids=lambda role: role or "no-role")
def test_who_sees_and_who_approves_a_pending_revision(role, own_office):
    from core.models import Revision

    user = staff(role or VIEWER, "member")
    if role is None:
        user.groups.clear()
    own_office.editors.add(user)
    revision = pending_revision(user, own_office)  # their own proposal, at best
    client = client_for(user)
    url = admin_url(Revision, "change", revision.pk)

    listing = client.get(admin_url(Revision, "changelist"))
    page = client.get(url)
    approve = client.post(url, {"_approve": "1"})
    reject = client.post(url, {"_reject": "1", "note": "no"})

    expected_list, expected_page, expected_post, approved = REVIEW_RIGHTS[role]
    assert (listing.status_code, page.status_code, approve.status_code) == (
        expected_list,
        expected_page,
        expected_post,
    )
    if not approved:
        assert reject.status_code == HTTPStatus.FORBIDDEN
    revision.refresh_from_db()
    agreement = Agreement.objects.get(slug="reviewed")
    assert (revision.status == Revision.Status.APPROVED) == approved
    assert (agreement.summary_en == "Proposed") == approved


def test_an_office_editor_cannot_reach_someone_elses_revision(own_office, office_editor_client):
    from core.models import Revision

    revision = pending_revision(staff(OFFICE_EDITOR, "other-editor"), own_office)
    url = admin_url(Revision, "change", revision.pk)

    assert office_editor_client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert office_editor_client.post(url, {"_approve": "1"}).status_code == HTTPStatus.NOT_FOUND
    revision.refresh_from_db()
    assert revision.is_pending


def test_changing_a_record_without_the_publish_right_never_approves(own_office):
    """A DERCI editor stripped of publish_agreement may change agreements, not approve."""
    from django.contrib.auth.models import Permission

    from core.models import Revision

    user = staff(OFFICE_EDITOR, "no-publish")
    user.groups.clear()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="partnerships",
            codename__in=["view_agreement", "change_agreement", "publish_institution"],
        ),
        Permission.objects.get(codename="edit_all_offices"),
    )
    revision = pending_revision(staff(OFFICE_EDITOR, "author"), own_office)

    response = client_for(user).post(admin_url(Revision, "change", revision.pk), {"_approve": "1"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    revision.refresh_from_db()
    assert revision.is_pending


def test_an_office_editor_cannot_publish_by_posting_the_status(office_editor_client, own_office):
    from tests.factories import AgreementFactory

    draft = AgreementFactory(slug="draft", office=own_office, status="draft")
    url = admin_url(Agreement, "change", draft.pk)
    page = office_editor_client.get(url)

    office_editor_client.post(url, {**form_data(page), "status": "published", "_propose": "1"})

    draft.refresh_from_db()
    assert draft.status == "draft"
