"""Every response carries strict security headers; production settings harden cookies and HTTPS."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/en/", "/fr/offices/", "/en/instruments/", "/api/v1/instruments/"]
)
def test_responses_carry_strict_security_headers(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "form-action 'self'" in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_public_pages_need_no_inline_script(client):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert "<script>" not in html
    assert " style=" not in html


def _production(code: str) -> str:
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="international.example.org",
        DJANGO_SETTINGS_MODULE="cnrs_intl.settings",
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_production_cookies_are_host_prefixed_and_staff_need_a_second_factor():
    out = _production(
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.STAFF_REQUIRE_2FA, s.SESSION_COOKIE_AGE)"
    )

    assert out.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "True", "43200"]


def test_a_staff_session_ends_after_30_minutes_idle(db, settings):
    import time

    from tests.admin.conftest import DERCI, client_for, staff

    client = client_for(staff(DERCI, "derci"))
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK
    session = client.session
    session["_session_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()

    response = client.get(reverse("admin:index"))

    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_session_until_12_hours_after_sign_in(db, settings):
    import time

    from tests.admin.conftest import DERCI, client_for, staff

    client = client_for(staff(DERCI, "derci"))
    session = client.session
    now = int(time.time())
    session["_session_started"] = now - 11 * 3600
    session["_session_seen"] = now - 60
    session.save()
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK

    session = client.session
    session["_session_started"] = now - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("admin:index"))

    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session


def test_a_visit_touches_the_session_at_most_once_a_minute(db):
    from tests.admin.conftest import DERCI, client_for, staff

    client = client_for(staff(DERCI, "derci"))
    client.get(reverse("admin:index"))
    seen = client.session["_session_seen"]

    client.get(reverse("admin:index"))

    assert client.session["_session_seen"] == seen
