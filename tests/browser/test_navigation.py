"""Moving around the public site as a person does: the language switch, the home page's search box
and map, and the keyboard alone. Read-only: one live server with the reference data for the module.
"""

import re

import pytest

from instruments.models import Instrument
from offices.models import Country

# Focus is visible when the focused element draws an outline or a ring (box-shadow).
FOCUS_STYLE = """element => {
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {outline, boxShadow: style.boxShadow !== "none",
            text: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} / ${style.boxShadow}`};
}"""

# What the focused element is, and the text of its label(s) (a legend for a checkbox group).
FOCUSED = """() => {
    const element = document.activeElement;
    const labels = Array.from(element.labels || [], label => label.innerText.trim());
    const legend = element.closest("fieldset")?.querySelector("legend")?.innerText.trim() || "";
    return {
        tag: element.tagName.toLowerCase(),
        type: element.type || "",
        id: element.id,
        className: typeof element.className === "string" ? element.className : "",
        text: (element.innerText || "").trim().slice(0, 80),
        inFilters: Boolean(element.closest(".filter-form")),
        labels, legend,
    };
}"""


@pytest.fixture
def en_page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_language_switch_stays_on_the_record(reference_site, en_page):
    page = en_page
    instrument = Instrument.objects.published().get(slug="irn-cnrs-cas-biodiversity")
    assert instrument.title_en != instrument.title_fr

    page.goto(f"{reference_site}/en/instruments/{instrument.slug}/")
    assert page.locator("h1").inner_text().strip().endswith(instrument.title_en)

    page.locator(".lang-switch a[hreflang=fr]").click()
    page.wait_for_url(f"{reference_site}/fr/instruments/{instrument.slug}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text().strip().endswith(instrument.title_fr)

    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url(f"{reference_site}/en/instruments/{instrument.slug}/")
    assert page.locator("h1").inner_text().strip().endswith(instrument.title_en)


def test_search_from_the_home_page(reference_site, en_page):
    page = en_page
    instrument = Instrument.objects.published().get(slug="irn-cnrs-cas-biodiversity")

    page.goto(f"{reference_site}/en/")
    box = page.get_by_role("search").get_by_label("Search offices, countries")
    box.fill("biodiversity")
    box.press("Enter")

    page.wait_for_url(re.compile(r"/en/search/\?q=biodiversity$"))
    assert page.locator("h1").inner_text().strip() == "Search"
    assert page.locator("#search-q").input_value() == "biodiversity"
    results = page.locator("[data-group=instruments] .result-title")
    assert instrument.title_en in results.all_inner_texts()
    results.filter(has_text=instrument.title_en).click()
    page.wait_for_url(f"{reference_site}/en/instruments/{instrument.slug}/")


def test_country_dossier_from_the_home_map(reference_site, en_page):
    page = en_page
    china = Country.objects.get(code="CN")

    page.goto(f"{reference_site}/en/")
    page.locator(".world-map a[data-country=cn]").click()

    page.wait_for_url(f"{reference_site}/en/countries/cn/")
    assert page.locator("h1").inner_text().strip() == china.name_en

    # An office marker opens the office's page.
    page.go_back()
    page.locator(".world-map a.map-marker[data-office=beijing]").click()
    page.wait_for_url(f"{reference_site}/en/offices/beijing/")


def test_keyboard_reaches_the_skip_link_then_the_filters(reference_site, en_page):
    page = en_page
    page.goto(f"{reference_site}/en/instruments/")

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["className"] == "skip-link", first
    assert first["text"] == "Skip to main content"
    skip_link = page.locator(".skip-link")
    assert skip_link.is_visible()
    focus = skip_link.evaluate(FOCUS_STYLE)
    assert focus["outline"] or focus["boxShadow"], focus["text"]

    # Tab on, without the mouse, until a filter field has the focus.
    for _tab in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inFilters"]:
            break
    else:
        pytest.fail(f"40 tabs never reached the filters; last: {focused}")

    assert focused["tag"] in {"input", "select", "textarea"}, focused
    assert focused["labels"] or focused["legend"], f"unlabelled field: {focused}"
    assert focused["labels"] == ["Search"], focused
    field = page.locator(":focus")
    assert field.is_visible()
    focus = field.evaluate(FOCUS_STYLE)
    assert focus["outline"] or focus["boxShadow"], f"no visible focus: {focus['text']}"

    # The next fields are labelled too: the country list, then the sectors' checkboxes.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["labels"] == ["Country"]
    page.keyboard.press("Tab")
    sector = page.evaluate(FOCUSED)
    assert sector["type"] == "checkbox"
    assert sector["legend"] == "Sector"
    assert sector["labels"] == ["Europe"]
    focus = page.locator(":focus").evaluate(FOCUS_STYLE)
    assert focus["outline"] or focus["boxShadow"], f"no visible focus: {focus['text']}"

    # Space ticks it, Enter in a field submits the form.
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("network")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sector=europe"))
    assert "q=network" in page.url


def test_keyboard_opens_the_folded_filters_on_a_phone(reference_site, browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{reference_site}/en/instruments/")
        search = page.locator(".filter-form").get_by_label("Search", exact=True)
        assert not search.is_visible()

        for _tab in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        else:
            pytest.fail("40 tabs never reached the filters' disclosure")
        focus = page.locator(":focus").evaluate(FOCUS_STYLE)
        assert focus["outline"] or focus["boxShadow"], f"no visible focus: {focus['text']}"

        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert search.is_visible()
        assert page.evaluate(FOCUSED)["labels"] == ["Search"]
    finally:
        context.close()
