"""Anonymous clients are throttled per address, through the cache."""

import os
from http import HTTPStatus

from django.urls import reverse


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


def test_the_default_rate_comes_from_the_environment():
    from cnrs_intl import settings as project_settings

    expected = os.environ.get("API_ANON_RATE", "120/min")
    assert project_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == expected
