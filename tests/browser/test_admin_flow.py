"""One DERCI editor's day in the admin, end to end in a real browser (issue 4).

Log in, create an instrument picking its kind, countries and themes with the autocomplete
widgets, upload a photo, save it as a draft (not on the public site), publish it (on the public
site), edit it, and bring the earlier version back from its history.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from PIL import Image

from instruments.models import Instrument
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
ORIGINAL = "Probe network on coastal biodiversity"
EDITED = "Probe network on coastal biodiversity, renamed"

# The roles come from a data migration, which a flush between tests removes: serialized_rollback
# puts the migrations' rows back before this test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def role(name):
    """A role made by the data migration core/0004_roles; made again when a flush by an earlier
    transactional test removed it and serialized_rollback did not bring it back (seen on
    PostgreSQL after the admin accessibility tests)."""
    if not Group.objects.filter(name=name).exists():
        importlib.import_module("core.migrations.0004_roles").create_roles(django_apps, None)
    return Group.objects.get(name=name)


@pytest.fixture
def derci_editor(site):
    user = UserFactory(username="derci-browser", password=PASSWORD, is_staff=True)
    user.groups.add(role("DERCI editor"))
    return user


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "coast.jpg"
    Image.new("RGB", (640, 400), (30, 110, 160)).save(path, "JPEG", quality=85)
    return path


@pytest.fixture
def staff_page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def public(browser, site):
    """An anonymous visitor: what the public site answers for a path, status and page."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()

    def visit(path):
        response = page.goto(f"{site}{path}")
        return response.status, page

    yield visit
    context.close()


def autocomplete(page, field_id: str, query: str, choice: str) -> None:
    """Open a select2 widget of the admin, type, and pick the matching choice."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.keyboard.type(query)
    page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)",
        has_text=choice,
    ).first.click()


def chosen(page, field_id: str) -> list[str]:
    return page.locator(f"#{field_id}").evaluate(
        "select => Array.from(select.selectedOptions, option => option.text.trim())"
    )


def test_derci_editor_creates_publishes_edits_and_restores_an_instrument(
    site, derci_editor, photo, staff_page, public, artifacts
):
    page = staff_page
    # -- log in --
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill(derci_editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/admin/")

    # -- create: the slug follows the acronym, relations picked by autocomplete --
    page.goto(f"{site}/admin/instruments/instrument/add/")
    page.locator("#id_acronym").press_sequentially("PROBE-BIO")
    assert page.locator("#id_slug").input_value() == "probe-bio"
    page.locator("#id_title_fr").fill("Réseau d'essai sur la biodiversité côtière")
    page.locator("#id_title_en").fill(ORIGINAL)
    autocomplete(page, "id_kind", "IRN", "IRN")
    page.locator("#id_start_on").fill("2025-01-01")
    page.locator("#id_end_on").fill("2029-12-31")
    autocomplete(page, "id_countries", "Chin", "China")
    autocomplete(page, "id_countries", "Japa", "Japan")
    autocomplete(page, "id_themes", "Biodiv", "Biodiversity")
    assert chosen(page, "id_countries") == ["China", "Japan"]
    assert chosen(page, "id_themes") == ["Biodiversity"]
    page.locator("#id_image").set_input_files(photo)
    page.locator("#id_image_credit").fill("Photo: CNRS / probe")
    assert page.locator("#id_status").input_value() == "draft"
    page.get_by_role("button", name="Save and continue editing").click()

    page.wait_for_url(re.compile(r"/admin/instruments/instrument/\d+/change/"))
    assert page.locator(".messagelist .success").count() == 1, page.locator(".errornote").all()
    instrument = Instrument.objects.get(slug="probe-bio")
    assert instrument.status == Instrument.Status.DRAFT
    assert sorted(str(c.code) for c in instrument.countries.all()) == ["CN", "JP"]
    assert [t.slug for t in instrument.themes.all()] == ["biodiversity"]
    assert instrument.image.name.endswith((".jpg", ".jpeg", ".webp"))
    assert instrument.image_credit == "Photo: CNRS / probe"
    page.screenshot(path=artifacts / "admin-instrument-draft-1440.png", full_page=True)

    # -- a draft is not public --
    public_path = "/en/instruments/probe-bio/"
    status, _page = public(public_path)
    assert status == 404
    status, _page = public("/en/instruments/?theme=biodiversity")
    assert ORIGINAL not in _page.locator(".card-list").inner_text()

    # -- publish with the changelist action --
    page.goto(f"{site}/admin/instruments/instrument/?q=probe-bio")
    page.locator(f"input[name=_selected_action][value='{instrument.pk}']").check()
    page.locator("select[name=action]").select_option("publish_selected")
    page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).click()
    assert "1 record published." in page.locator(".messagelist").inner_text()
    instrument.refresh_from_db()
    assert instrument.status == Instrument.Status.PUBLISHED

    status, visitor = public(public_path)
    assert status == 200
    assert visitor.locator("h1").inner_text().strip().endswith(ORIGINAL)
    record = visitor.locator("main")
    assert record.get_by_role("link", name="China").count() >= 1
    assert record.get_by_role("link", name="Japan").count() >= 1
    assert record.get_by_role("link", name="Biodiversity").count() >= 1
    assert "Photo: CNRS / probe" in record.inner_text()
    assert visitor.locator("main figure img").count() == 1

    # -- edit --
    page.goto(f"{site}/admin/instruments/instrument/{instrument.pk}/change/")
    page.locator("#id_title_en").fill(EDITED)
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1
    status, visitor = public(public_path)
    assert status == 200
    assert visitor.locator("h1").inner_text().strip().endswith(EDITED)

    # -- the history shows the change; the version before it is restored --
    page.get_by_role("link", name="History").click()
    page.wait_for_url(re.compile(r"/history/$"))
    history = page.locator("#change-history")
    assert "Title [en]" in history.inner_text()
    assert ORIGINAL in history.inner_text() and EDITED in history.inner_text()
    page.screenshot(path=artifacts / "admin-instrument-history-1440.png", full_page=True)
    # Newest first: the first row naming the original title is the published version before
    # the edit.
    rows = history.locator("tbody tr")
    before_edit = next(
        row
        for row in rows.all()
        if ORIGINAL in row.locator("td").first.inner_text()
        and EDITED not in row.locator("td").first.inner_text()
    )
    before_edit.locator("td").first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/history/\d+/$"))
    assert page.locator("#id_title_en").input_value() == ORIGINAL
    page.locator("input[name=_save][value=Revert]").first.click()

    page.wait_for_url(re.compile(r"/admin/instruments/instrument/"))
    message = page.locator(".messagelist .success").inner_text()
    assert "successfully" in message and ORIGINAL in message, message
    instrument.refresh_from_db()
    assert instrument.title_en == ORIGINAL
    assert instrument.status == Instrument.Status.PUBLISHED
    assert sorted(str(c.code) for c in instrument.countries.all()) == ["CN", "JP"]

    page.goto(f"{site}/admin/instruments/instrument/{instrument.pk}/change/")
    assert page.locator("#id_title_en").input_value() == ORIGINAL
    status, visitor = public(public_path)
    assert status == 200
    assert visitor.locator("h1").inner_text().strip().endswith(ORIGINAL)
