"""``/healthz``: 200 when the database, the cache and the media storage answer; 503 naming the
failing component otherwise. The body never carries a host, a port or an error message — those
go to the log, for the operators."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def check_database() -> None:
    for alias in settings.DATABASES:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache() -> None:
    if settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
        # The cache itself ignores Redis errors (the site degrades): ask Redis directly.
        from django_redis import get_redis_connection

        get_redis_connection("default").ping()
        return
    key = f"healthz-{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not keep a value")
    cache.delete(key)


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        if not default_storage.exists(name):
            raise RuntimeError("storage did not keep a file")
    finally:
        default_storage.delete(name)


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage}


@never_cache
def healthz(request):
    components = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("health check failed: %s", name)
            components[name] = "failing"
        else:
            components[name] = "ok"
    failing = [name for name, state in components.items() if state != "ok"]
    body = {"status": "failing" if failing else "ok", "components": components}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
