"""Staff second factor: enrolment on first sign-in, a TOTP code every sign-in, single-use
recovery codes; a session with the password only reaches nothing staff-only."""

import json
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.admin.conftest import DERCI, staff
from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.STAFF_REQUIRE_2FA = True


def password_step(client, username="derci"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": reverse("admin:index")},
    )


def current_code(device) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol(client):
    """Password, then the enrolment page, then a code: returns the device and recovery codes."""
    password_step(client)
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user__username="derci")
    page = client.post(reverse("two-factor-setup"), {"otp_token": current_code(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())
    return device, codes, page


def allow_code_reuse(device):
    """A TOTP code is accepted once per time step: let the next test step use the current one."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)


def test_first_sign_in_enrols_with_a_server_drawn_qr_code_then_shows_recovery_codes(db):
    staff(DERCI, "derci")
    client = Client(headers={"Accept-Language": "en"})

    after_password = password_step(client)
    admin_index = client.get(reverse("admin:index"))
    verify = client.get(admin_index["Location"])
    setup = client.get(verify["Location"])

    assert after_password.status_code == HTTPStatus.FOUND
    assert admin_index.status_code == HTTPStatus.FOUND
    assert admin_index["Location"].startswith(reverse("two-factor-verify"))
    assert verify["Location"].startswith(reverse("two-factor-setup"))
    html = setup.content.decode()
    assert "<svg" in html and "otpauth://totp/" in html
    device = TOTPDevice.objects.get(user__username="derci")
    assert not device.confirmed
    assert "secret=" in device.config_url and device.config_url.split("secret=")[1][:8] in html
    assert "https://" not in re.sub(
        r'href="[^"]*"', "", html.split("<svg", 1)[1].split("</svg>")[0]
    )

    confirmed = client.post(reverse("two-factor-setup"), {"otp_token": current_code(device)})

    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", confirmed.content.decode())
    assert confirmed.status_code == HTTPStatus.OK
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_a_wrong_code_at_enrolment_confirms_nothing(db):
    staff(DERCI, "derci")
    client = Client()
    password_step(client)
    client.get(reverse("two-factor-setup"))

    response = client.post(reverse("two-factor-setup"), {"otp_token": "000000"})

    assert response.status_code == HTTPStatus.OK
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.FOUND


def test_every_later_sign_in_asks_for_the_code(db):
    staff(DERCI, "derci")
    device, _codes, _page = enrol(Client())
    allow_code_reuse(device)
    client = Client(headers={"Accept-Language": "en"})

    password_step(client)
    blocked = client.get(reverse("admin:index"))
    wrong = client.post(reverse("two-factor-verify"), {"otp_token": "123456"})
    still_blocked = client.get(reverse("admin:index"))
    # Right after a wrong code the device makes the user wait (django-otp's throttle)…
    too_soon = client.post(reverse("two-factor-verify"), {"otp_token": current_code(device)})
    # …a second later, and each failure doubles the wait: here the wait is over.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    session_before = client.session.session_key
    right = client.post(
        reverse("two-factor-verify"),
        {"otp_token": current_code(device), "next": reverse("admin:index")},
    )

    assert blocked["Location"].startswith(reverse("two-factor-verify"))
    assert wrong.status_code == HTTPStatus.OK
    assert "not valid" in wrong.content.decode()
    assert still_blocked.status_code == HTTPStatus.FOUND
    assert too_soon.status_code == HTTPStatus.OK
    assert right.status_code == HTTPStatus.FOUND
    assert right["Location"] == reverse("admin:index")
    # A new session key once verified.
    assert client.session.session_key != session_before
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_a_totp_code_is_accepted_once(db):
    """The code that confirmed the enrolment cannot be replayed within its time step."""
    staff(DERCI, "derci")
    device, _codes, _page = enrol(Client())
    device.refresh_from_db()
    replayed = (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )
    client = Client()
    password_step(client)

    # Within the same 30 s step, the same code: refused (last_t guards it).
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=TOTP(device.bin_key).t())
    response = client.post(reverse("two-factor-verify"), {"otp_token": replayed})

    assert response.status_code == HTTPStatus.OK
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.FOUND


def test_recovery_codes_work_once_each(db):
    staff(DERCI, "derci")
    _device, codes, _page = enrol(Client())

    first = Client()
    password_step(first)
    used = first.post(reverse("two-factor-verify"), {"otp_token": codes[0].upper()})
    second = Client()
    password_step(second)
    reused = second.post(reverse("two-factor-verify"), {"otp_token": codes[0]})

    assert used.status_code == HTTPStatus.FOUND
    assert first.get(reverse("admin:index")).status_code == HTTPStatus.OK
    assert reused.status_code == HTTPStatus.OK
    assert second.get(reverse("admin:index")).status_code == HTTPStatus.FOUND
    assert StaticToken.objects.count() == 9


def test_five_wrong_codes_end_the_session(db):
    staff(DERCI, "derci")
    device, _codes, _page = enrol(Client())
    client = Client()
    password_step(client)
    # The device's own throttle (growing delays) is set aside to reach the session's cap.
    answers = []
    for _ in range(5):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        answers.append(client.post(reverse("two-factor-verify"), {"otp_token": "000000"}))

    assert [a.status_code for a in answers] == [HTTPStatus.OK] * 4 + [HTTPStatus.FOUND]
    assert answers[-1]["Location"] == reverse("admin:login")
    assert "_auth_user_id" not in client.session


def test_a_password_only_session_is_a_visitor_on_the_public_site(db):
    staff(DERCI, "derci")
    draft = InstrumentFactory(status="draft")
    client = Client()
    password_step(client)

    response = client.get(f"{draft.get_absolute_url()}?preview=1")

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_password_only_session_reaches_no_admin_page(db):
    staff(DERCI, "derci")
    client = Client()
    password_step(client)

    for name in ["admin:index", "admin:auth_user_changelist", "admin:instruments_instrument_add"]:
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.FOUND, name
        assert response["Location"].startswith(reverse("two-factor-verify"))


def test_the_next_address_cannot_leave_the_site(db):
    staff(DERCI, "derci")
    device, _codes, _page = enrol(Client())
    allow_code_reuse(device)
    client = Client()
    password_step(client)

    response = client.post(
        reverse("two-factor-verify"),
        {"otp_token": current_code(device), "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("admin:index")


def test_second_factor_events_are_logged_without_the_code(db, caplog):
    staff(DERCI, "derci")
    _device, codes, _page = enrol(Client())
    client = Client()
    password_step(client)
    caplog.clear()

    with caplog.at_level("INFO", logger="security"):
        client.post(reverse("two-factor-verify"), {"otp_token": "999999"})
        client.post(reverse("two-factor-verify"), {"otp_token": codes[1]})

    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "security"]
    assert [(e["event"], e["outcome"]) for e in events] == [
        ("second_factor", "failure"),
        ("second_factor", "success"),
    ]
    assert events[1]["factor"] == "recovery code"
    assert events[1]["method"] == "POST"
    assert all(e["user"] == "derci" for e in events)
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "999999" not in text and codes[1] not in text


def test_without_the_setting_the_password_is_enough(db, settings):
    settings.STAFF_REQUIRE_2FA = False
    staff(DERCI, "derci")
    client = Client()

    password_step(client)

    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


# -- recovery codes, self-service --------------------------------------------------------------


def signed_in(client, device):
    """Password and a fresh app code: a verified staff session."""
    allow_code_reuse(device)
    password_step(client)
    client.post(reverse("two-factor-verify"), {"otp_token": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK
    return client


def listed_codes(page) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())


def test_the_recovery_page_shows_how_many_codes_are_left(db):
    staff(DERCI, "derci")
    device, codes, _page = enrol(Client())
    first = Client()
    password_step(first)
    first.post(reverse("two-factor-verify"), {"otp_token": codes[0]})
    client = signed_in(Client(headers={"Accept-Language": "en"}), device)

    page = client.get(reverse("two-factor-recovery"))
    index = client.get(reverse("admin:index"))

    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "You have 9 unused recovery codes left, of 10." in html
    # No code is ever shown again.
    assert not any(code in html for code in codes)
    assert listed_codes(page) == []
    # The admin's user links lead to it.
    assert f'href="{reverse("two-factor-recovery")}"' in index.content.decode()


def test_a_new_set_needs_an_app_code_and_replaces_the_old_codes(db, caplog):
    staff(DERCI, "derci")
    device, old_codes, _page = enrol(Client())
    client = signed_in(Client(headers={"Accept-Language": "en"}), device)
    allow_code_reuse(device)
    caplog.clear()

    with caplog.at_level("INFO", logger="security"):
        refused = client.post(reverse("two-factor-recovery"), {"otp_token": "000000"})
        # A recovery code does not renew the set it belongs to.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        with_recovery = client.post(reverse("two-factor-recovery"), {"otp_token": old_codes[0]})
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        renewed = client.post(reverse("two-factor-recovery"), {"otp_token": current_code(device)})

    assert refused.status_code == with_recovery.status_code == HTTPStatus.OK
    assert "not valid" in refused.content.decode()
    assert listed_codes(refused) == listed_codes(with_recovery) == []
    new_codes = listed_codes(renewed)
    assert renewed.status_code == HTTPStatus.OK
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(new_codes)
    assert (
        renewed["Cache-Control"].startswith("max-age=0") or "no-cache" in renewed["Cache-Control"]
    )
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "security"]
    assert [(e["event"], e["outcome"]) for e in events] == [
        ("recovery_codes_renewed", "failure"),
        ("recovery_codes_renewed", "failure"),
        ("recovery_codes_renewed", "success"),
    ]
    text = " ".join(r.getMessage() for r in caplog.records)
    assert not any(code in text for code in new_codes + old_codes)

    # The old codes no longer sign in; a new one does, once.
    old = Client()
    password_step(old)
    assert old.post(reverse("two-factor-verify"), {"otp_token": old_codes[1]}).status_code == 200
    assert old.get(reverse("admin:index")).status_code == HTTPStatus.FOUND
    # (That wrong code made the recovery device wait: a later attempt.)
    StaticDevice.objects.update(throttling_failure_count=0)
    new = Client()
    password_step(new)
    assert new.post(reverse("two-factor-verify"), {"otp_token": new_codes[0]}).status_code == 302
    assert new.get(reverse("admin:index")).status_code == HTTPStatus.OK
    StaticDevice.objects.update(throttling_failure_count=0)
    again = Client()
    password_step(again)
    assert again.post(reverse("two-factor-verify"), {"otp_token": new_codes[0]}).status_code == 200
    assert StaticToken.objects.count() == 9


def test_the_last_recovery_code_asks_for_a_new_set(db):
    staff(DERCI, "derci")
    _device, codes, _page = enrol(Client())
    StaticToken.objects.exclude(token=codes[0]).delete()
    client = Client(headers={"Accept-Language": "en"})
    password_step(client)

    used = client.post(
        reverse("two-factor-verify"), {"otp_token": codes[0], "next": reverse("admin:index")}
    )
    index = client.get(used["Location"])
    page = client.get(reverse("two-factor-recovery"))

    assert used.status_code == HTTPStatus.FOUND
    html = index.content.decode()
    assert "You have used your last recovery code: generate a new set now." in html
    assert f'<a href="{reverse("two-factor-recovery")}">' in html
    assert "You have 0 unused recovery codes left" in page.content.decode()
    assert "You have no recovery code left" in page.content.decode()


def test_the_recovery_page_needs_the_second_factor(db):
    staff(DERCI, "derci")
    enrol(Client())
    anonymous = Client().get(reverse("two-factor-recovery"))
    password_only = Client()
    password_step(password_only)

    response = password_only.get(reverse("two-factor-recovery"))
    posted = password_only.post(reverse("two-factor-recovery"), {"otp_token": "123456"})

    assert anonymous.status_code == HTTPStatus.FOUND
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert response["Location"].startswith(reverse("two-factor-verify"))
    assert posted["Location"].startswith(reverse("two-factor-verify"))
    assert StaticToken.objects.count() == 10


def test_the_recovery_page_in_french(db):
    staff(DERCI, "derci")
    device, _codes, _page = enrol(Client())
    client = signed_in(Client(headers={"Accept-Language": "fr"}), device)

    html = client.get(reverse("two-factor-recovery")).content.decode()

    assert "Il vous reste 10 codes de secours inutilisés sur 10." in html
    assert "Générer de nouveaux codes de secours" in html
