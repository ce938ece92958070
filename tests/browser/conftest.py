"""Browser tests: Playwright for Python driving Debian's chromium against a live server.

Run them on their own (`make test-browser`): Playwright's event loop runs from session start,
which would break `asyncio.run()` in the rest of the suite.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.reference_data import load_reference_data

# Playwright's loop is running while Django's ORM is used from the tests (stack.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # This hook sees the whole session's items: mark only the ones in this folder.
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if "reference_site" in getattr(item, "fixturenames", ()):
                # Without a database marker pytest-django would create no test database at all
                # when only these tests run, and the ORM would reach the developer's database.
                # Each test reads in a transaction of its own, rolled back; nothing is written.
                item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session", autouse=True)
def _close_connections_after_each_request():
    """The live servers' request threads close their database connection after each request.

    Settings keep connections for a minute (CONN_MAX_AGE); a request thread still holding one
    when the test database is dropped makes PostgreSQL refuse ("being accessed by other users").
    """
    from django.db import connections

    saved = {conn.alias: conn.settings_dict["CONN_MAX_AGE"] for conn in connections.all()}
    for conn in connections.all():
        conn.settings_dict["CONN_MAX_AGE"] = 0
    yield
    for conn in connections.all():
        conn.settings_dict["CONN_MAX_AGE"] = saved[conn.alias]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1440, "height": 900}}


@pytest.fixture
def committed_reference_data(transactional_db):
    """The reference data, committed for one test: the live server reads it on a connection of
    its own. (tests/conftest.py's ``reference_data`` is never committed: a transaction rolled
    back after the module.) pytest-django flushes it after the test."""
    load_reference_data()


@pytest.fixture
def site(live_server, committed_reference_data):
    """Base URL of a live server holding the reference data."""
    return live_server.url


@pytest.fixture(scope="module")
def reference_site(django_db_setup, django_db_blocker):
    """Base URL of a live server holding the reference data, for a module of read-only tests.

    Loading the reference data takes a few seconds; the `site` fixture pays it for every test,
    this one once per module. The data is committed (no test transaction around it), read by a
    live server of its own (pytest-django's `live_server` would flush the database after each
    test), and flushed at the end of the module, so the next tests start from an empty database.
    Tests using it must not write to the database.
    """
    from django.db import DEFAULT_DB_ALIAS, connection, connections
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or connection.is_in_memory_db(), f"not a test database: {name}"
        load_reference_data()
        # Django keeps connections per context, and Playwright's greenlets give the tests a
        # context of their own: this one would never be closed, and PostgreSQL would refuse
        # to drop the test database at the end ("being accessed by other users").
        loader_connection = connections[DEFAULT_DB_ALIAS]
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server.stop()
        server._live_server_modified_settings.disable()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            loader_connection.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds on the page, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:3]
        )
        + ")"
        for v in results.response["violations"]
    ]
