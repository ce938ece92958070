"""Login hardening: django-axes locks an account/address pair after five failures."""

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
    # The attempt made while locked counts too.
    assert AccessAttempt.objects.get(username="derci").failures_since_start == 6


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
