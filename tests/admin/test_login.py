"""Login hardening: django-axes locks a username + client address pair after five failures; the
address is the client's, through the trusted proxies only; an account is capped at 100 failures
an hour whatever the address."""

from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.admin.conftest import DERCI, staff

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def log_in(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def test_five_failures_lock_the_account_even_with_the_right_password(db):
    staff(DERCI, "derci")
    client = Client()

    failures = [log_in(client, "derci", "wrong password").status_code for _ in range(5)]
    locked = log_in(client, "derci", PASSWORD)

    # The fifth failure is answered with the lockout already.
    assert failures == [HTTPStatus.OK] * 4 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in client.session
    # An attempt made while locked does not restart the hour (nor count: it never reached the
    # password check).
    attempt = AccessAttempt.objects.get(username="derci")
    assert attempt.failures_since_start == 5


def test_fewer_failures_then_success_logs_in_and_resets(db):
    staff(DERCI, "derci")
    client = Client()

    for _ in range(4):
        log_in(client, "derci", "wrong password")
    response = log_in(client, "derci", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"]
    assert not AccessAttempt.objects.filter(username="derci").exists()


def test_lock_is_per_account_and_address(db):
    staff(DERCI, "derci")
    staff(DERCI, "other")
    client = Client()
    for _ in range(5):
        log_in(client, "derci", "wrong password")

    response = log_in(client, "other", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND


def test_admin_lives_at_the_configured_path():
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


def test_the_lockout_hour_is_not_restarted_by_failures_during_it(db):
    staff(DERCI, "derci")
    client = Client()
    for _ in range(5):
        log_in(client, "derci", "wrong password")
    locked_at = AccessAttempt.objects.get(username="derci").attempt_time

    for _ in range(3):
        assert log_in(client, "derci", "wrong password").status_code == 429

    assert AccessAttempt.objects.get(username="derci").attempt_time == locked_at


def test_behind_a_proxy_the_lock_is_on_the_clients_address_not_the_proxys(db, settings):
    """nginx (one trusted proxy) connects from 127.0.0.1 and appends the client's address."""
    settings.TRUSTED_PROXIES = 1
    staff(DERCI, "derci")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(5):
        log_in(attacker, "derci", "wrong password")

    real_user = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = log_in(real_user, "derci", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


def test_a_forged_forwarded_for_does_not_change_the_address(db, settings):
    """The client writes X-Forwarded-For itself: only the entry the proxy appended is believed."""
    settings.TRUSTED_PROXIES = 1
    staff(DERCI, "derci")
    for index in range(5):
        forged = Client(
            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{index}, 203.0.113.66"
        )
        log_in(forged, "derci", "wrong password")

    again = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.66")

    assert log_in(again, "derci", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_without_trusted_proxies_forwarded_for_is_ignored(db, settings):
    settings.TRUSTED_PROXIES = 0
    staff(DERCI, "derci")
    for index in range(5):
        log_in(Client(HTTP_X_FORWARDED_FOR=f"192.0.2.{index}"), "derci", "wrong password")

    response = log_in(Client(HTTP_X_FORWARDED_FOR="192.0.2.200"), "derci", PASSWORD)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_an_account_is_capped_whatever_the_address(db, settings):
    """25 addresses × 4 wrong passwords: no pair is locked, but the account is, answered 429."""
    settings.LOGIN_ACCOUNT_FAILURE_CAP = 100
    staff(DERCI, "derci")
    statuses = []
    for address in range(25):
        client = Client(REMOTE_ADDR=f"198.51.100.{address + 1}")
        statuses += [log_in(client, "derci", "wrong password").status_code for _ in range(4)]

    fresh = log_in(Client(REMOTE_ADDR="192.0.2.99"), "derci", PASSWORD)

    assert statuses[:99] == [HTTPStatus.OK] * 99
    assert statuses[99] == HTTPStatus.TOO_MANY_REQUESTS
    assert fresh.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many" in fresh.content.decode() or "Trop de" in fresh.content.decode()
    # Another account is not affected.
    staff(DERCI, "other")
    assert log_in(Client(REMOTE_ADDR="192.0.2.99"), "other", PASSWORD).status_code == 302


def test_old_failures_fall_out_of_the_account_cap(db, settings):
    import datetime

    from django.utils import timezone

    settings.LOGIN_ACCOUNT_FAILURE_CAP = 8
    staff(DERCI, "derci")
    for address in range(2):
        for _ in range(4):
            log_in(Client(REMOTE_ADDR=f"198.51.100.{address + 1}"), "derci", "wrong password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=2))

    assert log_in(Client(REMOTE_ADDR="192.0.2.1"), "derci", PASSWORD).status_code == 302
