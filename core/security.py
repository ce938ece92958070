"""Who is asking, and what happened: the client's real address and security events as JSON.

- ``client_ip``: the address of the client, read from ``X-Forwarded-For`` only through the
  ``TRUSTED_PROXIES`` reverse proxies in front of the application (nginx appends the address it
  sees; anything further left was written by the client and is not believed). One function for
  django-axes (``AXES_CLIENT_IP_CALLABLE``), the API throttle and the security log.
- ``security_event``: one JSON line per event on the ``security`` logger (UTC time, event, user,
  client address, path, outcome, and details that are never a secret).

Imports nothing that needs the app registry: the logging configuration loads it first.
"""

import datetime
import ipaddress
import json
import logging

from django.conf import settings

logger = logging.getLogger("security")

# -- the client's address ----------------------------------------------------------------------


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or the entry ``TRUSTED_PROXIES`` from the right of
    ``X-Forwarded-For`` when that many proxies append to it (the one the outermost proxy saw);
    ``None`` when there is no valid address (django-axes stores it in an ``inet`` column)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0) or 0
    if proxies > 0:
        forwarded = [
            item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()
        ]
        if forwarded:
            found = _valid_ip(forwarded[-min(proxies, len(forwarded))])
            if found:
                return found
    return _valid_ip(remote)


def client_ip_for_axes(request, *args) -> str | None:
    """django-axes calls its ``AXES_CLIENT_IP_CALLABLE`` with the request only."""
    return client_ip(request)


# -- security events ---------------------------------------------------------------------------

# Keys a caller may never pass, whatever it has at hand.
SECRET_KEYS = {"password", "token", "otp_token", "code", "session", "session_key", "secret"}


def _user_name(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.get_username()


def security_event(event: str, request=None, *, outcome: str, user=None, username=None, **details):
    """Log one security event as a JSON line (the ``security`` logger, level WARNING for
    failures and denials, INFO otherwise)."""
    if username is None:
        username = _user_name(user if user is not None else getattr(request, "user", None))
    record = {
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
        "event": event,
        "outcome": outcome,
        "user": username,
        "client": client_ip(request) if request is not None else None,
        "path": request.path if request is not None else None,
        "method": request.method if request is not None else None,
    }
    # Details never replace the fields above, nor carry a secret.
    record.update({k: v for k, v in details.items() if k not in SECRET_KEYS and k not in record})
    level = logging.INFO if outcome == "success" else logging.WARNING
    logger.log(level, json.dumps(record, ensure_ascii=False, default=str), extra={"event": record})
    return record


class JsonLineFormatter(logging.Formatter):
    """Security records are JSON already; anything else on the logger is wrapped as JSON."""

    def format(self, record):
        if isinstance(getattr(record, "event", None), dict):
            return record.getMessage()
        return json.dumps(
            {
                "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                    timespec="milliseconds"
                ),
                "event": "log",
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
            },
            ensure_ascii=False,
        )
