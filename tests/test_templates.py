"""The templates: one skeleton per page kind, and lines short enough to read and review.

Read as files, not rendered: a list page extends templates/layouts/list.html, a record page
templates/layouts/record.html, and no line of any template is over 160 characters.
"""

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MAX_LINE = 160

# The filtered lists: breadcrumb, header, filters, notices, chips, count, downloads, pagination.
LIST_PAGES = [
    "instruments/instrument_list.html",
    "instruments/network_list.html",
    "partnerships/agreement_list.html",
    "partnerships/institution_list.html",
    "partnerships/call_list.html",
    "offices/office_list.html",
]

# One record each: head (OpenGraph, JSON-LD), breadcrumb, draft banner, header, source box.
RECORD_PAGES = [
    "instruments/instrument_detail.html",
    "instruments/network_detail.html",
    "partnerships/agreement_detail.html",
    "partnerships/institution_detail.html",
    "partnerships/call_detail.html",
    "offices/office_detail.html",
]


def first_line(name):
    return (TEMPLATES / name).read_text(encoding="utf-8").splitlines()[0]


def test_no_template_line_is_over_160_characters():
    too_long = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if len(line) > MAX_LINE:
                too_long.append(f"templates/{name}:{number} ({len(line)} characters)")
    assert not too_long, "Lines over 160 characters:\n" + "\n".join(too_long)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_list_page_extends_the_list_skeleton(name):
    assert first_line(name).startswith('{% extends "layouts/list.html" %}'), name


@pytest.mark.parametrize("name", RECORD_PAGES)
def test_every_record_page_extends_the_record_skeleton(name):
    assert first_line(name).startswith('{% extends "layouts/record.html" %}'), name


@pytest.mark.parametrize("name", ["layouts/list.html", "layouts/record.html"])
def test_the_skeletons_extend_the_base_layout(name):
    assert first_line(name).startswith('{% extends "base.html" %}'), name
