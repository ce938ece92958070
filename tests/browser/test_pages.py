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
    ("call", "calls/cnrs-nsfc-call-2024/"),
    ("search-results", "search/?q=China"),
    ("accessibility", "accessibility/"),
    ("open-data", "open-data/"),
    ("not-found", "no-such-page/"),
]
NOT_FOUND = {"not-found"}
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

        # A phone folds some content (the list filters) that a desktop shows: check both.
        violations = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            violations += [f"{width}px {line}" for line in axe_violations(page)]
            page.screenshot(path=artifacts / f"{language}-{name}-{width}.png", full_page=True)

        assert violations == [], "\n".join(violations)
    finally:
        page.close()
