"""One rule for every spreadsheet the portal writes: a value is text, never a formula.

A cell typed by someone (``=HYPERLINK(…)``, ``+33 1 44 96 40 00``, ``@cmd``) must not run in the
spreadsheet program of whoever opens the file. Every writer goes through this module: the public
downloads (``core/exports.py``), the open-data CSVs (``cnrs_intl/open_data.py``) and the admin's
export (django-import-export, ``SafeCSV``/``SafeXLSX`` below).

- **XLSX**: text is written as a string cell (``t="inlineStr"``, openpyxl's ``data_type`` "s"),
  never as a formula cell; a text that looks like a formula is also marked ``quotePrefix``, so it
  stays text when someone edits it. The reader sees exactly the text, without an apostrophe.
- **CSV**: a CSV file has no cell types, so the OWASP rule applies (CSV injection): a text cell
  starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``,
  which spreadsheet programs read as "this is text". A plain number (``-12``, ``+3.5``) is left
  as it is: a spreadsheet reads it as the number it is, nothing runs.
"""

import re

from import_export.formats.base_formats import CSV, XLSX

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def csv_text(value):
    """A CSV cell that no spreadsheet program runs (OWASP): text only, other values unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def clean_xlsx_text(text: str) -> str:
    """Text without the control characters an XLSX file cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def xlsx_text(sheet, text: str):
    """A string cell holding ``text`` as it is: never a formula, whatever its first character."""
    from openpyxl.cell import WriteOnlyCell

    text = clean_xlsx_text(text)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl types a text starting with "=" as a formula
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def xlsx_row(sheet, values) -> list:
    """A row for ``sheet.append``: every text as a string cell, other values as they are."""
    return [xlsx_text(sheet, value) if isinstance(value, str) else value for value in values]


class SafeCSV(CSV):
    """The admin's CSV export with the OWASP rule on every text cell."""

    def export_data(self, dataset, **kwargs):
        import tablib

        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([csv_text(value) for value in row])
        return super().export_data(safe, **kwargs)


class SafeXLSX(XLSX):
    """The admin's XLSX export: every text a string cell (tablib would write formulas)."""

    def export_data(self, dataset, **kwargs):
        from io import BytesIO

        from openpyxl import Workbook

        from core.exports import sheet_title

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(sheet_title(dataset.title or "Export"))
        if dataset.headers:
            sheet.append(xlsx_row(sheet, [str(header) for header in dataset.headers]))
        for row in dataset:
            sheet.append(xlsx_row(sheet, row))
        stream = BytesIO()
        workbook.save(stream)
        return stream.getvalue()
