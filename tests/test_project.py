"""Project-wide checks: system checks, migrations in step with models, settings that fail fast."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_system_check_is_clean():
    out = StringIO()

    call_command("check", stdout=out)

    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_migrations_match_models():
    out = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()


def _django(args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("PYTEST_CURRENT_TEST", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _django(["check"], DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_deploy_check():
    result = _django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + "-production-grade-secret-key-for-the-check-0123456789",
        DJANGO_ALLOWED_HOSTS="international.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_tests_know_they_are_tests_from_the_environment():
    from django.conf import settings

    assert os.environ["DJANGO_TESTING"] == "1"
    assert settings.TESTING is True
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (SQLite run)")
def test_cache_is_redis_when_redis_url_is_set():
    """CI's PostgreSQL run sets REDIS_URL: the cache code (throttle, open-data archive) is then
    exercised against a real Redis, the production cache."""
    from django.conf import settings
    from django.core.cache import cache
    from django_redis import get_redis_connection

    cache.set("redis-probe", {"value": 1}, 30)

    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache.get("redis-probe") == {"value": 1}
    assert get_redis_connection("default").exists(cache.make_key("redis-probe")) == 1
