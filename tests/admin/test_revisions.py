"""Changes to published records are reviewed, not unpublished: pending revisions."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import translation

from core.models import Publishable, Revision
from offices.models import Office
from partnerships.models import Agreement
from tests.admin.helpers import admin_url, form_data
from tests.factories import AgreementFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
DRAFT, PUBLISHED = Publishable.Status.DRAFT, Publishable.Status.PUBLISHED


@pytest.fixture
def agreement(own_office):
    item = AgreementFactory(
        slug="cas-cnrs", office=own_office, summary_en="The live summary", summary_fr="Résumé"
    )
    item.parties.set([InstitutionFactory(slug="cas", acronym="CAS")])
    return item


def public_page(obj) -> str:
    with translation.override("en"):
        response = Client().get(obj.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def propose(client, agreement, **changes):
    url = admin_url(Agreement, "change", agreement.pk)
    return client.post(url, form_data(client.get(url), **changes), follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_office_editors_change_waits_and_the_public_keeps_the_published_version(
    office_editor_client, office_editor, agreement
):
    ustc = InstitutionFactory(slug="ustc", acronym="USTC")
    cas = agreement.parties.get()

    response = propose(
        office_editor_client,
        agreement,
        summary_en="The proposed summary",
        parties=[str(cas.pk), str(ustc.pk)],
    )

    agreement.refresh_from_db()
    assert (agreement.status, agreement.summary_en) == (PUBLISHED, "The live summary")
    assert list(agreement.parties.all()) == [cas]
    page = public_page(agreement)
    assert "The live summary" in page and "The proposed summary" not in page
    revision = Revision.objects.get()
    assert revision.is_pending
    assert revision.author == office_editor
    assert revision.record == agreement
    assert revision.values == {
        "summary_en": "The proposed summary",
        "parties": sorted([cas.pk, ustc.pk]),
    }
    assert revision.before == {"summary_en": "The live summary", "parties": [cas.pk]}
    assert any("waiting for a DERCI editor’s review" in m for m in messages_of(response))


def test_the_pending_list_and_the_field_by_field_review(
    derci_client, office_editor_client, agreement
):
    ustc = InstitutionFactory(slug="ustc", acronym="USTC", name_en="USTC university")
    propose(office_editor_client, agreement, summary_en="New", parties=[str(ustc.pk)])
    revision = Revision.objects.get()

    listing = derci_client.get(admin_url(Revision, "changelist"))
    review = derci_client.get(admin_url(Revision, "change", revision.pk))

    assert listing.status_code == review.status_code == HTTPStatus.OK
    assert list(listing.context["cl"].result_list) == [revision]
    rows = {row["name"]: row for row in review.context["changes"]}
    assert (rows["summary_en"]["before"], rows["summary_en"]["proposed"]) == (
        "The live summary",
        "New",
    )
    assert rows["parties"]["added"] == [str(ustc)]
    assert rows["parties"]["removed"] == [str(agreement.parties.get())]
    html = review.content.decode()
    assert 'name="_approve"' in html and 'name="_reject"' in html


def test_approval_makes_it_live_and_the_history_shows_both(
    derci_client, derci_user, office_editor_client, agreement
):
    ustc = InstitutionFactory(slug="ustc")
    propose(office_editor_client, agreement, summary_en="Approved text", parties=[str(ustc.pk)])
    revision = Revision.objects.get()

    response = derci_client.post(
        admin_url(Revision, "change", revision.pk), {"_approve": "1"}, follow=True
    )

    agreement.refresh_from_db()
    assert (agreement.status, agreement.summary_en) == (PUBLISHED, "Approved text")
    assert list(agreement.parties.all()) == [ustc]
    assert "Approved text" in public_page(agreement)
    revision.refresh_from_db()
    assert (revision.status, revision.reviewed_by) == (Revision.Status.APPROVED, derci_user)
    latest = agreement.history.first()
    assert latest.history_user == derci_user
    assert latest.history_change_reason == f"Change #{revision.pk} by beijing-editor"
    assert any("is live" in m for m in messages_of(response))
    # Nothing pending any more: the list opens empty.
    listing = derci_client.get(admin_url(Revision, "changelist"))
    assert list(listing.context["cl"].result_list) == []


def test_rejection_needs_a_note_which_the_author_reads(
    derci_client, office_editor_client, agreement
):
    propose(office_editor_client, agreement, summary_en="Not this")
    revision = Revision.objects.get()
    url = admin_url(Revision, "change", revision.pk)

    without_note = derci_client.post(url, {"_reject": "1", "note": "  "})
    rejected = derci_client.post(url, {"_reject": "1", "note": "Source, please."})

    assert without_note.status_code == HTTPStatus.OK
    assert rejected.status_code == HTTPStatus.FOUND
    revision.refresh_from_db()
    assert (revision.status, revision.note) == (Revision.Status.REJECTED, "Source, please.")
    agreement.refresh_from_db()
    assert agreement.summary_en == "The live summary"
    form = office_editor_client.get(admin_url(Agreement, "change", agreement.pk))
    assert any("Source, please." in m for m in messages_of(form))
    own_list = office_editor_client.get(admin_url(Revision, "changelist"), {"review": "rejected"})
    assert list(own_list.context["cl"].result_list) == [revision]
    assert "Source, please." in office_editor_client.get(url).content.decode()


def test_a_derci_editor_may_save_as_a_proposal(derci_client, derci_user, agreement):
    response = propose(derci_client, agreement, summary_en="For review", _propose="1")

    agreement.refresh_from_db()
    assert agreement.summary_en == "The live summary"
    assert Revision.objects.get().author == derci_user
    assert response.status_code == HTTPStatus.OK
    form = derci_client.get(admin_url(Agreement, "change", agreement.pk)).content.decode()
    assert 'name="_propose"' in form


def test_a_derci_editors_ordinary_save_goes_live(derci_client, agreement):
    propose(derci_client, agreement, summary_en="Straight away")

    agreement.refresh_from_db()
    assert agreement.summary_en == "Straight away"
    assert not Revision.objects.exists()


def test_new_records_and_drafts_of_an_office_editor_stay_drafts(office_editor_client, agreement):
    agreement.unpublish()

    propose(office_editor_client, agreement, summary_en="Draft text")

    agreement.refresh_from_db()
    assert (agreement.status, agreement.summary_en) == (DRAFT, "Draft text")
    assert not Revision.objects.exists()


def test_an_office_page_stays_live_while_its_editors_change_waits(
    office_editor_client, derci_client, own_office
):
    own_office.email = "old@cnrs.fr"
    own_office.save()
    url = admin_url(Office, "change", own_office.pk)

    office_editor_client.post(url, form_data(office_editor_client.get(url), email="new@cnrs.fr"))

    own_office.refresh_from_db()
    assert (own_office.status, own_office.email) == (PUBLISHED, "old@cnrs.fr")
    assert "old@cnrs.fr" in public_page(own_office)
    revision = Revision.objects.get()
    derci_client.post(admin_url(Revision, "change", revision.pk), {"_approve": "1"})
    own_office.refresh_from_db()
    assert own_office.email == "new@cnrs.fr"
    assert "new@cnrs.fr" in public_page(own_office)


def test_nothing_changed_makes_no_revision(office_editor_client, agreement):
    response = propose(office_editor_client, agreement)

    assert not Revision.objects.exists()
    assert "Nothing was changed." in messages_of(response)


def test_a_revert_of_a_published_record_by_an_office_editor_is_a_proposal(
    office_editor_client, agreement
):
    first = agreement.history.last()
    agreement.summary_en = "Changed by DERCI"
    agreement.save()
    url = admin_url(Agreement, "history", agreement.pk) + f"{first.history_id}/"

    office_editor_client.post(url, form_data(office_editor_client.get(url)))

    agreement.refresh_from_db()
    assert agreement.summary_en == "Changed by DERCI"
    assert Revision.objects.get().values["summary_en"] == "The live summary"


def test_an_approval_that_no_longer_fits_is_refused_and_writes_nothing(
    derci_client, office_editor_client, agreement
):
    propose(office_editor_client, agreement, expires_on="2030-01-01")
    revision = Revision.objects.get()
    agreement.signed_on = agreement.signed_on.replace(year=2031)
    agreement.save()

    response = derci_client.post(admin_url(Revision, "change", revision.pk), {"_approve": "1"})

    assert response.status_code == HTTPStatus.OK
    revision.refresh_from_db()
    assert revision.is_pending
    agreement.refresh_from_db()
    assert agreement.expires_on is None
