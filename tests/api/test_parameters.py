"""One convention for parameters: the API answers 400 naming an unknown parameter or a bad value;
a page ignores them with a notice, keeps a parameter's good values, and its links never carry
what it left out."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation


def page(name, lang="en"):
    with translation.override(lang):
        return reverse(name)


def test_api_names_an_unknown_parameter_and_suggests_the_known_one(client, catalogue):
    response = client.get(reverse("api:instrument-list"), {"contry": "cn", "lang": "en"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert list(body) == ["contry"]
    assert "did you mean “country”?" in body["contry"][0]
    assert "modified_since" in body["contry"][0]


def test_api_details_ignore_the_list_filters_but_not_unknown_parameters(client, catalogue):
    url = reverse("api:instrument-detail", kwargs={"slug": "irn-bio"})

    assert client.get(url, {"lang": "en", "country": "jp"}).status_code == HTTPStatus.OK
    response = client.get(url, {"colour": "red"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["colour"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "1", "page_size": "5"},
        {"modified_since": "2024-01-01", "sort": "-start", "q": "network"},
        {"country": "cn", "theme": "biodiversity", "kind": "IRN", "status": "active"},
    ],
)
def test_api_known_parameters_pass(client, catalogue, params):
    assert client.get(reverse("api:instrument-list"), params).status_code == HTTPStatus.OK


def test_api_answers_400_naming_a_bad_value_among_good_ones(client, catalogue):
    response = client.get(reverse("api:instrument-list") + "?country=cn&country=zz")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["country"]
    assert "ZZ" in response.json()["country"][0]


def shown(response) -> list[str]:
    return sorted(item.slug for item in response.context["object_list"])


def test_page_keeps_the_good_values_of_a_parameter(client, catalogue):
    response = client.get(page("instruments:list") + "?country=cn&country=zz")

    assert response.status_code == HTTPStatus.OK
    assert shown(response) == ["future-irn", "irn-bio"]
    assert response.context["notices"] == [
        "The value “zz” of the filter “Country” (country) was ignored: "
        "“ZZ” is not a known value for this filter."
    ]
    html = response.content.decode()
    assert "zz (ignored)" in html
    assert 'href="/en/instruments/?country=cn"' in html  # the ignored chip's link


def test_page_ignores_an_unknown_parameter_with_a_notice(client, catalogue):
    response = client.get(page("instruments:list"), {"contry": "jp", "country": "cn"})

    assert shown(response) == ["future-irn", "irn-bio"]
    assert response.context["notices"] == [
        "The parameter “contry” is not one this list takes (did you mean “country”?): "
        "it was ignored."
    ]


LISTS = [
    ("instruments:list", "instruments:export-csv", "feeds:instruments"),
    ("partnerships:list", "partnerships:export-csv", "feeds:partnerships"),
    ("calls:list", "calls:export-csv", "feeds:calls"),
]


@pytest.mark.parametrize(("list_name", "csv_name", "feed_name"), LISTS)
def test_page_links_never_carry_a_left_out_value(client, catalogue, list_name, csv_name, feed_name):
    response = client.get(page(list_name) + "?country=cn&country=zz&contry=jp&year=abc")

    html = response.content.decode()
    links = re.findall(r'href="([^"]+)"', html)
    csv_links = [link for link in links if link.startswith(page(csv_name))]
    feed_links = [link for link in links if link.startswith(page(feed_name))]
    assert csv_links
    assert feed_links
    for link in csv_links + feed_links:
        assert "zz" not in link.lower()
        assert "contry" not in link
        assert "abc" not in link
        assert "country=cn" in link
    for link in csv_links:
        assert client.get(link.replace("&amp;", "&")).status_code == HTTPStatus.OK
