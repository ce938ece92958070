"""Shared fixtures for the whole suite."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (Redis in CI's PostgreSQL run, else local memory)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
