"""Security events are JSON lines (UTC time, event, user, client address, path, outcome) on the
``security`` logger; never a password, session key, token or code."""

import datetime
import json
import logging
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from core.security import JsonLineFormatter
from instruments.models import Instrument
from tests.admin.conftest import DERCI, staff
from tests.admin.helpers import admin_url
from tests.factories import InstrumentFactory, KindFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
FIELDS = {"time", "event", "outcome", "user", "client", "path", "method"}


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger="security")

    def read():
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "security"]

    return read


def log_in(client, password, username="derci"):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def test_login_success_and_failure(events, settings):
    settings.TRUSTED_PROXIES = 1
    staff(DERCI, "derci")
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9, 203.0.113.5")

    log_in(client, "wrong password")
    log_in(client, PASSWORD)

    failure, success = events()
    assert FIELDS <= set(failure)
    assert (failure["event"], failure["outcome"], failure["user"]) == ("login", "failure", "derci")
    assert (success["event"], success["outcome"], success["user"]) == ("login", "success", "derci")
    for event in (failure, success):
        assert event["client"] == "203.0.113.5"
        assert event["path"] == reverse("admin:login")
        moment = datetime.datetime.fromisoformat(event["time"])
        assert moment.utcoffset() == datetime.timedelta(0)
    text = json.dumps(events())
    assert "wrong password" not in text and PASSWORD not in text
    assert client.session.session_key not in text


def test_lockout(events):
    staff(DERCI, "derci")
    client = Client()

    for _ in range(5):
        log_in(client, "wrong password")

    lockouts = [e for e in events() if e["event"] == "lockout"]
    assert lockouts and lockouts[0]["outcome"] == "denied" and lockouts[0]["user"] == "derci"


def test_permission_denied_names_the_user(events, viewer_client):
    response = viewer_client.get(admin_url(Instrument, "add"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    (denied,) = [e for e in events() if e["event"] == "permission_denied"]
    assert denied["user"] == "viewer"
    assert denied["path"] == admin_url(Instrument, "add")
    assert denied["outcome"] == "denied"


def test_csrf_failure(events, derci_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(derci_user)

    response = client.post(admin_url(Instrument, "add"), {})

    assert response.status_code == HTTPStatus.FORBIDDEN
    (event,) = [e for e in events() if e["event"] == "csrf_failure"]
    assert event["user"] == "derci"


def test_staff_export(events, viewer_client, db):
    chosen = InstrumentFactory(slug="chosen", kind=KindFactory(code="IRN"))
    form_page = viewer_client.post(
        admin_url(Instrument, "changelist"),
        {"action": "export_admin_action", "_selected_action": [chosen.pk]},
    )
    form = form_page.context["form"]
    data = {"format": "0", "resource": "0", "export_items": [str(chosen.pk)]}
    data.update(
        {n: "on" for n, f in form.fields.items() if getattr(f, "is_selectable_field", False)}
    )

    response = viewer_client.post(admin_url(Instrument, "export"), data)

    assert response.status_code == HTTPStatus.OK
    (export,) = [e for e in events() if e["event"] == "staff_export"]
    assert export["user"] == "viewer"
    assert export["model"] == "instruments.Instrument"
    assert export["format"] == "csv"


def test_the_configured_handler_writes_one_json_line_per_event(db):
    from core.security import security_event

    record = logging.LogRecord("security", logging.WARNING, "", 0, "", None, None)
    event = security_event("probe", None, outcome="failure", username="someone", password="x")
    record.event = event
    record.msg = json.dumps(event)
    line = JsonLineFormatter().format(record)

    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["event"] == "probe" and "password" not in parsed
    other = logging.LogRecord("security", logging.INFO, "", 0, "plain %s", ("text",), None)
    assert json.loads(JsonLineFormatter().format(other))["message"] == "plain text"
