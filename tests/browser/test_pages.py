"""Every page type in both languages: axe-core finds no WCAG 2.1 A/AA violation, and full-page
screenshots at a phone's and a desktop's width are written under artifacts/ for people to look at.

The pages are read from one live server holding the reference data (`reference_site`): nothing
here writes to the database.
"""

import pytest

from tests.browser.conftest import axe_violations

# (name, path after the language prefix). Records are ones the reference data ships.
PAGES = [
    ("home", ""),
    ("offices-list", "offices/"),
    ("office", "offices/beijing/"),
    ("sectors-list", "sectors/"),
    ("sector", "sectors/asia-oceania/"),
    ("countries-index", "countries/"),
    ("country-dossier", "countries/cn/"),
    ("instruments-list", "instruments/"),
    ("instruments-filtered", "instruments/?country=CN&theme=biodiversity"),
    ("instruments-invalid-filter", "instruments/?country=ZZ&year=abc"),
    ("instrument", "instruments/juno/"),
    ("networks-list", "instruments/networks/"),
    ("network", "instruments/networks/cnc/"),
    ("partnerships-list", "partnerships/"),
    ("partnership", "partnerships/cnrs-cas-framework-agreement/"),
    ("institutions-list", "institutions/"),
    ("institution", "institutions/cas/"),
    ("calls-list", "calls/"),
    ("figures-list", "figures/"),
    ("call", "calls/cnrs-nsfc-call-2024/"),
    ("search-results", "search/?q=China"),
    ("accessibility", "accessibility/"),
    ("open-data", "open-data/"),
    ("not-found", "no-such-page/"),
]
NOT_FOUND = {"not-found"}

# The elements sticking out past the right edge of the window, for the failure message.
WIDEST = """() => Array.from(document.querySelectorAll("body *"))
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(element => !element.closest(".visually-hidden, .skip-link, .skip-to-results"))
    .slice(0, 5)
    .map(element => `${element.tagName.toLowerCase()}.${element.className}`)"""
WIDTHS = (360, 1440)


@pytest.fixture(scope="module")
def context(browser):
    contexts = {}

    def get(language):
        if language not in contexts:
            contexts[language] = browser.new_context(
                locale=language, viewport={"width": 1440, "height": 900}
            )
        return contexts[language]

    yield get
    for ctx in contexts.values():
        ctx.close()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _path in PAGES])
def test_page_is_accessible_and_captured(reference_site, context, artifacts, name, path, language):
    page = context(language).new_page()
    try:
        response = page.goto(f"{reference_site}/{language}/{path}")
        expected = 404 if name in NOT_FOUND else 200
        assert response.status == expected, page.url
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1

        # In the site's layout, whatever the page: a skip link to the main landmark.
        assert page.locator("a.skip-link[href='#main']").count() == 1
        assert page.locator("main#main").count() == 1

        # A phone folds some content (the list filters) that a desktop shows: check both.
        violations, overflow = [], {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            violations += [f"{width}px {line}" for line in axe_violations(page)]
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                overflow[width] = (scroll_width, page.evaluate(WIDEST))
            page.screenshot(path=artifacts / f"{language}-{name}-{width}.png", full_page=True)

        assert violations == [], "\n".join(violations)
        # Nothing wider than the screen: a wide table scrolls inside its own box.
        assert overflow == {}, overflow
    finally:
        page.close()
