"""The client's address, through the configured number of trusted proxies only."""

from pathlib import Path

import pytest
from django.test import RequestFactory

from core.security import client_ip

rf = RequestFactory()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "192.0.2.1"),
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.1, 203.0.113.9", "203.0.113.9"),  # the forged part is further left
        (2, "10.0.0.1, 203.0.113.9, 198.51.100.1", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the leftmost
        (1, "not-an-address", "192.0.2.1"),  # garbage: the connection's address
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "", "192.0.2.1"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_no_valid_address_is_none(settings):
    settings.TRUSTED_PROXIES = 0

    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None


def test_former_setting_name_still_read():
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.TRUSTED_PROXIES)"
    env = {
        "API_NUM_PROXIES": "2",
        "DJANGO_SETTINGS_MODULE": "cnrs_intl.settings",
        "PATH": "/usr/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "2"
