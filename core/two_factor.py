"""Staff second factor: a TOTP code (an authenticator app) after the password, with recovery codes.

Required when ``STAFF_REQUIRE_2FA`` is on (always when ``DJANGO_DEBUG=0``). After the password,
the session is signed in but not verified: every admin page sends it to the code page (or, the
first time, to enrolment: a QR code drawn here as SVG, the ``otpauth://`` address and the key as
text), and public pages treat it as a visitor (no draft preview). Ten single-use recovery codes
are shown once, at enrolment; a verified staff member sees how many are left and, after a fresh
code from the app, replaces them with a new set (``recovery``: the old ones stop working at
once; the new ones are shown once and never logged). Signing in with a recovery code says how
many are left, and asks for a new set when none is. Devices are django-otp's (TOTP with replay
protection and throttling; static tokens deleted when used).
"""

import base64
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import security_event

RECOVERY_CODES = 10
# Signing in with a recovery code with this many left or fewer: a reminder to make new ones.
RECOVERY_CODES_LOW = 2
# Wrong codes in one signed-in session before it is ended (the device throttles on top of it).
MAX_FAILURES = 5
FAILURES_KEY = "_2fa_failures"


def required() -> bool:
    return bool(getattr(settings, "STAFF_REQUIRE_2FA", False))


def _verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


class TwoFactorMiddleware:
    """After django-otp's middleware: unverified sessions reach only the code pages in the admin,
    and are anonymous on the public site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if required():
            if request.path.startswith(reverse("admin:index")):
                user = request.user
                if user.is_authenticated and not _verified(user):
                    exempt = {
                        reverse("two-factor-verify"),
                        reverse("two-factor-setup"),
                        reverse("admin:logout"),
                    }
                    if request.path not in exempt:
                        return redirect(
                            f"{reverse('two-factor-verify')}?next={quote(request.path)}"
                        )
            else:
                original = request.user
                request.user = SimpleLazyObject(
                    lambda: (
                        original
                        if not original.is_authenticated or _verified(original)
                        else AnonymousUser()
                    )
                )
        return self.get_response(request)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _context(request, **extra):
    context = admin_site.each_context(request)
    # Not verified yet: no navigation, no user tools.
    context.update(has_permission=False, is_nav_sidebar_enabled=False, next=_next_url(request))
    context.update(extra)
    return context


def _guard(request):
    """Where to send a request that has no business on the code pages, or ``None``."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect("admin:login")
    if _verified(user):
        return redirect(_next_url(request))
    return None


def _token(request) -> str:
    return "".join(request.POST.get("otp_token", "").split()).lower()


def _succeed(request, device, *, event: str, **details):
    otp_login(request, device)
    # A new session key once the second factor is in: a key seen before it is worth nothing.
    request.session.cycle_key()
    request.session.pop(FAILURES_KEY, None)
    security_event(event, request, outcome="success", **details)


def _fail(request, *, event: str):
    failures = request.session.get(FAILURES_KEY, 0) + 1
    request.session[FAILURES_KEY] = failures
    security_event(event, request, outcome="failure", failures=failures)
    if failures >= MAX_FAILURES:
        security_event("second_factor_lockout", request, outcome="denied", failures=failures)
        logout(request)
        return redirect("admin:login")
    return None


@never_cache
@csrf_protect
def verify(request):
    """The code after the password: from the authenticator app, or a recovery code."""
    if (response := _guard(request)) is not None:
        return response
    user = request.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{reverse('two-factor-setup')}?next={quote(_next_url(request))}")
    error = None
    if request.method == "POST":
        token = _token(request)
        matched = None
        if token:
            with transaction.atomic():
                # Six digits are an app's code, anything else a recovery code: a wrong one
                # slows down (throttles) only its own kind of device.
                kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
                for device in devices_for_user(user, confirmed=True, for_verify=True):
                    if not isinstance(device, kind):
                        continue
                    allowed, _info = device.verify_is_allowed()
                    if allowed and device.verify_token(token):
                        matched = device
                        break
        if matched is not None:
            details = {"factor": "recovery code" if isinstance(matched, StaticDevice) else "totp"}
            if isinstance(matched, StaticDevice):
                details["recovery_codes_left"] = recovery_codes_left(user)
            _succeed(request, matched, event="second_factor", **details)
            if isinstance(matched, StaticDevice):
                _recovery_reminder(request, details["recovery_codes_left"])
            return redirect(_next_url(request))
        if (response := _fail(request, event="second_factor")) is not None:
            return response
        error = _("This code is not valid (or was already used). Try the current one.")
    return TemplateResponse(
        request,
        "admin/two_factor/verify.html",
        _context(request, title=_("Second step: your code"), error=error),
    )


def recovery_codes_left(user) -> int:
    """Unused recovery codes of ``user`` (a used one is deleted)."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_codes(user) -> list[str]:
    """Replace every recovery code of ``user`` by a new set, returned once to be shown."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _recovery_reminder(request, left: int) -> None:
    if left > RECOVERY_CODES_LOW:
        return
    link = reverse("two-factor-recovery")
    if left == 0:
        text = _("You have used your last recovery code: generate a new set now.")
    else:
        text = ngettext(
            "Only %(count)d recovery code is left: generate a new set.",
            "Only %(count)d recovery codes are left: generate a new set.",
            left,
        ) % {"count": left}
    messages.warning(
        request, format_html('{} <a href="{}">{}</a>', text, link, _("Recovery codes"))
    )


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG (drawn here: no third-party service sees the key)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


@never_cache
@csrf_protect
def setup(request):
    """First sign-in: link an authenticator app, confirm with a code, get the recovery codes."""
    if (response := _guard(request)) is not None:
        return response
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{reverse('two-factor-verify')}?next={quote(_next_url(request))}")
    device = _pending_device(user)
    error = None
    if request.method == "POST":
        token = _token(request)
        if token and device.verify_token(token):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_recovery_codes(user)
            _succeed(request, device, event="second_factor_enrolment", factor="totp")
            return TemplateResponse(
                request,
                "admin/two_factor/recovery_codes.html",
                _context(request, title=_("Your recovery codes"), codes=codes),
            )
        if (response := _fail(request, event="second_factor_enrolment")) is not None:
            return response
        error = _("This code is not valid. Check the time on your phone and try the current one.")
    uri = device.config_url
    return TemplateResponse(
        request,
        "admin/two_factor/setup.html",
        _context(
            request,
            title=_("Set up your second factor"),
            error=error,
            qr_svg=qr_svg(uri),
            otpauth_uri=uri,
            secret=base64.b32encode(device.bin_key).decode(),
        ),
    )


@never_cache
@csrf_protect
def recovery(request):
    """A verified staff member's recovery codes: how many are left, and a new set for a code
    from the app (not a recovery code: the set is what it would replace)."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect(f"{reverse('admin:login')}?next={quote(request.path)}")
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if totp is None:
        # No second factor yet (only possible where it is not required): set one up first.
        return redirect(f"{reverse('two-factor-setup')}?next={quote(request.path)}")
    if required() and not _verified(user):
        return redirect(f"{reverse('two-factor-verify')}?next={quote(request.path)}")
    error = None
    if request.method == "POST":
        token = _token(request)
        allowed, _info = totp.verify_is_allowed()
        if token.isdigit() and len(token) == 6 and allowed and totp.verify_token(token):
            codes = new_recovery_codes(user)
            request.session.pop(FAILURES_KEY, None)
            security_event("recovery_codes_renewed", request, outcome="success", codes=len(codes))
            return TemplateResponse(
                request,
                "admin/two_factor/recovery.html",
                _recovery_context(request, codes=codes, title=_("Your new recovery codes")),
            )
        if (response := _fail(request, event="recovery_codes_renewed")) is not None:
            return response
        error = _("This code is not valid (or was already used). Try the current one.")
    return TemplateResponse(
        request,
        "admin/two_factor/recovery.html",
        _recovery_context(request, error=error, title=_("Recovery codes")),
    )


def _recovery_context(request, **extra):
    context = admin_site.each_context(request)
    context.update(left=recovery_codes_left(request.user), total=RECOVERY_CODES)
    context.update(extra)
    return context
