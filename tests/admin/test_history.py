"""Every change is kept with who and when; any version can be restored, a deletion undone."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from instruments.models import Instrument
from offices.models import Coverage, Office
from tests.admin.helpers import admin_url, form_data
from tests.factories import (
    CountryFactory,
    CoverageFactory,
    InstrumentFactory,
    KindFactory,
    OfficeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument(china, japan):
    return InstrumentFactory(
        slug="cnc-node",
        title_fr="Premier titre",
        kind=KindFactory(code="IRN"),
        countries=[china],
        themes=[ThemeFactory(slug="carbon")],
    )


def edit(client, obj, **changes):
    url = admin_url(type(obj), "change", obj.pk)
    return client.post(url, form_data(client.get(url), **changes))


def test_history_lists_each_change_with_who_and_the_diff(derci_client, derci_user, instrument):
    edit(derci_client, instrument, title_fr="Second titre")

    response = derci_client.get(admin_url(Instrument, "history", instrument.pk))

    html = response.content.decode()
    latest = response.context["page_obj"].object_list[0]
    assert latest.history_user == derci_user
    assert "Premier titre" in html
    assert "Second titre" in html
    changes = {c["field"]: (c["old"], c["new"]) for c in latest.history_delta_changes}
    assert changes["Title [fr]"] == ("Premier titre", "Second titre")


def test_revert_restores_fields_and_many_to_many(derci_client, instrument, japan):
    first = instrument.history.earliest()
    first_with_countries = instrument.history.filter(history_type="~").earliest()
    edit(derci_client, instrument, title_fr="Second titre", countries=[str(japan.pk)])
    url = reverse(
        "admin:instruments_instrument_simple_history",
        args=[instrument.pk, first_with_countries.pk],
    )

    page = derci_client.get(url)
    response = derci_client.post(url, form_data(page))

    assert first.title_fr == "Premier titre"
    assert response.status_code == HTTPStatus.FOUND
    instrument.refresh_from_db()
    assert instrument.title_fr == "Premier titre"
    assert [c.code for c in instrument.countries.all()] == ["CN"]
    assert instrument.history.first().history_type == "~"


def test_deleted_record_is_listed_and_restored_with_its_links(derci_client, instrument):
    pk = instrument.pk
    derci_client.post(admin_url(Instrument, "delete", pk), {"post": "yes"})
    assert not Instrument.objects.filter(pk=pk).exists()

    listing = derci_client.get(admin_url(Instrument, "deleted"))
    (record,) = listing.context["records"]
    restore = derci_client.post(admin_url(Instrument, "undelete", record.history_id))

    assert restore.status_code == HTTPStatus.FOUND
    assert restore["Location"] == admin_url(Instrument, "change", pk)
    restored = Instrument.objects.get(pk=pk)
    assert (restored.slug, restored.title_fr) == ("cnc-node", "Premier titre")
    assert [c.code for c in restored.countries.all()] == ["CN"]
    assert [t.slug for t in restored.themes.all()] == ["carbon"]
    assert list(derci_client.get(admin_url(Instrument, "deleted")).context["records"]) == []


def test_deleted_office_comes_back_with_its_coverage(derci_client, japan):
    office = OfficeFactory(slug="tokyo", country=japan)
    CoverageFactory(office=office, country=japan, start_year=1994)
    CoverageFactory(office=office, country=CountryFactory(code="KR", sector=japan.sector))
    derci_client.post(admin_url(Office, "delete", office.pk), {"post": "yes"})
    assert Coverage.objects.count() == 0

    (record,) = derci_client.get(admin_url(Office, "deleted")).context["records"]
    derci_client.post(admin_url(Office, "undelete", record.history_id))

    assert Office.objects.get(pk=office.pk).slug == "tokyo"
    assert sorted((str(c.country.code), c.start_year or 0) for c in Coverage.objects.all()) == [
        ("JP", 1994),
        ("KR", 0),
    ]


def test_restoring_twice_changes_nothing(derci_client, instrument):
    derci_client.post(admin_url(Instrument, "delete", instrument.pk), {"post": "yes"})
    (record,) = derci_client.get(admin_url(Instrument, "deleted")).context["records"]

    derci_client.post(admin_url(Instrument, "undelete", record.history_id))
    again = derci_client.post(admin_url(Instrument, "undelete", record.history_id), follow=True)

    assert Instrument.objects.count() == 1
    assert [str(m) for m in again.context["messages"]][-1] == "This record already exists."


@pytest.mark.parametrize("client_name", ["viewer_client", "office_editor_client"])
def test_only_those_who_delete_may_undelete(request, client_name, derci_client, instrument):
    derci_client.post(admin_url(Instrument, "delete", instrument.pk), {"post": "yes"})
    (record,) = derci_client.get(admin_url(Instrument, "deleted")).context["records"]
    client = request.getfixturevalue(client_name)

    listing = client.get(admin_url(Instrument, "deleted"))
    restore = client.post(admin_url(Instrument, "undelete", record.history_id))

    assert (listing.status_code, restore.status_code) == (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.FORBIDDEN,
    )
    assert not Instrument.objects.exists()


def test_restore_needs_a_post(derci_client, instrument):
    derci_client.post(admin_url(Instrument, "delete", instrument.pk), {"post": "yes"})
    (record,) = derci_client.get(admin_url(Instrument, "deleted")).context["records"]

    response = derci_client.get(admin_url(Instrument, "undelete", record.history_id))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not Instrument.objects.exists()


def test_changelist_links_to_deleted_records_for_editors_only(derci_client, viewer_client):
    derci = derci_client.get(admin_url(Instrument, "changelist")).content.decode()
    viewer = viewer_client.get(admin_url(Instrument, "changelist")).content.decode()

    assert admin_url(Instrument, "deleted") in derci
    assert admin_url(Instrument, "deleted") not in viewer


def test_versions_of_a_deleted_record_can_be_read_not_reverted(derci_client, instrument):
    version = instrument.history.earliest()
    derci_client.post(admin_url(Instrument, "delete", instrument.pk), {"post": "yes"})
    url = reverse("admin:instruments_instrument_simple_history", args=[instrument.pk, version.pk])

    history = derci_client.get(admin_url(Instrument, "history", instrument.pk))
    page = derci_client.get(url)
    revert = derci_client.post(url, form_data(page))

    assert history.status_code == HTTPStatus.OK
    assert page.status_code == HTTPStatus.OK
    assert revert.status_code == HTTPStatus.FORBIDDEN
    assert not Instrument.objects.exists()


def test_record_whose_kind_was_deleted_meanwhile_is_not_restored(derci_client, instrument):
    kind = instrument.kind
    derci_client.post(admin_url(Instrument, "delete", instrument.pk), {"post": "yes"})
    kind.delete()
    (record,) = derci_client.get(admin_url(Instrument, "deleted")).context["records"]

    response = derci_client.post(admin_url(Instrument, "undelete", record.history_id), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "It cannot be restored: its kind no longer exists; restore that first."
    ]
    assert not Instrument.objects.exists()


def test_restored_record_forgets_a_deleted_account(derci_client, instrument, office_editor):
    instrument.created_by = office_editor
    instrument.save()
    derci_client.post(admin_url(Instrument, "delete", instrument.pk), {"post": "yes"})
    office_editor.delete()
    (record,) = derci_client.get(admin_url(Instrument, "deleted")).context["records"]

    derci_client.post(admin_url(Instrument, "undelete", record.history_id))

    assert Instrument.objects.get().created_by is None
