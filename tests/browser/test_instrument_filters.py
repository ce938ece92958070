"""A person narrows the instruments list with the filter form, removes a chip, and pages through.

The live server and the test share the database (`transactional_db`), so the records the test
makes with factories are the ones the browser sees, and the expected lists are read from it.
"""

import datetime
import re

import pytest

from core.models import Theme
from instruments.models import Instrument
from offices.models import Country
from tests.factories import InstrumentFactory

PAGE_SIZE = 20


@pytest.fixture
def instruments(site):
    """Enough Chinese biodiversity instruments for two pages, and the rows that must be left out."""
    china = Country.objects.get(code="CN")
    japan = Country.objects.get(code="JP")
    biodiversity = Theme.objects.get(slug="biodiversity")
    mathematics = Theme.objects.get(slug="mathematics")
    for n in range(1, 24):
        InstrumentFactory(
            slug=f"probe-cn-bio-{n:02}",
            title_en=f"Probe China biodiversity {n:02}",
            start_on=datetime.date(2020, 1, n),
            countries=[china],
            themes=[biodiversity],
        )
    # Left out by the status, the theme, the country.
    InstrumentFactory(
        slug="probe-cn-bio-draft",
        title_en="Probe China biodiversity draft",
        status=Instrument.Status.DRAFT,
        countries=[china],
        themes=[biodiversity],
    )
    for n in (1, 2):
        # The latest start dates: first in the list once the theme filter is removed.
        InstrumentFactory(
            slug=f"probe-cn-math-{n}",
            title_en=f"Probe China mathematics {n}",
            start_on=datetime.date(2028, 1, n),
            countries=[china],
            themes=[mathematics],
        )
        InstrumentFactory(
            slug=f"probe-jp-bio-{n}",
            title_en=f"Probe Japan biodiversity {n}",
            start_on=datetime.date(2028, 2, n),
            countries=[japan],
            themes=[biodiversity],
        )
    return site


def titles(queryset) -> list[str]:
    """Titles as the English page shows them, in the list's default order (latest start first):
    a title no source gives in English is the French one, marked as French."""
    rows = queryset.order_by("-start_on", "slug").values_list("title_en", "title_fr")
    return [english or f"{french} (en français)" for english, french in rows]


def shown_titles(page) -> list[str]:
    return [text.strip() for text in page.locator(".card-list .card-title").all_inner_texts()]


def chip_texts(page) -> list[str]:
    return [text.strip() for text in page.locator(".chip .chip-text").all_inner_texts()]


def selected(page, label: str) -> list[str]:
    return page.get_by_label(label, exact=True).evaluate(
        "select => Array.from(select.selectedOptions, option => option.value)"
    )


def test_filter_with_the_form_remove_a_chip_and_page_through(page, instruments):
    published = Instrument.objects.published()
    china_biodiversity = titles(published.for_country("CN").for_theme("biodiversity"))
    china = titles(published.for_country("CN"))
    assert len(china_biodiversity) > PAGE_SIZE
    assert "Probe China biodiversity draft" not in china_biodiversity
    assert "Probe Japan biodiversity 1" not in china_biodiversity

    page.goto(f"{instruments}/en/instruments/")
    page.get_by_label("Country", exact=True).select_option("CN")
    page.get_by_label("Theme", exact=True).select_option("biodiversity")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"/en/instruments/\?"))
    assert "country=CN" in page.url
    assert "theme=biodiversity" in page.url
    assert shown_titles(page) == china_biodiversity[:PAGE_SIZE]
    count = page.locator(".result-count")
    assert count.inner_text().startswith(f"{len(china_biodiversity)} results")
    assert chip_texts(page) == ["Country: China", "Theme: Biodiversity"]
    assert selected(page, "Country") == ["CN"]
    assert selected(page, "Theme") == ["biodiversity"]

    # Page 2 keeps both filters.
    page.locator(".pagination a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "country=CN" in page.url
    assert "theme=biodiversity" in page.url
    assert shown_titles(page) == china_biodiversity[PAGE_SIZE:]
    assert chip_texts(page) == ["Country: China", "Theme: Biodiversity"]
    assert selected(page, "Country") == ["CN"]
    assert selected(page, "Theme") == ["biodiversity"]
    page.locator(".pagination a[rel=prev]").click()
    page.wait_for_url(re.compile(r"page=1"))
    assert shown_titles(page) == china_biodiversity[:PAGE_SIZE]

    # Removing the theme chip widens the list to every Chinese instrument, back to page 1.
    page.locator(".chip-list .chip", has_text="Theme").click()
    page.wait_for_url(lambda url: "theme=" not in url)
    assert "country=CN" in page.url
    assert "page=" not in page.url
    assert count.inner_text().startswith(f"{len(china)} results")
    assert len(china) > len(china_biodiversity)
    assert shown_titles(page) == china[:PAGE_SIZE]
    # Left out before, now in (first page: the latest starts; PostgreSQL puts no date first).
    assert {"Probe China mathematics 1", "Probe China mathematics 2"} <= set(shown_titles(page))
    assert chip_texts(page) == ["Country: China"]
    assert selected(page, "Theme") == []
