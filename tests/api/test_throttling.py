"""Anonymous clients are throttled per address, through the cache."""

import runpy
from http import HTTPStatus

from django.urls import reverse

from cnrs_intl import settings as project_settings


def test_too_many_requests_answer_429_with_retry_after(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min"},
    }
    url = reverse("api:theme-list")

    answers = [client.get(url).status_code for _ in range(4)]
    throttled = client.get(url)

    assert answers == [HTTPStatus.OK] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert throttled.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert list(throttled.json()) == ["detail"]


def test_throttling_counts_each_address_apart(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min"},
    }
    url = reverse("api:theme-list")

    first = client.get(url, REMOTE_ADDR="192.0.2.1")
    second = client.get(url, REMOTE_ADDR="192.0.2.1")
    other = client.get(url, REMOTE_ADDR="192.0.2.2")

    assert first.status_code == HTTPStatus.OK
    assert second.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert other.status_code == HTTPStatus.OK


def rest_framework_settings(monkeypatch, api_anon_rate=None) -> dict:
    """REST_FRAMEWORK as the settings module computes it with this API_ANON_RATE (None: unset)."""
    if api_anon_rate is None:
        monkeypatch.delenv("API_ANON_RATE", raising=False)
    else:
        monkeypatch.setenv("API_ANON_RATE", api_anon_rate)
    return runpy.run_path(project_settings.__file__)["REST_FRAMEWORK"]


def answers(client, url, times) -> list[int]:
    return [client.get(url).status_code for _ in range(times)]


def test_the_rate_set_in_the_environment_limits_the_api(client, db, settings, monkeypatch):
    settings.REST_FRAMEWORK = rest_framework_settings(monkeypatch, "2/min")
    url = reverse("api:theme-list")

    allowed = answers(client, url, 2)
    refused = client.get(url)

    assert allowed == [HTTPStatus.OK] * 2
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_without_the_environment_an_address_gets_120_requests_a_minute(
    client, db, settings, monkeypatch
):
    settings.REST_FRAMEWORK = rest_framework_settings(monkeypatch)
    url = reverse("api:theme-list")

    allowed = answers(client, url, 120)
    refused = client.get(url)

    assert allowed == [HTTPStatus.OK] * 120
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 1 <= int(refused["Retry-After"]) <= 60


def _one_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min"},
    }


def test_rotating_forwarded_for_does_not_bypass_the_throttle(client, db, settings):
    """Without trusted proxies (the default) X-Forwarded-For is the client's own words."""
    _one_a_minute(settings)
    settings.TRUSTED_PROXIES = 0
    url = reverse("api:theme-list")

    first = client.get(url, HTTP_X_FORWARDED_FOR="192.0.2.10")
    second = client.get(url, HTTP_X_FORWARDED_FOR="192.0.2.11")

    assert first.status_code == HTTPStatus.OK
    assert second.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_behind_one_proxy_clients_are_told_apart_and_forgeries_ignored(client, db, settings):
    _one_a_minute(settings)
    settings.TRUSTED_PROXIES = 1
    url = reverse("api:theme-list")
    proxy = {"REMOTE_ADDR": "127.0.0.1"}

    alice = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    bob = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy)
    alice_forging = client.get(url, HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.1", **proxy)

    assert alice.status_code == HTTPStatus.OK
    assert bob.status_code == HTTPStatus.OK
    assert alice_forging.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_one_setting_for_axes_and_the_throttle():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == "core.security.client_ip_for_axes"
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXIES
