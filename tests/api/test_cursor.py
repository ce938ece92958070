"""Cursor paging (`?cursor=`) and `sort=modified` on the API lists: a pull in pages that the
catalogue changing meanwhile neither skips nor repeats."""

import datetime
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from cnrs_intl.api_urls import router
from core.api import encode_cursor
from core.models import Publishable
from partnerships.models import Institution
from tests.api.schema_tools import fetch_schema
from tests.factories import InstitutionFactory

LIST = "/api/v1/institutions/"


@pytest.fixture
def institutions(db, settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    return [
        InstitutionFactory(slug=f"inst-{n:02d}", name_fr=f"Institution {n:02d}") for n in range(9)
    ]


def pages(client, params, between=None):
    """Every page of a cursor pull; ``between(number)`` runs after page ``number`` is read."""
    query = {"cursor": "", **params}
    seen, number = [], 0
    while True:
        response = client.get(LIST, query)
        assert response.status_code == HTTPStatus.OK, response.content
        body = response.json()
        assert body["previous"] is None
        seen.append(body["results"])
        number += 1
        if body["next"] is None:
            assert body["next_cursor"] is None
            return seen
        next_query = parse_qs(urlsplit(body["next"]).query)
        assert next_query["cursor"] == [body["next_cursor"]]
        query = {**query, "cursor": body["next_cursor"]}
        if between is not None:
            between(number)


def set_status(slug, status):
    institution = Institution.objects.get(slug=slug)
    institution.status = status
    institution.save()


def rename(slug, name):
    institution = Institution.objects.get(slug=slug)
    institution.name_fr = name
    institution.save()


def test_a_cursor_pull_gets_every_record_that_stayed_published_exactly_once(client, institutions):
    unpublished = {"inst-00", "inst-03", "inst-08"}

    def change(number):
        if number == 1:  # records already read and records still to come
            set_status("inst-00", Publishable.Status.DRAFT)
            set_status("inst-08", Publishable.Status.DRAFT)
            rename("inst-01", "Renamed, already read")
            rename("inst-06", "Renamed, still to come")
        if number == 2:
            set_status("inst-03", Publishable.Status.DRAFT)
            InstitutionFactory(slug="inst-new")

    seen = [item["slug"] for page in pages(client, {"page_size": 2}, change) for item in page]

    stayed = {f"inst-{n:02d}" for n in range(9)} - unpublished
    assert len(seen) == len(set(seen))
    assert stayed <= set(seen)
    assert "inst-08" not in seen  # unpublished before its page came
    assert seen[-1] == "inst-new"  # added during the pull: at the end, once
    assert [item for item in seen if item in stayed] == sorted(
        stayed, key=lambda slug: Institution.objects.get(slug=slug).pk
    )


def test_the_page_number_default_is_kept(client, institutions):
    body = client.get(LIST, {"page_size": 4}).json()

    assert body["count"] == 9
    assert "next_cursor" not in body
    assert parse_qs(urlsplit(body["next"]).query)["page"] == ["2"]
    assert [item["name"] for item in body["results"]] == [f"Institution {n:02d}" for n in range(4)]


def test_sort_modified_orders_by_modification_then_id_with_pages_or_a_cursor(client, institutions):
    base = timezone.now() - datetime.timedelta(days=10)
    moments = {"inst-04": 0, "inst-02": 1, "inst-07": 1, "inst-00": 2}
    for institution in institutions:
        offset = moments.get(institution.slug, 3)
        Institution.objects.filter(pk=institution.pk).update(
            updated_at=base + datetime.timedelta(days=offset)
        )
    expected = sorted(
        Institution.objects.values_list("slug", "updated_at", "pk"),
        key=lambda row: (row[1], row[2]),
    )
    expected = [slug for slug, _at, _pk in expected]

    by_page = client.get(LIST, {"sort": "modified", "page_size": 100}).json()["results"]
    by_cursor = pages(client, {"sort": "modified", "page_size": 2})
    latest_first = pages(client, {"sort": "-modified", "page_size": 3})

    assert [item["slug"] for item in by_page] == expected
    assert expected[:4] == ["inst-04", "inst-02", "inst-07", "inst-00"]
    assert [item["slug"] for page in by_cursor for item in page] == expected
    assert [item["slug"] for page in latest_first for item in page] == expected[::-1]


def test_a_sort_modified_pull_skips_nothing_and_brings_an_edit_again_as_its_new_version(
    client, institutions
):
    def change(number):
        if number == 1:
            rename("inst-00", "Edited after it was read")
            set_status("inst-05", Publishable.Status.DRAFT)

    seen = [
        (item["slug"], item["name"])
        for page in pages(client, {"sort": "modified", "page_size": 3}, change)
        for item in page
    ]
    slugs = [slug for slug, _name in seen]

    assert set(slugs) == {f"inst-{n:02d}" for n in range(9)} - {"inst-05"}
    assert seen[-1] == ("inst-00", "Edited after it was read")
    assert [slug for slug in slugs if slug != "inst-00"] == sorted(set(slugs) - {"inst-00"})


def test_every_list_endpoint_takes_a_cursor_and_gives_what_its_pages_give(client, catalogue):
    for prefix, _viewset, _basename in router.registry:
        path = f"/api/v1/{prefix}/"
        everything = client.get(path, {"page_size": 100}).json()["results"]
        query, pulled = {"cursor": "", "page_size": 2}, []
        while True:
            response = client.get(path, query)
            assert response.status_code == HTTPStatus.OK, (path, response.content)
            body = response.json()
            assert len(body["results"]) <= 2
            pulled += body["results"]
            if body["next_cursor"] is None:
                break
            query["cursor"] = body["next_cursor"]
        assert sorted(item["id"] for item in pulled) == sorted(item["id"] for item in everything)
        assert [item["id"] for item in pulled] == sorted(item["id"] for item in pulled), path


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"cursor": "nonsense!"}, "cursor"),
        ({"cursor": "aXw="}, "cursor"),  # "i|": no id
        ({"cursor": encode_cursor(("m", timezone.now(), 1))}, "cursor"),  # a sort=modified one
        ({"cursor": encode_cursor(("i", 3)), "sort": "modified"}, "cursor"),
        ({"cursor": "", "page": "2"}, "cursor"),
        ({"cursor": "", "sort": "name"}, "sort"),
        ({"cursor": "", "page_size": "101"}, "page_size"),
        ({"cursor": "x" * 300}, "cursor"),
    ],
)
def test_a_bad_cursor_answers_400_naming_the_parameter(client, institutions, params, named):
    response = client.get(LIST, params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == [named]


def test_sort_modified_only_where_records_carry_a_modification_time(client, institutions):
    assert client.get("/api/v1/themes/", {"sort": "modified"}).status_code == 400
    assert client.get("/api/v1/offices/", {"sort": "modified"}).status_code == 200


def test_a_cursor_page_reads_a_constant_number_of_queries(
    client, institutions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as small:
        client.get(LIST, {"cursor": "", "page_size": 2})
    InstitutionFactory.create_batch(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST, {"cursor": "", "page_size": 20})

    assert len(response.json()["results"]) == 20


def test_the_schema_documents_cursor_and_sort_modified(client, db):
    schema = fetch_schema(client)

    for prefix, viewset, _basename in router.registry:
        operation = schema["paths"][f"/api/v1/{prefix}/"]["get"]
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
        assert "cursor" in parameters, prefix
        if viewset.modified_field:
            sort = parameters["sort"]["schema"]
            values = sort["items"]["enum"] if "items" in sort else sort["enum"]
            assert {"modified", "-modified"} <= set(values), prefix
        else:
            assert "sort" not in parameters, prefix
    page = schema["paths"][LIST]["get"]["responses"]["200"]["content"]["application/json"]
    component = schema["components"]["schemas"][page["schema"]["$ref"].rsplit("/", 1)[1]]
    assert component["properties"]["next_cursor"]["nullable"] is True
    assert "next_cursor" not in component["required"]
