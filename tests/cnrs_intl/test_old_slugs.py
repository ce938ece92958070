"""A record's former slug answers 301 to its current address, on its page and in the API."""

from http import HTTPStatus

import pytest

from cnrs_intl.models import Change
from core.models import Publishable
from tests.factories import (
    AgreementFactory,
    CallFactory,
    InstitutionFactory,
    InstrumentFactory,
    MilestoneFactory,
    NetworkFactory,
    OfficeFactory,
    SectorFactory,
)

# (factory, page prefix or None when the record has no page of its own, API prefix)
RECORDS = {
    "instrument": (InstrumentFactory, "instruments", "instruments"),
    "network": (NetworkFactory, "instruments/networks", "networks"),
    "agreement": (AgreementFactory, "partnerships", "agreements"),
    "institution": (InstitutionFactory, "institutions", "institutions"),
    "call": (CallFactory, "calls", "calls"),
    "office": (OfficeFactory, "offices", "offices"),
    "sector": (SectorFactory, None, "sectors"),
    "milestone": (MilestoneFactory, None, "milestones"),
}


def renamed(factory, *slugs):
    record = factory(slug=slugs[0])
    for slug in slugs[1:]:
        record.slug = slug
        record.save()
    return record


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", RECORDS)
def test_an_old_slug_answers_301_to_the_current_page_and_api_detail(client, db, kind, language):
    factory, page, api = RECORDS[kind]
    record = renamed(factory, "old-slug", "new-slug")
    assert Change.objects.filter(type=kind, action="slug_changed", record_id=record.pk).exists()

    old_api = client.get(f"/api/v1/{api}/old-slug/", {"lang": language})

    assert old_api.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert old_api["Location"] == f"/api/v1/{api}/new-slug/?lang={language}"
    if page is None:
        return
    old_page = client.get(f"/{language}/{page}/old-slug/")
    current = record.get_absolute_url().replace("/fr/", f"/{language}/", 1)

    assert old_page.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert old_page["Location"] == current
    assert current.endswith("/new-slug/")
    assert client.get(current).status_code == HTTPStatus.OK


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_chain_of_renames_ends_at_the_current_address_keeping_the_query(client, db, language):
    renamed(InstitutionFactory, "first", "second", "third")

    for old in ("first", "second"):
        response = client.get(f"/{language}/institutions/{old}/", {"preview": "0"})
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == f"/{language}/institutions/third/?preview=0"


def test_no_redirect_for_an_unpublished_record_an_unknown_slug_or_a_reused_one(client, db):
    hidden = renamed(InstitutionFactory, "hidden-old", "hidden-new")
    hidden.status = Publishable.Status.DRAFT
    hidden.save()
    renamed(InstitutionFactory, "reused", "moved-on")
    InstitutionFactory(slug="reused")  # another record took the former slug: it is its page

    assert client.get("/en/institutions/hidden-old/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/api/v1/institutions/hidden-old/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/en/institutions/never-was/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/en/institutions/reused/").status_code == HTTPStatus.OK


def test_an_old_slug_of_one_type_does_not_send_another_types_page_there(client, db):
    renamed(AgreementFactory, "shared-old", "agreement-new")

    assert client.get("/en/institutions/shared-old/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/api/v1/institutions/shared-old/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/en/partnerships/shared-old/")["Location"] == (
        "/en/partnerships/agreement-new/"
    )


def test_a_404_elsewhere_costs_no_change_log_query(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/en/no-such-page/").status_code == HTTPStatus.NOT_FOUND
