"""The shared filter parameters on every API list: what each value selects, and 400 for a value
that means nothing, naming the parameter."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from cnrs_intl.api_urls import router

CASES = [
    ("instrument", {"country": "cn"}, ["future-irn", "irn-bio"]),
    ("instrument", {"country": "CN"}, ["future-irn", "irn-bio"]),
    ("instrument", {"country": ["cn", "jp"]}, ["future-irn", "irn-bio", "irp-physics"]),
    ("instrument", {"sector": "europe"}, ["future-irn"]),
    ("instrument", {"theme": "environment"}, ["irn-bio"]),
    ("instrument", {"theme": "physics"}, ["future-irn", "irp-physics"]),
    ("instrument", {"kind": "irn"}, ["future-irn", "irn-bio"]),
    ("instrument", {"kind": "GDRI"}, ["future-irn", "irn-bio"]),
    ("instrument", {"kind": "LIA"}, ["irp-physics"]),
    ("instrument", {"institute": "inee"}, ["irn-bio"]),
    ("instrument", {"institution": "cas"}, ["future-irn", "irn-bio"]),
    ("instrument", {"network": "cnc"}, ["irn-bio"]),
    ("instrument", {"status": "active"}, ["irn-bio"]),
    ("instrument", {"status": ["ended", "upcoming"]}, ["future-irn", "irp-physics"]),
    ("instrument", {"year": "2016"}, ["irp-physics"]),
    ("instrument", {"year": ["2016", "2024"]}, ["irn-bio", "irp-physics"]),
    ("instrument", {"q": "biodiversity"}, ["irn-bio"]),
    ("instrument", {"q": "projet physique"}, ["irp-physics"]),
    ("instrument", {"sort": "start"}, ["irp-physics", "irn-bio", "future-irn"]),
    ("instrument", {"sort": "title"}, ["irp-physics", "irn-bio", "future-irn"]),
    ("instrument", {"country": "cn", "theme": "biodiversity"}, ["irn-bio"]),
    ("agreement", {"country": "cn"}, ["cnrs-cas"]),
    ("agreement", {"sector": "asia-oceania"}, ["cnrs-cas", "old-japan"]),
    ("agreement", {"theme": "physics"}, ["old-japan"]),
    ("agreement", {"kind": "memorandum"}, ["old-japan"]),
    ("agreement", {"institution": "cas"}, ["cnrs-cas"]),
    ("agreement", {"status": "ended"}, ["old-japan"]),
    ("agreement", {"year": "2006"}, ["old-japan"]),
    ("agreement", {"q": "CAS"}, ["cnrs-cas"]),
    ("agreement", {"sort": "-title"}, ["old-japan", "cnrs-cas"]),
    ("call", {"country": "jp"}, ["jsps-call"]),
    ("call", {"sector": "europe"}, []),
    ("call", {"theme": "environment"}, ["nsfc-call"]),
    ("call", {"institution": "nsfc"}, ["nsfc-call"]),
    ("call", {"status": "ended"}, ["jsps-call"]),
    ("call", {"year": "2019"}, ["jsps-call"]),
    ("call", {"q": "jsps"}, ["jsps-call"]),
    ("call", {"sort": "deadline"}, ["jsps-call", "nsfc-call"]),
    ("institution", {"country": "jp"}, ["jsps"]),
    ("institution", {"sector": "asia-oceania"}, ["cas", "nsfc", "jsps"]),
    ("institution", {"kind": "academy"}, ["cas"]),
    ("institution", {"q": "nsfc"}, ["nsfc"]),
    ("institution", {"sort": "-name"}, ["jsps", "nsfc", "cas"]),
    ("network", {"country": "cn"}, ["cnc"]),
    ("network", {"country": "jp"}, []),
    ("network", {"sector": "europe"}, []),
    ("network", {"theme": "environment"}, ["cnc"]),
    ("network", {"status": "active"}, ["cnc"]),
    ("network", {"year": "2020"}, []),
    ("network", {"q": "carbone"}, ["cnc"]),
    ("network", {"sort": "-launched"}, ["cnc"]),
    ("milestone", {"country": "cn"}, ["agreement-1978", "visit-2024"]),
    ("milestone", {"sector": "europe"}, []),
    ("milestone", {"theme": "environment"}, ["visit-2024"]),
    ("milestone", {"institution": "cas"}, ["visit-2024"]),
    ("milestone", {"year": "1978"}, ["agreement-1978"]),
    ("milestone", {"q": "visite"}, ["visit-2024"]),
    ("milestone", {"sort": "-date"}, ["visit-2024", "agreement-1978"]),
    ("office", {"country": "jp"}, ["beijing", "tokyo"]),
    ("office", {"country": "cn"}, ["beijing"]),
    ("office", {"sector": "asia-oceania"}, ["beijing", "tokyo"]),
    ("office", {"q": "tokyo"}, ["tokyo"]),
    ("office", {"sort": "-name"}, ["tokyo", "beijing"]),
    ("country", {"country": "CN"}, ["cn"]),
    ("country", {"sector": "europe"}, ["fr"]),
    ("country", {"q": "japon"}, ["jp"]),
    ("sector", {"q": "europe"}, ["europe"]),
    ("theme", {"q": "biodiv"}, ["biodiversity"]),
    ("institute", {"q": "physique"}, ["INP"]),
    ("kind", {"q": "LIA"}, ["IRP"]),
]

IDENTIFIER = {"country": "iso2", "institute": "code", "kind": "code"}

BAD_VALUES = {
    "q": "x" * 5001,
    "country": "zz",
    "sector": "atlantis",
    "theme": "astrology",
    "kind": "XYZ",
    "institute": "ABC",
    "institution": "hidden-institution",
    "ror": "not-a-ror-id",
    "network": "draft-network",
    "status": "sleeping",
    "year": "abc",
    "sort": "colour",
    "modified_since": "last week",
    "page": "first",
    "page_size": "1000",
}


@pytest.mark.parametrize(("basename", "params", "expected"), CASES)
def test_filter_selects_the_records(client, catalogue, basename, params, expected):
    response = client.get(reverse(f"api:{basename}-list"), params)

    assert response.status_code == HTTPStatus.OK
    key = IDENTIFIER.get(basename, "slug")
    assert [item[key] for item in response.json()["results"]] == expected


def list_parameters():
    """Every (resource, parameter) the API accepts on a list."""
    for _prefix, viewset, basename in router.registry:
        names = list(viewset.filterset_class.base_filters)
        if viewset.modified_field:
            names.append("modified_since")
        for name in [*names, "page", "page_size"]:
            yield basename, name


@pytest.mark.parametrize(("basename", "name"), list(list_parameters()))
def test_a_value_that_means_nothing_answers_400_naming_the_parameter(
    client, catalogue, basename, name
):
    response = client.get(reverse(f"api:{basename}-list"), {name: BAD_VALUES[name], "lang": "en"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == [name]
    assert len(body[name]) == 1
    assert isinstance(body[name][0], str)


def test_several_bad_values_are_all_named(client, catalogue):
    response = client.get(
        reverse("api:instrument-list"), {"country": "zz", "year": "abc", "lang": "en"}
    )

    assert response.json() == {
        "country": ["“ZZ” is not a known value for this filter."],
        "year": ["“abc” is not a year (four digits, e.g. 2024)."],
    }


def test_a_draft_institution_is_no_known_value(client, catalogue):
    response = client.get(
        reverse("api:agreement-list"), {"institution": "hidden-institution", "lang": "en"}
    )

    assert response.json() == {
        "institution": ["“hidden-institution” is not a known value for this filter."]
    }


def test_filters_do_not_apply_to_a_detail(client, catalogue):
    response = client.get(
        reverse("api:instrument-detail", kwargs={"slug": "irp-physics"}), {"country": "cn"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["slug"] == "irp-physics"
