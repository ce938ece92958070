"""The admin in a real browser: axe-core finds no WCAG 2.2 A/AA violation on the pages staff use
most, in French and English, at phone and desktop widths; the instrument list fits 1440 px; the
export page's "select all" works under the strict Content-Security-Policy."""

import re

import pytest

from instruments.models import Instrument
from partnerships.models import Agreement
from tests.browser.conftest import AXE_TAGS
from tests.factories import InstrumentFactory, UserFactory

PASSWORD = "correct horse battery staple"
WIDTHS = (1440, 360)
ADMIN_AXE_TAGS = [*AXE_TAGS, "wcag22aa"]  # target size (2.5.8) is a WCAG 2.2 criterion

# The roles come from a data migration, which a flush between tests removes: serialized_rollback
# puts the migrations' rows back before each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def superuser():
    return UserFactory(
        username="admin-browser", password=PASSWORD, is_staff=True, is_superuser=True
    )


def logged_in(browser, base: str, locale: str):
    context = browser.new_context(locale=locale, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/admin/login/")
    page.locator("#id_username").fill("admin-browser")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")
    return context, page


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ADMIN_AXE_TAGS}})
    return [
        f"{v['id']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def propose_a_change(page, base: str, instrument) -> str:
    """Save a change to a published instrument as a proposal; the review page's address."""
    page.goto(f"{base}/admin/instruments/instrument/{instrument.pk}/change/")
    page.locator("#id_title_en").fill(f"{instrument.title_en}, renamed")
    page.locator("input[name=_propose]").click()
    page.wait_for_load_state()
    link = page.locator(".messagelist a[href*='/admin/core/revision/']").first
    return link.get_attribute("href")


def test_admin_pages_have_no_axe_violation_in_both_languages_and_widths(
    site, superuser, browser, artifacts
):
    instrument = Instrument.objects.published().exclude(title_fr="").order_by("pk").first()
    agreement = Agreement.objects.order_by("pk").first()
    found = []
    for locale, lang in (("en-GB", "en"), ("fr-FR", "fr")):
        context, page = logged_in(browser, site, locale)
        review = propose_a_change(page, site, instrument)
        assert re.fullmatch(r"/admin/core/revision/\d+/change/", review), review
        paths = [
            "/admin/",
            "/admin/instruments/instrument/",
            f"/admin/instruments/instrument/{instrument.pk}/change/",
            f"/admin/instruments/instrument/{instrument.pk}/history/",
            "/admin/instruments/instrument/export/",
            "/admin/instruments/instrument/import/",
            f"/admin/partnerships/agreement/{agreement.pk}/change/",
            "/admin/partnerships/institution/add/",
            review,
        ]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                page.goto(f"{site}{path}")
                assert page.locator("h1").count() == 1, path
                found += [f"{lang} {width}px {path}: {line}" for line in violations(page)]
            page.goto(f"{site}/admin/instruments/instrument/{instrument.pk}/change/")
            page.screenshot(path=artifacts / f"admin-instrument-form-{lang}-{width}.png")
        context.close()

    assert found == []


def test_the_instrument_list_fits_1440_pixels(site, superuser, browser, artifacts):
    context, page = logged_in(browser, site, "en-GB")

    page.goto(f"{site}/admin/instruments/instrument/")
    table, scroller = page.locator("#result_list").evaluate(
        "table => [table.offsetWidth, table.parentElement.clientWidth]"
    )
    heights = page.locator("#result_list tbody th.field-__str__ .cell-text").evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().height)"
    )
    line = page.locator("#result_list tbody th.field-__str__ .cell-text").first.evaluate(
        "span => parseFloat(getComputedStyle(span).lineHeight)"
    )
    page.screenshot(path=artifacts / "admin-instrument-list-1440.png")
    context.close()

    assert table <= scroller, "the list is wider than its box: columns cut off"
    assert len(heights) == 50
    # Two lines of title at most, never five to seven.
    assert max(heights) <= 2 * line + 1, (max(heights), line)


def test_select_all_on_the_export_page_checks_and_unchecks_every_field(
    live_server, superuser, browser
):
    InstrumentFactory()
    context, page = logged_in(browser, live_server.url, "en-GB")
    page.goto(f"{live_server.url}/admin/instruments/instrument/export/")
    boxes = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert boxes.count() > 5
    for box in boxes.all()[:3]:
        box.uncheck()
    toggle = page.get_by_label("Select all")

    toggle.uncheck()
    after_uncheck = boxes.evaluate_all("boxes => boxes.map(box => box.checked)")
    toggle.check()
    after_check = boxes.evaluate_all("boxes => boxes.map(box => box.checked)")
    context.close()

    assert set(after_uncheck) == {False}
    assert set(after_check) == {True}
