"""Abuse limits: per-client budgets counted in the shared cache (Redis in production).

``settings.ABUSE_LIMITS`` names budgets (search, exports, feeds, open data…), each a rate such
as ``"60/min"`` and the URL names it covers (``fnmatch`` patterns on the resolved view name,
namespace included: ``"feeds:*"``, ``"*:export-csv"``). ``AbuseLimitsMiddleware`` counts each
request to a covered URL against its budget for the client's address (``core.security.
client_ip``, so through ``TRUSTED_PROXIES`` only; an IPv6 client by its /64, the block one host
is given) and answers 429 with ``Retry-After`` in the site's layout once the budget is spent.
The API has its own budget, DRF's throttle (``core.api.AnonymousThrottle``), which answers JSON.

The counter is a **fixed window**: one cache key per budget, client and window
(``limit:<budget>:<client>:<window start>``), created by ``cache.add`` with the window's
lifetime and then ``cache.incr`` — both atomic in Redis, so every worker of every server counts
into the same key. At a window's edge a client may send up to twice the budget in a short
burst; the window is the rate's unit (a second, a minute, an hour, a day).

With the cache unreachable the request is let through (fail open) and a warning is logged, as
the cache itself does: a Redis outage must not take the site down.
"""

import fnmatch
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from core.security import client_ip

logger = logging.getLogger(__name__)

RATE = re.compile(r"(?P<count>[0-9]{1,9})/(?P<every>[0-9]{0,6})(?P<unit>s|sec|m|min|h|hour|d|day)")
PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def parse_rate(value) -> Rate | None:
    """``"60/min"`` → ``Rate(60, 60)``; ``""``, ``"off"`` or ``None`` → no limit.

    Periods: ``s``/``sec``, ``m``/``min``, ``h``/``hour``, ``d``/``day``, optionally with a
    count (``"100/5min"``). A malformed rate is a configuration error, said at once.
    """
    if value is None or str(value).strip().lower() in {"", "off", "none", "0"}:
        return None
    found = RATE.fullmatch(str(value).strip().lower())
    if found is None:
        raise ValueError(f"Not a rate: {value!r} (expected e.g. '60/min', '1000/day').")
    requests = int(found["count"])
    seconds = int(found["every"] or 1) * PERIODS[found["unit"]]
    if requests < 1 or seconds < 1:
        raise ValueError(f"Not a rate: {value!r} (expected e.g. '60/min', '1000/day').")
    return Rate(requests, seconds)


def client_key(request) -> str:
    """The client the budget belongs to: its address, an IPv6 one by its /64."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) + "/64"


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    count: int | None  # None: the cache could not count (let through)
    retry_after: int  # seconds until the window ends


def hit(budget: str, client: str, rate: Rate, now: float | None = None) -> Outcome:
    """Count one request of ``client`` against ``budget``: atomic in the shared cache."""
    now = time.time() if now is None else now
    start = int(now // rate.seconds) * rate.seconds
    retry_after = max(1, math.ceil(start + rate.seconds - now))
    key = f"limit:{budget}:{client}:{start}"
    try:
        if cache.add(key, 1, timeout=rate.seconds + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr: a new window
                count = 1 if cache.add(key, 1, timeout=rate.seconds + 1) else cache.incr(key)
    except Exception:  # the cache backend's own errors, whatever the backend
        logger.warning(
            "Abuse limit %s: cache unreachable, request let through", budget, exc_info=True
        )
        return Outcome(True, None, retry_after)
    if count is None:  # django-redis with IGNORE_EXCEPTIONS: the error was logged there
        logger.warning("Abuse limit %s: cache unreachable, request let through", budget)
        return Outcome(True, None, retry_after)
    return Outcome(count <= rate.requests, count, retry_after)


@dataclass(frozen=True)
class Budget:
    name: str
    rate: Rate
    views: tuple[str, ...]

    def covers(self, view_name: str) -> bool:
        return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in self.views)


def configured_budgets() -> list[Budget]:
    budgets = []
    for name, spec in (getattr(settings, "ABUSE_LIMITS", None) or {}).items():
        rate = parse_rate(spec.get("rate"))
        if rate is not None:
            budgets.append(Budget(name, rate, tuple(spec.get("views", ()))))
    return budgets


def too_many_requests(request, retry_after: int):
    """The 429 page in the site's layout, with ``Retry-After``; never cached."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(max(1, int(retry_after)))
    response["Cache-Control"] = "no-store"
    return response


class AbuseLimitsMiddleware:
    """Counts requests to the URLs ``settings.ABUSE_LIMITS`` covers; 429 once a budget is spent.

    Budgets are read from the settings at each request (tests and a reloaded configuration
    change them without a restart).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        configured_budgets()  # a malformed rate stops the server at start, named

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or not match.view_name:
            return None
        budgets = [b for b in configured_budgets() if b.covers(match.view_name)]
        if not budgets:
            return None
        client = client_key(request)
        for budget in budgets:
            outcome = hit(budget.name, client, budget.rate)
            if not outcome.allowed:
                logger.info("Abuse limit %s reached by %s", budget.name, client)
                return too_many_requests(request, outcome.retry_after)
        return None
