"""What a page really shows: the query-count tests check the rows they count were rendered."""

from django.utils import translation
from django.utils.html import escape

# The sizes every page's query count is measured at: one row, and a full page of rows (20).
SIZES = [1, 20]


def link(path: str) -> str:
    """How a page links to ``path``."""
    return f'href="{escape(path)}"'


def assert_rendered(response, records, lang="en"):
    """Each record is on the page: a link to its public page, or its title if it has none.

    A string stands for itself (``link(...)`` for a link the page gives a record elsewhere).
    """
    content = response.content.decode()
    with translation.override(lang):
        wanted = {
            str(record): (
                record
                if isinstance(record, str)
                else link(record.get_absolute_url())
                if hasattr(record, "get_absolute_url")
                else escape(getattr(record, "title", None) or str(record))
            )
            for record in records
        }
    missing = [name for name, text in wanted.items() if text not in content]
    assert not missing, f"not on the page: {missing}"
