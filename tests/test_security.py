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
    assert "default-src 'self'" in csp
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
