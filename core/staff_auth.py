"""Staff sign-in: security events on sign-in and lockout, the per-account cap, session limits.

- ``AccountCapHandler``: django-axes locks a username + address pair after five failures, and
  this handler adds a cap per account whatever the address (``LOGIN_ACCOUNT_FAILURE_CAP`` in
  ``LOGIN_ACCOUNT_FAILURE_WINDOW`` seconds), so nobody can try a hundred addresses at a password.
- ``SessionLimitsMiddleware``: a signed-in session ends after ``SESSION_IDLE_TIMEOUT`` seconds
  without a request, and ``SESSION_ABSOLUTE_TIMEOUT`` after the sign-in whatever happens.
"""

import datetime
import time

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from django.utils import timezone

from core.security import security_event

# -- security events on sign-in ----------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="security-login-success")
def _login_success(sender, request, user, **kwargs):
    if request is not None:
        security_event("login", request, outcome="success", user=user, factor="password")


@receiver(user_logged_out, dispatch_uid="security-logout")
def _logout(sender, request, user, **kwargs):
    if request is not None and user is not None:
        security_event("logout", request, outcome="success", user=user)


@receiver(user_login_failed, dispatch_uid="security-login-failure")
def _login_failure(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password with asterisks; only the username is kept.
    username = (credentials or {}).get("username")
    security_event("login", request, outcome="failure", username=username)


@receiver(user_locked_out, dispatch_uid="security-lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    security_event(
        "lockout",
        request,
        outcome="denied",
        username=username,
        scope=getattr(request, "axes_lockout_scope", "account and address"),
    )


# -- login limits ------------------------------------------------------------------------------


def account_failures(username: str | None) -> int:
    """Failures for this username from every address within ``LOGIN_ACCOUNT_FAILURE_WINDOW``."""
    if not username:
        return 0
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_ACCOUNT_FAILURE_WINDOW)
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class AccountCapHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus a cap per account whatever the address."""

    def _over_cap(self, request, credentials) -> bool:
        username = get_client_username(request, credentials)
        return account_failures(username) >= settings.LOGIN_ACCOUNT_FAILURE_CAP

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if settings.AXES_LOCK_OUT_AT_FAILURE and self._over_cap(request, credentials):
            request.axes_lockout_scope = "account"
            return True
        return False

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if not settings.AXES_LOCK_OUT_AT_FAILURE or not self._over_cap(request, credentials):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        request.axes_lockout_scope = "account"
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )


# -- session limits ----------------------------------------------------------------------------

SESSION_STARTED = "_session_started"
SESSION_SEEN = "_session_seen"


@receiver(user_logged_in, dispatch_uid="security-session-start")
def _session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now


class SessionLimitsMiddleware:
    """Ends a signed-in session idle for ``SESSION_IDLE_TIMEOUT`` seconds or older than
    ``SESSION_ABSOLUTE_TIMEOUT``. Visitors without a session cookie are not looked at."""

    # Writing the session at every request would cost a query each: once a minute is enough.
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        session = request.session
        if "_auth_user_id" not in session:
            return
        now = int(time.time())
        started = session.get(SESSION_STARTED, now)
        seen = session.get(SESSION_SEEN, now)
        idle = now - seen > settings.SESSION_IDLE_TIMEOUT
        expired = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
        if idle or expired:
            security_event(
                "session_end",
                request,
                outcome="expired",
                username=_session_username(session),
                reason="idle" if idle else "absolute",
            )
            logout(request)
            return
        session.setdefault(SESSION_STARTED, started)
        if now - seen >= self.TOUCH_EVERY or SESSION_SEEN not in session:
            session[SESSION_SEEN] = now


def _session_username(session) -> str | None:
    from django.contrib.auth import get_user_model

    user_id = session.get("_auth_user_id")
    if not user_id:
        return None
    model = get_user_model()
    return (
        model._default_manager.filter(pk=user_id)
        .values_list(model.USERNAME_FIELD, flat=True)
        .first()
    )
