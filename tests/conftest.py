"""Shared fixtures for the whole suite."""

import shutil

import pytest
from django.db import transaction

from tests.reference_data import FIXTURES, load_reference_data


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


# -- the reference data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker) -> str:
    """The reference data (fixtures/), loaded once for the module; what the loader printed.

    Loading takes seconds, so it is done once, inside a transaction rolled back after the
    module's last test. Use it through ``reference_db``: each test's own transaction is then a
    savepoint within that one, so every test starts from the freshly loaded data and none sees
    another's changes. Not for transactional tests (``transactional_db``, ``live_server``),
    which commit and flush: the browser tests load the data committed (tests/browser/conftest.py).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = load_reference_data()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def reference_db(reference_data, db) -> str:
    """A test's database holding the reference data as loaded for the module (see above)."""
    return reference_data


@pytest.fixture
def fixtures_copy(tmp_path):
    """A copy of fixtures/ a test may edit, then load with ``load_reference_data(copy)``."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target
