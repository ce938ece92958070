"""The OpenAPI schema: valid, complete (every parameter), and true (responses match it)."""

from http import HTTPStatus

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from cnrs_intl.api_urls import router
from tests.api.schema_tools import assert_matches, fetch_schema
from tests.factories import KeyFigureFactory

IDENTIFIER = {"country": "iso2", "institute": "code", "kind": "code"}


def test_schema_is_valid_openapi_3(client, db):
    schema = fetch_schema(client)

    validate_schema(schema)
    assert schema["openapi"].startswith("3.0")
    assert schema["info"]["title"] == "CNRS International API"


def test_schema_has_a_list_and_a_detail_for_every_resource(client, db):
    schema = fetch_schema(client)

    expected = set()
    for prefix, viewset, _basename in router.registry:
        key = viewset.lookup_url_kwarg or viewset.lookup_field
        expected |= {f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{{{key}}}/"}
    expected.add("/api/v1/changes/")  # the changes feed (cnrs_intl/changes.py)
    assert set(schema["paths"]) == expected
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())


@pytest.mark.parametrize(("prefix", "viewset", "basename"), router.registry)
def test_schema_describes_every_list_parameter(client, db, prefix, viewset, basename):
    schema = fetch_schema(client)

    operation = schema["paths"][f"/api/v1/{prefix}/"]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    expected = [
        *viewset.filterset_class.base_filters,
        "page",
        "page_size",
        "cursor",
        "lang",
        "Accept-Language",
    ]
    if viewset.modified_field:
        expected.append("modified_since")
        if "sort" not in viewset.filterset_class.base_filters:
            expected.append("sort")
    assert sorted(names) == sorted(expected)
    assert set(operation["responses"]) == {"200", "304", "400", "414", "429"}
    assert operation["responses"]["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_schema_documents_repeatable_parameters_and_their_limits(client, db):
    schema = fetch_schema(client)

    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/instruments/"]["get"]["parameters"]
    }
    assert parameters["country"]["explode"] is True
    assert parameters["country"]["schema"]["type"] == "array"
    assert parameters["status"]["schema"]["items"]["enum"] == ["active", "ended", "upcoming"]
    assert parameters["year"]["schema"]["items"] == {
        "type": "integer",
        "minimum": 1900,
        "maximum": 2200,
    }
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert parameters["lang"]["schema"] == {"type": "string", "enum": ["fr", "en"]}
    assert parameters["sort"]["explode"] is False
    assert "-start" in parameters["sort"]["schema"]["items"]["enum"]


@pytest.mark.parametrize(("prefix", "viewset", "basename"), router.registry)
def test_schema_documents_detail_errors(client, db, prefix, viewset, basename):
    schema = fetch_schema(client)

    key = viewset.lookup_url_kwarg or viewset.lookup_field
    operation = schema["paths"][f"/api/v1/{prefix}/{{{key}}}/"]["get"]
    assert set(operation["responses"]) == {"200", "304", "400", "404", "414", "429"}
    assert [p["name"] for p in operation["parameters"]] == [key, "lang", "Accept-Language"]


def test_every_documented_path_answers_what_the_schema_says(client, catalogue):
    KeyFigureFactory(countries="CN")  # the shared catalogue holds no published figure
    schema = fetch_schema(client)
    checked = []

    for prefix, _viewset, basename in router.registry:
        list_path = f"/api/v1/{prefix}/"
        for params in ({}, {"lang": "en", "page_size": 1}):
            response = client.get(list_path, params)
            assert response.status_code == HTTPStatus.OK, list_path
            assert_matches(schema, list_path, "200", response.json())
        results = client.get(list_path).json()["results"]
        assert results, f"the catalogue has no {prefix}"
        key = IDENTIFIER.get(basename, "slug")
        detail_path = next(p for p in schema["paths"] if p.startswith(list_path) and p != list_path)
        for item in results:
            response = client.get(item["url"])
            assert response.status_code == HTTPStatus.OK, item["url"]
            assert_matches(schema, detail_path, "200", response.json())
            assert response.json()[key] == item[key]
        checked += [list_path, detail_path]
    # The changes feed is one resource (pages of changes), outside the router: no record to fetch.
    response = client.get("/api/v1/changes/")
    assert response.status_code == HTTPStatus.OK
    assert_matches(schema, "/api/v1/changes/", "200", response.json())
    checked.append("/api/v1/changes/")

    assert sorted(checked) == sorted(schema["paths"])


def test_error_bodies_match_the_schema(client, catalogue):
    schema = fetch_schema(client)

    bad_filter = client.get("/api/v1/instruments/", {"country": "zz"})
    bad_lang = client.get("/api/v1/instruments/irn-bio/", {"lang": "xx"})
    missing = client.get("/api/v1/instruments/nothing/")

    assert bad_filter.status_code == HTTPStatus.BAD_REQUEST
    assert_matches(schema, "/api/v1/instruments/", "400", bad_filter.json())
    assert bad_lang.status_code == HTTPStatus.BAD_REQUEST
    assert_matches(schema, "/api/v1/instruments/{slug}/", "400", bad_lang.json())
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert_matches(schema, "/api/v1/instruments/{slug}/", "404", missing.json())


def test_a_body_with_an_undocumented_field_would_not_match(client, catalogue):
    schema = fetch_schema(client)
    body = client.get("/api/v1/themes/physics/").json()

    body["surprise"] = 1

    with pytest.raises(AssertionError):
        assert_matches(schema, "/api/v1/themes/{slug}/", "200", body)


def test_docs_page_uses_local_static_files_under_a_strict_csp(client, db):
    response = client.get(reverse("api:docs"))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "https://" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_docs_set_up_script_is_a_same_origin_file_pointing_at_the_schema(client, db):
    response = client.get(reverse("api:docs"), {"script": ""})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()
