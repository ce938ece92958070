"""Abuse limits (core/limits.py) and request size limits (core/middleware.py).

Budgets per client for search, exports, feeds and open data, counted in the shared cache (Redis
in CI's PostgreSQL run, local memory otherwise); 429 with Retry-After in the site's layout; the
cache unreachable lets requests through, logged. Too long, too many, too big: 414, 400, 413.
"""

import logging
import re
import runpy
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cnrs_intl import settings as project_settings
from core import limits
from core.limits import Rate, hit, parse_rate
from tests.cnrs_intl.test_degrade import redis_down

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def budgets(settings, **rates):
    """Only the named budgets, at these rates (the views as the project's settings say)."""
    settings.ABUSE_LIMITS = {
        name.replace("_", "-"): {
            **project_settings.ABUSE_LIMITS[name.replace("_", "-")],
            "rate": rate,
        }
        for name, rate in rates.items()
    }


# -- rates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("60/min", Rate(60, 60)),
        ("5/s", Rate(5, 1)),
        ("1000/day", Rate(1000, 86400)),
        ("100/5min", Rate(100, 300)),
        (" 30/Hour ", Rate(30, 3600)),
    ],
)
def test_rates_are_read_as_requests_per_period(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "off", None, "0"])
def test_a_budget_can_be_lifted(text):
    assert parse_rate(text) is None


@pytest.mark.parametrize("text", ["sixty/min", "60", "60/fortnight", "0/min", "10/0min"])
def test_a_malformed_rate_is_refused_by_name(text):
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rate(text)


def test_the_budgets_come_from_the_environment_with_defaults(monkeypatch):
    for name in ("LIMIT_SEARCH_RATE", "LIMIT_EXPORTS_RATE", "LIMIT_FEEDS_RATE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LIMIT_OPEN_DATA_RATE", "7/hour")

    computed = runpy.run_path(project_settings.__file__)["ABUSE_LIMITS"]

    assert {name: spec["rate"] for name, spec in computed.items()} == {
        "search": "60/min",
        "exports": "30/min",
        "feeds": "60/min",
        "open-data": "7/hour",
    }


def test_a_malformed_budget_stops_the_server_at_start(settings):
    settings.ABUSE_LIMITS = {"search": {"rate": "lots", "views": ["search"]}}

    with pytest.raises(ValueError, match="lots"):
        limits.AbuseLimitsMiddleware(lambda request: None)


# -- the counter -------------------------------------------------------------------------------


def test_the_counter_is_a_fixed_window_of_the_rates_unit():
    rate = Rate(2, 60)
    start = 1_800_000_000 - 1_800_000_000 % 60

    first = hit("probe", "192.0.2.1", rate, now=start + 10)
    second = hit("probe", "192.0.2.1", rate, now=start + 20)
    third = hit("probe", "192.0.2.1", rate, now=start + 50.5)
    next_window = hit("probe", "192.0.2.1", rate, now=start + 60)

    assert [first.count, second.count, third.count] == [1, 2, 3]
    assert [first.allowed, second.allowed, third.allowed] == [True, True, False]
    assert third.retry_after == 10  # 9.5 s left, rounded up
    assert next_window.allowed and next_window.count == 1


def test_the_counter_lives_in_the_shared_cache_for_one_window():
    from django.core.cache import cache

    start = 1_800_000_000 - 1_800_000_000 % 60
    hit("probe", "192.0.2.1", Rate(5, 60), now=start + 1)
    hit("probe", "192.0.2.1", Rate(5, 60), now=start + 2)

    assert cache.get(f"limit:probe:192.0.2.1:{start}") == 2


# -- pages over budget -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "url"),
    [
        ("search", "/en/search/?q=china"),
        ("exports", "/en/instruments/export.csv"),
        ("exports", "/fr/countries/fr/export.xlsx"),
        ("feeds", "/en/feeds/instruments/"),
        ("open_data", "/en/open-data/no-such-file.csv"),
    ],
)
def test_each_budget_answers_429_once_spent(client, settings, budget, url):
    budgets(settings, **{budget: "2/min"})

    first, second = client.get(url), client.get(url)
    refused = client.get(url)

    assert first.status_code != HTTPStatus.TOO_MANY_REQUESTS
    assert second.status_code == first.status_code
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"


def test_the_429_page_is_in_the_sites_layout_in_both_languages(client, settings):
    budgets(settings, search="1/min")
    client.get("/en/search/?q=china")

    english = client.get("/en/search/?q=china")
    french = client.get("/fr/search/?q=chine")

    assert english.status_code == french.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert '<html lang="en"' in english.content.decode()
    assert "You have sent too many requests" in english.content.decode()
    assert '<html lang="fr"' in french.content.decode()
    assert "Trop de requêtes" in french.content.decode()
    assert "default-src 'none'" in english["Content-Security-Policy"]


def test_budgets_are_counted_apart(client, settings):
    budgets(settings, search="1/min", feeds="1/min")

    search = [client.get("/en/search/?q=a").status_code for _ in range(2)]
    feed = client.get("/en/feeds/instruments/")
    home = [client.get("/en/").status_code for _ in range(3)]

    assert search == [HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS]
    assert feed.status_code == HTTPStatus.OK
    assert home == [HTTPStatus.OK] * 3


def test_each_address_has_its_own_budget(client, settings):
    budgets(settings, search="1/min")

    first = client.get("/en/search/?q=a", REMOTE_ADDR="192.0.2.1")
    again = client.get("/en/search/?q=a", REMOTE_ADDR="192.0.2.1")
    other = client.get("/en/search/?q=a", REMOTE_ADDR="192.0.2.2")

    assert [first.status_code, again.status_code, other.status_code] == [
        HTTPStatus.OK,
        HTTPStatus.TOO_MANY_REQUESTS,
        HTTPStatus.OK,
    ]


def test_rotating_forwarded_for_does_not_bypass_a_budget(client, settings):
    budgets(settings, search="1/min")
    settings.TRUSTED_PROXIES = 0

    first = client.get("/en/search/?q=a", HTTP_X_FORWARDED_FOR="192.0.2.10")
    second = client.get("/en/search/?q=a", HTTP_X_FORWARDED_FOR="192.0.2.11")

    assert first.status_code == HTTPStatus.OK
    assert second.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_behind_one_proxy_clients_are_told_apart_and_forgeries_ignored(client, settings):
    budgets(settings, search="1/min")
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}

    alice = client.get("/en/search/?q=a", HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    bob = client.get("/en/search/?q=a", HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy)
    forging = client.get("/en/search/?q=a", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.1", **proxy)

    assert alice.status_code == bob.status_code == HTTPStatus.OK
    assert forging.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_an_ipv6_client_is_one_client_across_its_64(client, settings):
    budgets(settings, search="1/min")

    first = client.get("/en/search/?q=a", REMOTE_ADDR="2001:db8:1:2::1")
    same_block = client.get("/en/search/?q=a", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other_block = client.get("/en/search/?q=a", REMOTE_ADDR="2001:db8:1:3::1")

    assert first.status_code == HTTPStatus.OK
    assert same_block.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert other_block.status_code == HTTPStatus.OK


# -- the cache unreachable ---------------------------------------------------------------------


@pytest.mark.parametrize("ignore_exceptions", [True, False])
def test_with_redis_unreachable_requests_are_let_through_and_logged(
    client, settings, caplog, ignore_exceptions
):
    budgets(settings, search="1/min")
    redis_down(settings, ignore_exceptions=ignore_exceptions)

    with caplog.at_level(logging.WARNING, logger="core.limits"):
        answers = [client.get("/en/search/?q=a").status_code for _ in range(3)]

    assert answers == [HTTPStatus.OK] * 3
    assert any("cache unreachable" in record.getMessage() for record in caplog.records)


# -- sizes -------------------------------------------------------------------------------------


def test_a_huge_query_string_is_414_in_the_sites_layout(client):
    response = client.get("/en/search/", {"q": "a" * 8000})

    assert response.status_code == HTTPStatus.REQUEST_URI_TOO_LONG
    assert "Address too long" in response.content.decode()
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_huge_query_string_is_414_in_french(client):
    response = client.get("/fr/instruments/", {"country": "cn" * 4000})

    assert response.status_code == HTTPStatus.REQUEST_URI_TOO_LONG
    assert "Adresse trop longue" in response.content.decode()


def test_a_query_string_within_the_limit_is_served(client):
    """The search page reads the first 5,000 characters of a longer query (with a notice)."""
    response = client.get("/en/search/", {"q": "a" * 6500})

    assert response.status_code == HTTPStatus.OK


def test_too_many_fields_are_a_bad_request(client):
    query = "&".join(["a=1"] * 1001)
    assert len(query) < 4 * 1024

    page = client.get(f"/en/instruments/?{query}")
    login = client.post(
        reverse("admin:login"), query, content_type="application/x-www-form-urlencoded"
    )

    assert page.status_code == HTTPStatus.BAD_REQUEST
    assert login.status_code == HTTPStatus.BAD_REQUEST


def test_an_oversized_body_is_413_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    body = "username=" + "a" * 2000

    response = client.post(
        reverse("admin:login"),
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"accept-language": "en"},
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "Request too large" in response.content.decode()


def test_a_form_body_over_10_mb_is_a_bad_request(client):
    body = "username=" + "a" * (10 * 1024 * 1024 + 1)

    response = client.post(
        reverse("admin:login"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_content_length_that_is_not_a_number_is_a_bad_request():
    response = Client().generic("POST", "/en/", b"", CONTENT_LENGTH="lots")

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_django_gunicorn_and_nginx_agree_on_sizes(settings):
    nginx = (ROOT / "deploy/nginx.conf.template").read_text()
    gunicorn = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
    body = re.search(r"client_max_body_size (\d+)m;", nginx)
    buffers = re.search(r"large_client_header_buffers \d+ (\d+)k;", nginx)

    assert int(body[1]) * 1024 * 1024 == settings.MAX_REQUEST_BODY_BYTES
    assert settings.MAX_REQUEST_BODY_BYTES > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # The request line: nginx takes at least what gunicorn takes, which is more than Django
    # takes, so an over-long query string is answered by the site's own 414 page.
    assert int(buffers[1]) * 1024 >= gunicorn["limit_request_line"]
    assert gunicorn["limit_request_line"] >= settings.MAX_QUERY_STRING_BYTES + 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000


def test_the_api_counts_an_ipv6_client_by_its_64_too(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min"},
    }
    url = reverse("api:theme-list")

    first = client.get(url, REMOTE_ADDR="2001:db8:5:6::1")
    same_block = client.get(url, REMOTE_ADDR="2001:db8:5:6::abcd")
    other_block = client.get(url, REMOTE_ADDR="2001:db8:5:7::1")

    assert first.status_code == HTTPStatus.OK
    assert same_block.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert same_block.json() == {"detail": same_block.json()["detail"]}
    assert other_block.status_code == HTTPStatus.OK
