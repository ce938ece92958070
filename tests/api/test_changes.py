"""The changes feed (/api/v1/changes/): a mirror kept by it equals the API after every change."""

import datetime
import threading
from http import HTTPStatus

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cnrs_intl import changes
from cnrs_intl.api_urls import router
from cnrs_intl.models import Change
from core.models import Publishable
from tests.factories import (
    CountryFactory,
    CoverageFactory,
    InstitutionFactory,
    InstrumentFactory,
)

CHANGES = "/api/v1/changes/"


def get_json(client, url, **params):
    response = client.get(url, {"lang": "en", **params})
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()


def full_state(client) -> dict:
    """Every public record of every list, by its API address."""
    records = {}
    for prefix, _viewset, _basename in router.registry:
        page = get_json(client, f"/api/v1/{prefix}/", page_size=100)
        while True:
            records.update({record["url"]: record for record in page["results"]})
            if not page["next"]:
                break
            page = get_json(client, page["next"])
    return records


class Mirror:
    """A small client: a full pull once, then the changes feed, two changes at a time."""

    def __init__(self, client):
        self.client = client
        # The position before the full pull: what changes during it is replayed after.
        self.cursor = get_json(client, CHANGES, since=timezone.now().isoformat())["next"]
        self.records = full_state(client)
        self.seen = []

    def pull(self) -> list:
        seen = []
        while True:
            page = get_json(self.client, CHANGES, since=self.cursor, page_size=2)
            for change in page["results"]:
                seen.append(change)
                self.apply(change)
            self.cursor = page["next"]
            if not page["more"]:
                break
        self.seen += seen
        return seen

    def apply(self, change):
        if change["action"] in ("deleted", "unpublished"):
            self.records.pop(change["url"], None)
            return
        if change["action"] == "slug_changed":
            self.records.pop(change["old_url"], None)
        response = self.client.get(change["url"], {"lang": "en"})
        if response.status_code == HTTPStatus.NOT_FOUND:
            self.records.pop(change["url"], None)  # gone since: a later change says so
        else:
            assert response.status_code == HTTPStatus.OK
            self.records[change["url"]] = response.json()


def api_url(resource, identifier):
    return f"http://testserver/api/v1/{resource}/{identifier}/"


def kinds(changes) -> set:
    return {(change["type"], change["url"].split("/")[-2], change["action"]) for change in changes}


def test_a_mirror_stays_exact_through_every_kind_of_change(client, catalogue):
    c = catalogue
    mirror = Mirror(client)
    assert mirror.records == full_state(client)

    # Created (with its links, set after the row as the admin does).
    new = InstrumentFactory(
        slug="new-irp", title_en="New project", kind=c.irp, countries=[c.japan], themes=[c.physics]
    )
    new.partners.add(c.jsps)
    changes = mirror.pull()
    assert ("instrument", "new-irp", "created") in kinds(changes)
    assert mirror.records == full_state(client)

    # Edited.
    c.irp_physics.title_en = "Physics project, renewed"
    c.irp_physics.save()
    assert ("instrument", "irp-physics", "updated") in kinds(mirror.pull())
    assert mirror.records == full_state(client)

    # A link added through a many-to-many, from either side: the network embeds its nodes.
    c.irp_physics.networks.add(c.cnc)
    c.nsfc.instruments.add(new)
    changes = mirror.pull()
    assert {
        ("instrument", "irp-physics", "updated"),
        ("network", "cnc", "updated"),
        ("instrument", "new-irp", "updated"),
    } <= kinds(changes)
    assert mirror.records == full_state(client)

    # An embedded name: the institution renamed changes every record showing it.
    c.cas.name_en = "Chinese Academy of Sciences (renamed)"
    c.cas.save()
    changes = mirror.pull()
    assert {
        ("institution", "cas", "updated"),
        ("instrument", "irn-bio", "updated"),
        ("instrument", "future-irn", "updated"),
        ("agreement", "cnrs-cas", "updated"),
        ("network", "cnc", "updated"),
        ("milestone", "visit-2024", "updated"),
    } <= kinds(changes)
    assert mirror.records == full_state(client)

    # An office's coverage (an owned row) changes the office and the country.
    CoverageFactory(office=c.tokyo, country=c.china, start_year=2020)
    assert {("office", "tokyo", "updated"), ("country", "cn", "updated")} <= kinds(mirror.pull())
    assert mirror.records == full_state(client)

    # Unpublished: the record goes, and so does it from what embedded it.
    c.jsps.status = Publishable.Status.DRAFT
    c.jsps.save()
    changes = mirror.pull()
    assert {
        ("institution", "jsps", "unpublished"),
        ("instrument", "irp-physics", "updated"),
        ("agreement", "old-japan", "updated"),
        ("call", "jsps-call", "updated"),
    } <= kinds(changes)
    assert api_url("institutions", "jsps") not in mirror.records
    assert mirror.records == full_state(client)

    # Deleted.
    c.first.delete()
    assert ("milestone", "agreement-1978", "deleted") in kinds(mirror.pull())
    assert mirror.records == full_state(client)

    # Slug changed: old and new address; what embeds it follows.
    c.irn_bio.slug = "irn-biodiversity"
    c.irn_bio.save()
    changes = mirror.pull()
    renamed = [change for change in changes if change["action"] == "slug_changed"]
    assert [(r["type"], r["id"], r["old_url"], r["url"]) for r in renamed] == [
        (
            "instrument",
            c.irn_bio.pk,
            api_url("instruments", "irn-bio"),
            api_url("instruments", "irn-biodiversity"),
        )
    ]
    assert ("network", "cnc", "updated") in kinds(changes)
    assert api_url("instruments", "irn-bio") not in mirror.records
    assert mirror.records == full_state(client)

    # Published again: created once more.
    c.jsps.status = Publishable.Status.PUBLISHED
    c.jsps.save()
    assert ("institution", "jsps", "created") in kinds(mirror.pull())
    assert mirror.records == full_state(client)

    # Nothing new: nothing reported, the cursor stays.
    cursor = mirror.cursor
    assert mirror.pull() == []
    assert mirror.cursor == cursor


def test_changes_to_drafts_are_never_reported(client, catalogue):
    mirror = Mirror(client)

    catalogue.hidden_institution.name_en = "Still secret"
    catalogue.hidden_institution.save()
    InstitutionFactory(slug="new-draft", status=Publishable.Status.DRAFT)
    catalogue.draft_agreement.parties.add(catalogue.hidden_institution)
    catalogue.draft_milestone.delete()

    assert mirror.pull() == []
    assert mirror.records == full_state(client)


def test_the_feed_pages_in_order_without_repeating(client, catalogue):
    start = get_json(client, CHANGES, since=timezone.now().isoformat())["next"]
    already = Change.objects.count()
    for number in range(5):
        InstitutionFactory(slug=f"partner-{number}", name_en=f"Partner {number}")

    pages, cursor = [], start
    while not pages or pages[-1]["more"]:
        pages.append(get_json(client, CHANGES, since=cursor, page_size=3))
        cursor = pages[-1]["next"]
    last = get_json(client, CHANGES, since=cursor, page_size=3)

    read = [change for page in pages for change in page["results"]]
    written = list(Change.objects.order_by("xid", "id").values_list("type", "record_id"))
    assert [(change["type"], change["id"]) for change in read] == written[already:]
    slugs = [c["url"].split("/")[-2] for c in read if c["type"] == "institution"]
    assert slugs == [f"partner-{number}" for number in range(5)]
    assert all(len(page["results"]) == 3 for page in pages[:-1])
    assert (last["results"], last["next"], last["more"]) == ([], cursor, False)
    assert pages[0]["next_url"] == (
        f"http://testserver{CHANGES}?since={pages[0]['next']}&page_size=3&lang=en"
    )


def test_a_timestamp_reads_the_changes_made_at_or_after_it(client, catalogue):
    InstitutionFactory(slug="before", country=catalogue.china)
    Change.objects.update(at=timezone.now() - datetime.timedelta(days=2))
    InstitutionFactory(slug="after", country=catalogue.china)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    page = get_json(client, CHANGES, since=since)

    assert [(c["url"].split("/")[-2], c["action"]) for c in page["results"]] == [
        ("after", "created"),
        ("cn", "updated"),
    ]
    assert page["results"][0]["at"].endswith("Z")


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "c1"}, "since"),
        ({"since": "c99999999999999999999.1"}, "since"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1001"}, "page_size"),
        ({"cursor": "c0.1"}, "cursor"),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(client, db, params, name):
    response = client.get(CHANGES, params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == [name]


def test_the_feed_answers_304_to_its_etag(client, catalogue):
    first = client.get(CHANGES)

    again = client.get(CHANGES, headers={"if-none-match": first.headers["ETag"]})

    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert "Last-Modified" not in first.headers


def test_the_schema_documents_the_feed(client, db):
    schema = client.get("/api/v1/schema/", headers={"accept": "application/vnd.oai.openapi+json"})

    operation = schema.json()["paths"][CHANGES]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"since", "page_size", "lang"} <= names
    assert set(operation["responses"]) >= {"200", "400", "429"}


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_is_not_skipped(settings):
    """A transaction that began writing first and commits last: its change waits, then comes
    first (PostgreSQL: the feed reads below the oldest transaction still in progress)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writers take turns: no transaction can commit under another")
    country = CountryFactory(code="CN")
    start = changes.decode_cursor(changes.latest_cursor())
    written, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                InstitutionFactory(slug="slow", country=country)
                written.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert written.wait(30)
    InstitutionFactory(slug="fast", country=country)  # committed at once, after "slow" began

    held, _cursor, _more = changes.read(after=start)
    release.set()
    thread.join(30)
    after, _cursor, _more = changes.read(after=start)

    assert [row.identifier for row in held if row.type == "institution"] == []
    assert [row.identifier for row in after if row.type == "institution"] == ["slow", "fast"]
