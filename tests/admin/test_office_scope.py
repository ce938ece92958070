"""An office editor changes their own office's records, and nothing else, whatever the path."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from core.models import Publishable, Revision
from instruments.models import Instrument
from offices.models import Coverage, Office
from partnerships.models import Agreement, Call
from tests.admin.conftest import OFFICE_EDITOR, client_for, staff
from tests.admin.helpers import admin_url, form_data
from tests.factories import (
    AgreementFactory,
    CallFactory,
    InstrumentFactory,
    KindFactory,
)

pytestmark = pytest.mark.django_db
DRAFT, PUBLISHED = Publishable.Status.DRAFT, Publishable.Status.PUBLISHED


@pytest.fixture
def own_instrument(own_office, china):
    return InstrumentFactory(
        slug="own", office=own_office, countries=[china], kind=KindFactory(code="IRN")
    )


@pytest.fixture
def other_instrument(other_office, japan):
    return InstrumentFactory(
        slug="other", office=other_office, countries=[japan], kind=KindFactory(code="IRN")
    )


def test_other_office_record_opens_read_only(office_editor_client, other_instrument):
    response = office_editor_client.get(admin_url(Instrument, "change", other_instrument.pk))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'name="_save"' not in html
    assert 'name="title_fr"' not in html


def test_other_office_record_refuses_a_crafted_post(
    office_editor_client, own_instrument, other_instrument
):
    form = office_editor_client.get(admin_url(Instrument, "change", own_instrument.pk))
    data = form_data(form, title_fr="Piraté", slug="other")

    response = office_editor_client.post(admin_url(Instrument, "change", other_instrument.pk), data)

    assert response.status_code == HTTPStatus.FORBIDDEN
    other_instrument.refresh_from_db()
    assert other_instrument.title_fr == "Instrument other (fr)"


def test_own_record_cannot_be_handed_to_another_office(
    office_editor_client, own_instrument, other_office
):
    url = admin_url(Instrument, "change", own_instrument.pk)
    data = form_data(office_editor_client.get(url), office=str(other_office.pk))

    response = office_editor_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert "office" in response.context["adminform"].form.errors
    own_instrument.refresh_from_db()
    assert own_instrument.office_id != other_office.pk


def test_own_record_changes_and_stays_a_draft(office_editor_client, office_editor, own_instrument):
    own_instrument.unpublish()
    url = admin_url(Instrument, "change", own_instrument.pk)
    data = form_data(office_editor_client.get(url), title_fr="Nouveau titre", status=PUBLISHED)

    response = office_editor_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    own_instrument.refresh_from_db()
    assert own_instrument.title_fr == "Nouveau titre"
    assert own_instrument.status == DRAFT
    assert own_instrument.updated_by == office_editor


def test_own_published_record_change_waits_for_review(
    office_editor_client, office_editor, own_instrument
):
    url = admin_url(Instrument, "change", own_instrument.pk)
    data = form_data(office_editor_client.get(url), title_fr="Nouveau titre", status=DRAFT)

    response = office_editor_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    own_instrument.refresh_from_db()
    assert (own_instrument.title_fr, own_instrument.status) == ("Instrument own (fr)", PUBLISHED)
    revision = Revision.objects.get()
    assert (revision.author, revision.values) == (office_editor, {"title_fr": "Nouveau titre"})


def test_record_concerning_a_covered_country_is_in_reach(office_editor_client, other_office, china):
    shared = InstrumentFactory(
        slug="shared", office=other_office, countries=[china], kind=KindFactory(code="IRN")
    )
    url = admin_url(Instrument, "change", shared.pk)
    data = form_data(office_editor_client.get(url), title_fr="Partagé")

    response = office_editor_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    assert Revision.objects.get().values == {"title_fr": "Partagé"}
    shared.refresh_from_db()
    assert shared.office == other_office


def test_add_must_name_an_own_office(office_editor_client, office_editor, own_office, other_office):
    kind = KindFactory(code="IRP")
    form = office_editor_client.get(admin_url(Instrument, "add"))
    fields = {"slug": "new-irp", "title_fr": "Nouveau", "kind": str(kind.pk)}
    data = form_data(form, **fields, office=str(other_office.pk))

    refused = office_editor_client.post(admin_url(Instrument, "add"), data)
    accepted = office_editor_client.post(
        admin_url(Instrument, "add"), {**data, "office": str(own_office.pk)}
    )

    assert "office" in refused.context["adminform"].form.errors
    assert accepted.status_code == HTTPStatus.FOUND
    created = Instrument.objects.get(slug="new-irp")
    assert (created.office, created.status, created.created_by) == (
        own_office,
        DRAFT,
        office_editor,
    )


@pytest.mark.parametrize("model", [Agreement, Call])
def test_other_office_agreements_and_calls_refuse_changes(
    office_editor_client, other_office, own_office, model
):
    factory = {Agreement: AgreementFactory, Call: CallFactory}[model]
    own, other = factory(office=own_office), factory(office=other_office)

    own_page = office_editor_client.get(admin_url(model, "change", own.pk))
    other_post = office_editor_client.post(
        admin_url(model, "change", other.pk), form_data(own_page, slug=other.slug)
    )

    assert 'name="_save"' in own_page.content.decode()
    assert other_post.status_code == HTTPStatus.FORBIDDEN


def test_other_office_refuses_changes_and_own_office_keeps_its_editors(
    office_editor_client, office_editor, own_office, other_office
):
    own_page = office_editor_client.get(admin_url(Office, "change", own_office.pk))
    data = form_data(own_page, name_fr="Pékin (nouveau)", editors=[str(office_editor.pk)])

    other = office_editor_client.post(admin_url(Office, "change", other_office.pk), data)
    own = office_editor_client.post(admin_url(Office, "change", own_office.pk), data)

    assert other.status_code == HTTPStatus.FORBIDDEN
    assert own.status_code == HTTPStatus.FOUND
    # Their office is published: the change waits for review, the editors are unchanged.
    assert Revision.objects.get().values == {"name_fr": "Pékin (nouveau)"}
    assert list(office_editor.edited_offices.all()) == [own_office]


def test_coverage_inline_rows_are_refused(office_editor_client, own_office, other_office, japan):
    url = admin_url(Office, "change", own_office.pk)
    data = form_data(office_editor_client.get(url))
    other_coverage = other_office.coverages.get()
    prefix = "coverages"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    # An edit of the own row, a row of another office slipped in, and a new country.
    data.update(
        {
            f"{prefix}-0-end_year": "2020",
            f"{prefix}-{total}-id": str(other_coverage.pk),
            f"{prefix}-{total}-office": str(own_office.pk),
            f"{prefix}-{total}-country": str(japan.pk),
            f"{prefix}-{total}-end_year": "2001",
            f"{prefix}-{total + 1}-office": str(own_office.pk),
            f"{prefix}-{total + 1}-country": str(japan.pk),
            f"{prefix}-TOTAL_FORMS": str(total + 2),
        }
    )

    office_editor_client.post(url, data)

    assert [(c.office_id, c.country_id, c.end_year) for c in Coverage.objects.order_by("pk")] == [
        (own_office.pk, own_office.country_id, None),
        (other_office.pk, japan.pk, None),
    ]


def test_bulk_action_over_another_office_record_changes_nothing(
    office_editor_client, own_instrument, other_instrument
):
    response = office_editor_client.post(
        admin_url(Instrument, "changelist"),
        {
            "action": "mark_checked",
            "_selected_action": [own_instrument.pk, other_instrument.pk],
        },
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]][-1].startswith("Nothing was changed")
    assert list(Instrument.objects.values_list("checked_on", flat=True)) == [None, None]


def test_bulk_action_over_own_records_is_done_one_save_each(office_editor_client, own_instrument):
    office_editor_client.post(
        admin_url(Instrument, "changelist"),
        {"action": "mark_checked", "_selected_action": [own_instrument.pk]},
    )

    own_instrument.refresh_from_db()
    assert own_instrument.checked_on == datetime.date.today()
    assert own_instrument.history.first().history_type == "~"


def test_publish_action_is_not_offered_to_an_office_editor(office_editor_client, own_instrument):
    own_instrument.status = DRAFT
    own_instrument.save()

    office_editor_client.post(
        admin_url(Instrument, "changelist"),
        {"action": "publish_selected", "_selected_action": [own_instrument.pk]},
    )

    own_instrument.refresh_from_db()
    assert own_instrument.status == DRAFT


@pytest.mark.parametrize("client_name", ["viewer_client", "office_editor_client"])
def test_revert_of_a_record_out_of_reach_is_refused(request, client_name, other_instrument):
    client = request.getfixturevalue(client_name)
    first = other_instrument.history.earliest()
    other_instrument.title_fr = "Changé"
    other_instrument.save()
    url = reverse(
        "admin:instruments_instrument_simple_history", args=[other_instrument.pk, first.pk]
    )

    page = client.get(url)
    response = client.post(url, form_data(page))

    assert page.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.FORBIDDEN
    other_instrument.refresh_from_db()
    assert other_instrument.title_fr == "Changé"


def test_office_editor_cannot_delete_own_records(office_editor_client, own_instrument):
    response = office_editor_client.post(
        admin_url(Instrument, "delete", own_instrument.pk), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Instrument.objects.filter(pk=own_instrument.pk).exists()


def test_office_picker_offers_only_own_offices(office_editor_client, own_office, other_office):
    response = office_editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "instruments",
            "model_name": "instrument",
            "field_name": "office",
            "term": "",
        },
    )

    assert [r["id"] for r in response.json()["results"]] == [str(own_office.pk)]


def test_derci_editor_changes_any_office_record(derci_client, other_instrument):
    url = admin_url(Instrument, "change", other_instrument.pk)
    data = form_data(derci_client.get(url), title_fr="Revu")

    response = derci_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    other_instrument.refresh_from_db()
    assert other_instrument.title_fr == "Revu"
    assert other_instrument.status == PUBLISHED


def test_office_editor_without_office_changes_nothing(db, other_instrument):
    user = staff(OFFICE_EDITOR, "unattached")

    response = client_for(user).get(admin_url(Instrument, "change", other_instrument.pk))

    assert 'name="_save"' not in response.content.decode()


def test_office_editor_edits_their_office_contacts(office_editor_client, office_editor, own_office):
    own_office.status = DRAFT
    own_office.save()
    page = office_editor_client.get(admin_url(Office, "change", own_office.pk))
    data = form_data(
        page,
        website="https://beijing.example.org/",
        contact_page="https://beijing.example.org/contact/",
        email="office@beijing.example.org",
        phone="+86 10 0000 0000",
        contact_role_fr="Direction du bureau",
        contact_role_en="Director of the office",
        contact_source_title="Beijing office: contact",
        editors=[str(office_editor.pk)],
    )

    response = office_editor_client.post(admin_url(Office, "change", own_office.pk), data)

    assert response.status_code == HTTPStatus.FOUND
    own_office.refresh_from_db()
    assert (
        own_office.contact_page,
        own_office.email,
        own_office.phone,
        own_office.contact_role_en,
        own_office.contact_source_title,
    ) == (
        "https://beijing.example.org/contact/",
        "office@beijing.example.org",
        "+86 10 0000 0000",
        "Director of the office",
        "Beijing office: contact",
    )


def test_office_contacts_need_their_source_and_a_real_phone(
    office_editor_client, office_editor, own_office
):
    own_office.status = DRAFT
    own_office.save()
    page = office_editor_client.get(admin_url(Office, "change", own_office.pk))
    data = form_data(page, phone="call us", editors=[str(office_editor.pk)])

    response = office_editor_client.post(admin_url(Office, "change", own_office.pk), data)

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert errors["phone"] == [
        "An international number starting with +, digits, spaces, dots, dashes or brackets."
    ]
    own_office.refresh_from_db()
    assert own_office.phone == ""
