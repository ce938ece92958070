"""Degrade, don't fall over: Redis down, the site and the API still answer; /healthz says 503
naming the failing component and nothing else; error pages in the site's layout, FR and EN."""

from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from cnrs_intl import health

pytestmark = pytest.mark.django_db
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def redis_down(settings, *, ignore_exceptions=True):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": ignore_exceptions,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }


def test_healthz_answers_200_with_each_component(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "components": {"database": "ok", "cache": "ok", "storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/en/", "/fr/instruments/", "/en/search/?q=china", "/api/v1/themes/"]
)
def test_with_redis_unreachable_the_site_and_the_api_answer(client, settings, path):
    redis_down(settings)

    assert client.get(path).status_code == HTTPStatus.OK


def test_with_redis_raising_the_api_throttle_lets_requests_through(client, settings):
    redis_down(settings, ignore_exceptions=False)

    response = client.get("/api/v1/themes/")

    assert response.status_code == HTTPStatus.OK


def test_with_redis_unreachable_healthz_is_503_naming_the_cache_only(client, settings):
    redis_down(settings)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["components"]["database"] == "ok"
    text = response.content.decode()
    assert "127.0.0.1" not in text and "6379" not in text and ":1" not in text
    assert "Traceback" not in text and "Error" not in text


def test_with_the_database_down_healthz_shows_no_host_or_port(client, monkeypatch):
    def unreachable():
        raise OperationalError(
            'connection to server at "db.internal.example" (10.1.2.3), port 5432 failed'
        )

    monkeypatch.setitem(health.CHECKS, "database", unreachable)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["failing"] == ["database"]
    text = response.content.decode()
    for secret in ("db.internal.example", "10.1.2.3", "5432", "connection"):
        assert secret not in text


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("fr", "Page introuvable")]
)
def test_404_in_the_site_layout_in_both_languages(client, language, heading):
    response = client.get(f"/{language}/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert heading in html
    assert 'class="site-header"' in html and f'lang="{language}"' in html


@pytest.mark.parametrize(("language", "heading"), [("en", "Access denied"), ("fr", "Accès refusé")])
def test_403_in_the_site_layout_in_both_languages(language, heading):
    from instruments.models import Instrument
    from tests.admin.conftest import VIEWER, staff
    from tests.admin.helpers import admin_url

    client = Client(headers={"Accept-Language": language})
    client.force_login(staff(VIEWER, "viewer"))

    response = client.get(admin_url(Instrument, "add"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    html = response.content.decode()
    assert heading in html and 'class="site-header"' in html


def test_400_in_the_site_layout():
    response = Client(HTTP_HOST="not-an-allowed-host.example").get("/en/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Bad request" in html and 'class="site-header"' in html


@pytest.mark.parametrize(
    ("template", "english", "french"),
    [
        ("400.html", "Bad request", "Requête incorrecte"),
        ("429.html", "Too many requests", "Trop de requêtes"),
        ("500.html", "Server error", "Erreur du serveur"),
    ],
)
def test_error_templates_speak_both_languages(rf, template, english, french):
    request = rf.get("/")
    for language, heading in (("en", english), ("fr", french)):
        with translation.override(language):
            html = render_to_string(template, request=None if template != "429.html" else request)
        assert heading in html, (template, language)
        assert 'class="site-header"' in html


def test_the_lockout_answers_the_429_page(client, db):
    from django.urls import reverse

    for _ in range(5):
        response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many" in response.content.decode() or "Trop de" in response.content.decode()
