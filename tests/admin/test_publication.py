"""Drafts until a DERCI editor publishes them; staff preview a draft's public page."""

from http import HTTPStatus

import pytest
from django.test import Client

from core.models import Publishable
from instruments.models import Instrument
from partnerships.models import Agreement, Milestone
from tests.admin.helpers import admin_url, form_data
from tests.factories import AgreementFactory, InstrumentFactory, KindFactory, MilestoneFactory

pytestmark = pytest.mark.django_db
DRAFT, PUBLISHED = Publishable.Status.DRAFT, Publishable.Status.PUBLISHED


@pytest.fixture
def drafts(db):
    kind = KindFactory(code="IRN")
    return [InstrumentFactory(slug=f"draft-{i}", kind=kind, status=DRAFT) for i in range(2)]


def run_action(client, model, action: str, objects):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_publish_action_publishes_each_selected_draft(derci_client, derci_user, drafts):
    response = run_action(derci_client, Instrument, "publish_selected", drafts)

    assert [str(m) for m in response.context["messages"]] == ["2 records published."]
    rows = Instrument.objects.order_by("slug")
    assert [(i.slug, i.status, i.updated_by) for i in rows] == [
        ("draft-0", PUBLISHED, derci_user),
        ("draft-1", PUBLISHED, derci_user),
    ]
    assert all(i.published_at is not None for i in rows)
    # One save each: the change is in each record's history, with who made it.
    assert [(h.status, h.history_user) for h in rows[0].history.all()[:1]] == [
        (PUBLISHED, derci_user)
    ]


def test_unpublish_action_brings_records_back_to_draft(derci_client, drafts):
    for instrument in drafts:
        instrument.publish()

    run_action(derci_client, Instrument, "unpublish_selected", drafts[:1])

    assert list(Instrument.objects.order_by("slug").values_list("status", flat=True)) == [
        DRAFT,
        PUBLISHED,
    ]


def test_publish_action_is_refused_to_a_viewer(viewer_client, drafts):
    run_action(viewer_client, Instrument, "publish_selected", drafts)

    assert set(Instrument.objects.values_list("status", flat=True)) == {DRAFT}


def test_publisher_publishes_from_the_form_and_the_date_is_stamped(derci_client, drafts):
    url = admin_url(Instrument, "change", drafts[0].pk)
    data = form_data(derci_client.get(url), status=PUBLISHED)

    derci_client.post(url, data)

    drafts[0].refresh_from_db()
    assert drafts[0].status == PUBLISHED
    assert drafts[0].published_at is not None


def test_what_the_public_sees_follows_publication(derci_client, drafts):
    anonymous = Client()
    page = drafts[0].get_absolute_url()

    before = anonymous.get(page)
    run_action(derci_client, Instrument, "publish_selected", drafts[:1])
    after = anonymous.get(page)
    run_action(derci_client, Instrument, "unpublish_selected", drafts[:1])
    again = anonymous.get(page)

    assert (before.status_code, after.status_code, again.status_code) == (
        HTTPStatus.NOT_FOUND,
        HTTPStatus.OK,
        HTTPStatus.NOT_FOUND,
    )


@pytest.mark.parametrize("client_name", ["derci_client", "office_editor_client", "viewer_client"])
def test_staff_preview_a_draft_public_page(request, client_name, drafts):
    client = request.getfixturevalue(client_name)
    draft = drafts[0]

    redirect = client.get(admin_url(Instrument, "preview", draft.pk))
    page = client.get(redirect["Location"])

    assert redirect.status_code == HTTPStatus.FOUND
    assert redirect["Location"] == f"{draft.get_absolute_url()}?preview=1"
    assert page.status_code == HTTPStatus.OK
    assert draft.title in page.content.decode()


def test_change_form_links_to_the_preview(derci_client, drafts):
    response = derci_client.get(admin_url(Instrument, "change", drafts[0].pk))

    assert admin_url(Instrument, "preview", drafts[0].pk) in response.content.decode()


def test_preview_of_a_missing_record_is_not_found(derci_client):
    response = derci_client.get(admin_url(Agreement, "preview", 999))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_office_editor_saves_of_a_published_record_keep_it_published(
    office_editor_client, own_office
):
    agreement = AgreementFactory(slug="cas", office=own_office)
    url = admin_url(Agreement, "change", agreement.pk)

    response = office_editor_client.post(
        url, form_data(office_editor_client.get(url), summary_fr="Mis à jour"), follow=True
    )

    agreement.refresh_from_db()
    assert agreement.status == PUBLISHED
    assert agreement.summary_fr != "Mis à jour"
    assert any(
        "keeps showing the published version" in str(m) for m in response.context["messages"]
    )


def test_records_without_a_public_page_offer_no_preview(derci_client):
    milestone = MilestoneFactory(status=DRAFT)

    change = derci_client.get(admin_url(Milestone, "change", milestone.pk))
    preview = derci_client.get(admin_url(Milestone, "preview", milestone.pk), follow=True)

    assert admin_url(Milestone, "preview", milestone.pk) not in change.content.decode()
    assert [str(m) for m in preview.context["messages"]] == [
        "This kind of record has no public page yet."
    ]
