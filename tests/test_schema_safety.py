"""Schema safety: no business foreign key cascades; every migration reverses on a seeded
database; a fault in the middle of an admin save with inlines leaves nothing half-written."""

from http import HTTPStatus

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

from tests.admin.conftest import DERCI, client_for, staff
from tests.admin.helpers import admin_url, form_data
from tests.factories import (
    CountryFactory,
    CoverageFactory,
    InstrumentFactory,
    KindFactory,
    LegacyNameFactory,
    OfficeFactory,
)

PROJECT_APPS = ["core", "offices", "partnerships", "instruments", "cnrs_intl"]

# Apps whose tables are framework internals: the rows are the framework's, not the catalogue's.
INTERNAL_APPS = {
    "admin": "the admin's log of a deleted account goes with it",
    "auth": "a permission is part of its content type",
    "contenttypes": "framework bookkeeping",
    "sessions": "framework bookkeeping",
    "axes": "an attempt's expiry is part of the attempt",
    "otp_totp": "a staff member's authenticator goes with the account",
    "otp_static": "recovery codes go with the account and their device",
}
# The exceptions, decided (issue 13): rows that are parts of one record, edited as its inline,
# kept by its history and brought back by its undelete (tests/admin/test_history.py). They mean
# nothing without their owner, so PROTECT would only make staff delete them one by one first;
# CASCADE stays, and is never silent: the admin's delete confirmation lists every part it will
# delete with the owner (tested below), and anything else pointing at the owner PROTECTs it.
OWNED_PARTS = {
    ("offices.Coverage", "office"): "a country an office covers, with its years",
    ("instruments.LegacyName", "kind"): "a former name of an instrument kind",
}


def cascading_foreign_keys():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.concrete:
                if field.remote_field.on_delete is models.CASCADE:
                    yield model, field


def test_no_business_foreign_key_cascades():
    offending = []
    for model, field in cascading_foreign_keys():
        if model._meta.app_label in INTERNAL_APPS:
            continue
        if model._meta.auto_created:
            continue  # a many-to-many link row: it is the link, and means nothing without both ends
        if (model._meta.label, field.name) in OWNED_PARTS:
            continue
        offending.append(f"{model._meta.label}.{field.name}")

    assert offending == [], "use PROTECT (or SET_NULL) for: " + ", ".join(offending)


def test_the_owned_parts_are_exactly_the_cascading_business_keys():
    """The exception list names only keys that exist and still cascade: none left stale."""
    cascading = {(model._meta.label, field.name) for model, field in cascading_foreign_keys()}

    assert set(OWNED_PARTS) <= cascading


@pytest.mark.django_db
def test_deleting_an_office_in_the_admin_lists_the_coverages_it_deletes_with_it():
    from offices.models import Coverage, Office

    japan, korea = CountryFactory(code="JP"), CountryFactory(code="KR")
    office = OfficeFactory(slug="tokyo", country=japan, name_en="Tokyo")
    CoverageFactory(office=office, country=japan, start_year=1994)
    CoverageFactory(office=office, country=korea, start_year=2001)
    client = client_for(staff(DERCI, "derci"))
    url = admin_url(Office, "delete", office.pk)

    confirmation = client.get(url)

    html = confirmation.content.decode()
    assert confirmation.status_code == HTTPStatus.OK
    for coverage in Coverage.objects.filter(office=office):
        assert str(coverage) in html
    assert "All of the following related items will be deleted" in html
    assert "<li>Coverages: 2</li>" in html

    deleted = client.post(url, {"post": "yes"})

    assert deleted.status_code == HTTPStatus.FOUND
    assert not Office.objects.filter(pk=office.pk).exists()
    assert not Coverage.objects.filter(office_id=office.pk).exists()
    # Not lost: the history keeps every part, for the undelete (tests/admin/test_history.py).
    assert Coverage.history.filter(office_id=office.pk, history_type="-").count() == 2


@pytest.mark.django_db
def test_an_office_that_records_still_follow_is_not_deleted_and_the_admin_says_why():
    from offices.models import Coverage, Office

    japan = CountryFactory(code="JP")
    office = OfficeFactory(slug="tokyo", country=japan, name_en="Tokyo")
    CoverageFactory(office=office, country=japan)
    instrument = InstrumentFactory(slug="followed", office=office)
    client = client_for(staff(DERCI, "derci"))
    url = admin_url(Office, "delete", office.pk)

    confirmation = client.get(url)
    refused = client.post(url, {"post": "yes"})

    html = confirmation.content.decode()
    assert "would require deleting the following protected related objects" in html
    assert str(instrument) in html
    assert refused.status_code == HTTPStatus.OK
    assert Office.objects.filter(pk=office.pk).exists()
    assert Coverage.objects.filter(office=office).count() == 1


@pytest.mark.django_db
def test_deleting_a_kind_in_the_admin_lists_its_former_names():
    from instruments.models import Kind, LegacyName

    kind = KindFactory(code="IRP")
    former = LegacyNameFactory(kind=kind, code="LIA")
    client = client_for(staff(DERCI, "derci"))
    url = admin_url(Kind, "delete", kind.pk)

    confirmation = client.get(url)

    assert confirmation.status_code == HTTPStatus.OK
    assert str(former) in confirmation.content.decode()
    client.post(url, {"post": "yes"})
    assert not LegacyName.objects.filter(pk=former.pk).exists()


@pytest.mark.django_db
def test_a_kind_that_instruments_still_have_is_not_deleted():
    from instruments.models import Kind

    instrument = InstrumentFactory(slug="an-irn")
    kind = instrument.kind
    LegacyNameFactory(kind=kind, code="GDRI")
    client = client_for(staff(DERCI, "derci"))

    refused = client.post(admin_url(Kind, "delete", kind.pk), {"post": "yes"})

    assert "protected related objects" in refused.content.decode()
    assert Kind.objects.filter(pk=kind.pk).exists()
    assert kind.legacy_names.count() == 1


def test_history_keeps_no_cascading_key():
    """A historical row outlives what it points at (django-simple-history uses DO_NOTHING)."""
    for model, field in cascading_foreign_keys():
        assert not model.__name__.startswith("Historical"), f"{model._meta.label}.{field.name}"


@pytest.mark.django_db(transaction=True)
def test_every_migration_reverses_on_a_seeded_database():
    InstrumentFactory(slug="seeded", countries=[CountryFactory(code="CN")])
    OfficeFactory(slug="seeded-office")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    project_leaves = [node for node in latest if node[0] in PROJECT_APPS]

    # Back to before the first migration of each project app, then forward again.
    executor.migrate([(app, None) for app in PROJECT_APPS])
    executor.loader.build_graph()
    applied = {app for app, _name in executor.loader.applied_migrations}
    assert not applied & set(PROJECT_APPS)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    executor.loader.build_graph()
    assert set(project_leaves) <= set(executor.loader.applied_migrations)


@pytest.mark.django_db
def test_a_fault_in_an_admin_save_with_inlines_writes_nothing(monkeypatch):
    from offices.models import Coverage, Office

    japan = CountryFactory(code="JP")
    office = OfficeFactory(slug="tokyo", country=japan, name_en="Tokyo")
    CoverageFactory(office=office, country=japan, start_year=1994)
    client = client_for(staff(DERCI, "derci"))
    client.raise_request_exception = False
    url = admin_url(Office, "change", office.pk)
    data = form_data(client.get(url), name_en="Tokyo, renamed")
    data["coverages-0-start_year"] = "1995"

    def fault(self, *args, **kwargs):
        raise RuntimeError("injected fault while saving an inline")

    monkeypatch.setattr(Coverage, "save", fault)
    response = client.post(url, data)

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    office.refresh_from_db()
    assert office.name_en == "Tokyo"
    assert Office.history.filter(id=office.pk).count() == 1
    assert Coverage.objects.get(office=office).start_year == 1994
