"""Conditional requests and caching for what programs read: the API, feeds, downloads, open data.

Every public read answers with

- ``ETag``: a hash of the body (API records and lists, feeds), or, for a streamed file, of what
  the file is made from (the catalogue's last change, the address with its parameters, the
  language, the day);
- ``Last-Modified``: the catalogue's last change (any record, link, deletion, unpublication —
  read from the history tables and ``updated_at`` by the function the site layer registers),
  but never before today's midnight, since statuses follow the date;
- ``Cache-Control: public, max-age=…`` (``PUBLIC_CACHE_SECONDS``, default 60);

and ``304 Not Modified`` to ``If-None-Match`` (which wins when both are sent) or
``If-Modified-Since``. A ``Last-Modified`` in the current second is not sent: another change in
the same second could not be told apart (the ``ETag`` still is).
"""

import datetime
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

_last_change: Callable[[], datetime.datetime | None] | None = None


def register_last_change(function: Callable[[], datetime.datetime | None]) -> None:
    """The site layer says how to read the catalogue's last change (it knows every model)."""
    global _last_change
    _last_change = function


def public_cache_seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 60))


def catalogue_moment() -> datetime.datetime:
    """When anything public last changed (in UTC): the latest change, or today's midnight."""
    moment = _last_change() if _last_change is not None else None
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    if moment is None or moment < midnight:
        moment = midnight
    return moment.astimezone(datetime.UTC)


def timestamp(moment: datetime.datetime | None) -> int | None:
    """Seconds since the epoch; ``None`` for the current second (not yet a safe validator)."""
    if moment is None:
        return None
    seconds = int(moment.timestamp())
    if seconds >= int(timezone.now().timestamp()):
        return None
    return seconds


def body_etag(content: bytes, *parts: str) -> str:
    digest = hashlib.sha256(content)
    for part in parts:
        digest.update(b"\0" + str(part).encode())
    return f'"{digest.hexdigest()[:32]}"'


def derived_etag(request, *parts: str) -> str:
    """A weak ``ETag`` for a streamed file: what it is made from, not its bytes."""
    digest = hashlib.sha256(request.get_full_path().encode())
    for part in parts:
        digest.update(b"\0" + str(part).encode())
    return f'W/"{digest.hexdigest()[:32]}"'


def unchanged_since_asked(request, last_modified_seconds: int | None) -> bool:
    """``If-Modified-Since`` (without ``If-None-Match``) at or after the last change."""
    if request.method not in ("GET", "HEAD") or "HTTP_IF_NONE_MATCH" in request.META:
        return False
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return (
        since is not None and last_modified_seconds is not None and last_modified_seconds <= since
    )


def public_headers(response, *, etag: str | None = None, last_modified_seconds=None, vary=()):
    """The validators and ``Cache-Control`` of an anonymous read."""
    if etag:
        response.headers["ETag"] = etag
    if last_modified_seconds is not None:
        response.headers["Last-Modified"] = http_date(last_modified_seconds)
    if "Cache-Control" not in response.headers:
        patch_cache_control(response, public=True, max_age=public_cache_seconds())
    return response


def conditional(request, response, *, etag=None, last_modified_seconds=None):
    """Headers on a successful read, then ``304`` when the client's copy is current."""
    if response.status_code != 200 or request.method not in ("GET", "HEAD"):
        return response
    public_headers(response, etag=etag, last_modified_seconds=last_modified_seconds)
    if response.headers.get("Cache-Control", "").find("no-store") >= 0:
        return response
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified_seconds, response=response
    )


def serve(request, produce: Callable, *, etag_parts=(), streamed=False):
    """``produce()`` answered conditionally: ``304`` before producing when the client's copy is
    current by ``If-Modified-Since`` (or, for a streamed file, by its derived ``ETag``)."""
    moment = catalogue_moment()
    seconds = timestamp(moment)
    etag = None
    if streamed:
        etag = derived_etag(request, moment.isoformat(), *etag_parts)
        early = get_conditional_response(request, etag=etag, last_modified=seconds)
        if early is not None:
            return public_headers(early, etag=etag, last_modified_seconds=seconds)
    elif unchanged_since_asked(request, seconds):
        early = get_conditional_response(request, last_modified=seconds)
        if early is not None:
            return public_headers(early, last_modified_seconds=seconds)
    response = produce()
    if not streamed and response.status_code == 200 and not response.streaming:
        etag = body_etag(response.content, *etag_parts)
    return conditional(request, response, etag=etag, last_modified_seconds=seconds)
