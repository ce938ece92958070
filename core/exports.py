"""Lists as files: CSV (UTF-8 with a BOM, for spreadsheet programs) and XLSX, both streamed.

Each resource describes its columns once (``Column``); the same description serves the
downloads beside the public lists (one language, readable cells) and the open-data dump
(identifiers, both languages). Export views filter with the resource's shared FilterSet.
"""

import csv
import datetime
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from core import conditional
from core.dates import as_given
from core.models import DateStatus, Institute, Theme, today
from core.spreadsheets import csv_text, xlsx_text

BOM = "\ufeff"
SEPARATOR = "; "
QUOTED = ('"', ";")
CHUNK_SIZE = 500
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Column:
    """One column of a resource: its key (open data), label (downloads) and how to read it.

    ``value`` gives what a program wants (identifiers, codes); ``display`` what a person reads
    (names), defaulting to ``value``. A ``translated`` column is the modeltranslation field
    ``key``: one column in the page's language, ``key_fr`` and ``key_en`` in the open data.
    """

    key: str
    label: Any
    value: Callable | None = None
    display: Callable | None = None
    translated: bool = False

    def get(self, obj):
        return self.value(obj) if self.value else getattr(obj, self.key)

    def show(self, obj):
        return self.display(obj) if self.display else self.get(obj)

    def open_data_keys(self) -> list[str]:
        if self.translated:
            return [f"{self.key}_{code}" for code in LANGUAGES]
        return [self.key]

    def open_data_values(self, obj) -> list:
        if self.translated:
            return [getattr(obj, f"{self.key}_{code}") for code in LANGUAGES]
        return [self.get(obj)]


def themes_prefetch(lookup: str = "themes"):
    return Prefetch(lookup, queryset=Theme.objects.order_by("order", "slug"), to_attr="theme_list")


def public(obj):
    """A related record when it is published, else ``None`` (drafts never leak out)."""
    if obj is None or not getattr(obj, "is_published", True):
        return None
    return obj


def codes(items, attribute="slug") -> list[str]:
    return [str(getattr(item, attribute)) for item in items]


def names(items) -> list[str]:
    return [str(item) for item in items]


def slug_of(obj) -> str | None:
    obj = public(obj)
    return obj.slug if obj is not None else None


def name_of(obj) -> str | None:
    obj = public(obj)
    return str(obj) if obj is not None else None


def status_label(value) -> str:
    return str(DateStatus(value).label) if value else ""


def date_columns(key: str, label, precision_label=None) -> list[Column]:
    """A date as its source gives it (``1978-10``, ``1978`` or the full date), then its precision.

    The precision is the model field ``<key>_precision``: its code in the open data (``month``),
    its label in the downloads; empty when there is no date.
    """
    precision = f"{key}_precision"

    def code(obj):
        return getattr(obj, precision) if getattr(obj, key) is not None else None

    def label_of(obj):
        return getattr(obj, f"get_{precision}_display")() if code(obj) else None

    return [
        Column(key, label, lambda o: as_given(getattr(o, key), getattr(o, precision))),
        Column(
            precision,
            precision_label or format_lazy(_("{date} (precision)"), date=label),
            code,
            label_of,
        ),
    ]


def common_columns() -> list[Column]:
    """Provenance and timestamps, at the end of every publishable resource."""
    return [
        Column("source_title", _("Source")),
        Column("source_url", _("Source link")),
        Column("checked_on", _("Last checked")),
        Column("created", _("Created"), lambda o: o.created_at),
        Column("modified", _("Modified"), lambda o: o.updated_at),
    ]


def reference_source_columns() -> list[Column]:
    return [
        Column("source_title", _("Source")),
        Column("source_url", _("Source link")),
        Column("checked_on", _("Last checked")),
    ]


# -- cells ---------------------------------------------------------------------------------------


def join_items(items) -> str:
    """Several values in one cell, separated by ``; ``; a value containing ``;`` or ``"`` is put
    in double quotes, its own quotes doubled, as CSV does (``"Smith; Jones lab"; CAS``), so
    ``csv.reader([cell], delimiter=";", skipinitialspace=True)`` gives the values back."""
    parts = []
    for item in items:
        text = str(item)
        if any(mark in text for mark in QUOTED) or text != text.strip():
            text = '"' + text.replace('"', '""') + '"'
        parts.append(text)
    return SEPARATOR.join(parts)


def plain(value):
    """A cell's value for CSV and XLSX: text, number or date; lists joined; moments in UTC.

    A moment (``created``, ``modified``) is written in UTC, to the second: ISO 8601 with ``Z`` in
    CSV (``2024-06-01T08:00:00Z``), a date-time cell shown the same way in XLSX.
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return join_items(plain(item) for item in value if item not in (None, ""))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.date | int | float | decimal.Decimal):
        return value
    return str(value)


def as_text(value) -> str:
    value = plain(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat() + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def safe_for_spreadsheet(value) -> str:
    """A CSV cell's text that a spreadsheet program will not run (``core.spreadsheets``)."""
    plain_value = plain(value)
    return csv_text(plain_value) if isinstance(plain_value, str) else as_text(value)


class Echo:
    """A file-like object whose ``write`` hands the line back (for ``csv.writer`` streaming)."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list], *, language: str, bom=True, safe=True):
    """The CSV text, line by line, rendered in ``language`` even after the view has returned."""
    writer = csv.writer(Echo())
    with translation.override(language):
        first = writer.writerow([str(label) for label in header])
        yield (BOM + first) if bom else first
        for row in rows:
            cells = [safe_for_spreadsheet(v) if safe else as_text(v) for v in row]
            yield writer.writerow(cells)


def attachment(response, filename: str):
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def csv_response(filename: str, header, rows) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows, language=translation.get_language()),
        content_type="text/csv; charset=utf-8",
    )
    return attachment(response, filename)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MOMENT_FORMAT = 'yyyy-mm-dd"T"hh:mm:ss"Z"'
XLSX_ROWS_PER_CHUNK = 200


def xlsx_cell(value):
    value = plain(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def xlsx_moment(sheet, value):
    """A cell for ``value``: a text as a string cell (never a formula, ``core.spreadsheets``), a
    UTC moment as a date-time cell that says so (``2024-06-01T08:00:00Z``)."""
    if isinstance(value, str):
        return xlsx_text(sheet, value)
    if not isinstance(value, datetime.datetime):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = XLSX_MOMENT_FORMAT
    return cell


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(text))
    return cleaned.strip()[:31] or "Sheet"


class ZipSink:
    """A write-only, unseekable file for ``zipfile``: what is written waits in ``take()``.

    ``zipfile`` writes to an unseekable file with data descriptors (sizes after each member),
    so every byte can leave as soon as it is written.
    """

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_chunks(sheets, *, language: str, rows_per_chunk: int = XLSX_ROWS_PER_CHUNK):
    """A workbook with one sheet per ``(title, header, rows)``, as bytes while it is built.

    openpyxl's write-only mode writes each row as it comes; here its worksheet writer writes
    straight into the zip member (not into a temporary file), and the zip goes to a
    ``ZipSink`` emptied every ``rows_per_chunk`` rows: the first bytes leave before the first row
    is read, and only a chunk's rows are ever held. The other parts of the file (properties,
    styles, workbook, manifest) are written as openpyxl's ``ExcelWriter.write_data`` writes them;
    styles come after the sheets, so a cell's style (a UTC moment, a text marked as text) is known
    by then.
    """
    import zipfile

    from openpyxl import Workbook
    from openpyxl.packaging.extended import ExtendedProperties
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.styles.stylesheet import write_stylesheet
    from openpyxl.workbook._writer import WorkbookWriter
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter
    from openpyxl.writer.theme import theme_xml
    from openpyxl.xml.constants import (
        ARC_APP,
        ARC_CORE,
        ARC_ROOT_RELS,
        ARC_STYLE,
        ARC_THEME,
        ARC_WORKBOOK,
        ARC_WORKBOOK_RELS,
    )
    from openpyxl.xml.functions import tostring

    sink = ZipSink()
    with translation.override(language):
        workbook = Workbook(write_only=True)
        workbook.properties.modified = timezone.now().astimezone(datetime.UTC).replace(tzinfo=None)
        archive = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        writer = ExcelWriter(workbook, archive)
        archive.writestr(ARC_APP, tostring(ExtendedProperties().to_tree()))
        archive.writestr(ARC_CORE, tostring(workbook.properties.to_tree()))
        archive.writestr(ARC_THEME, theme_xml)
        yield sink.take()
        sheets = list(sheets) or [("Sheet", [], [])]
        for index, (title, header, rows) in enumerate(sheets, 1):
            sheet = workbook.create_sheet(sheet_title(title))
            sheet._id = index
            with archive.open(sheet.path[1:], "w", force_zip64=True) as member:
                sheet._writer = WorksheetWriter(sheet, out=member)
                sheet._writer.write_top()
                if header:
                    sheet.append([str(label) for label in header])
                for count, row in enumerate(rows, 1):
                    sheet.append([xlsx_moment(sheet, xlsx_cell(value)) for value in row])
                    if count % rows_per_chunk == 0:
                        yield sink.take()
                sheet.close()
            writer.manifest.append(sheet)
            if sheet._writer._rels:
                archive.writestr(
                    get_rels_path(sheet.path)[1:], tostring(sheet._writer._rels.to_tree())
                )
            yield sink.take()
        archive.writestr(ARC_STYLE, tostring(write_stylesheet(workbook)))
        book = WorkbookWriter(workbook)
        archive.writestr(ARC_ROOT_RELS, book.write_root_rels())
        archive.writestr(ARC_WORKBOOK, book.write())
        archive.writestr(ARC_WORKBOOK_RELS, book.write_rels())
        writer.manifest._write(archive, workbook)
        archive.close()
    yield sink.take()


def xlsx_response(filename: str, sheets) -> StreamingHttpResponse:
    """A workbook with one sheet per ``(title, header, rows)``, streamed as it is built
    (``xlsx_chunks``), in the language of the request."""
    response = StreamingHttpResponse(
        xlsx_chunks(sheets, language=translation.get_language()), content_type=XLSX_TYPE
    )
    return attachment(response, filename)


# -- views ---------------------------------------------------------------------------------------


def filter_errors_text(errors) -> str:
    lines = [gettext("Invalid filter value:")]
    for name, messages in errors.items():
        for message in messages:
            lines.append(f"- {name}: {message}")
    return "\n".join(lines) + "\n"


def bad_request(errors) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(
        filter_errors_text(errors), content_type="text/plain; charset=utf-8"
    )


def page_link(request, obj) -> str:
    """The address of the record's public page; empty for a record without one (a milestone)."""
    get_absolute_url = getattr(obj, "get_absolute_url", None)
    if get_absolute_url is None:
        return ""
    try:
        return request.build_absolute_uri(get_absolute_url())
    except NoReverseMatch:  # a key its page's address cannot take
        return ""


class ExportView(View):
    """A public list as a CSV or XLSX file: the list's FilterSet, published records only."""

    filterset_class = None
    columns: Callable[[], list[Column]] | None = None
    basename = "export"
    title = ""
    file_format = "csv"

    def get_queryset(self):
        raise NotImplementedError

    def get_columns(self) -> list[Column]:
        return self.columns()

    def header(self, columns) -> list:
        return [*(column.label for column in columns), _("Page")]

    def rows(self, queryset, columns):
        request = self.request
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [*(column.show(obj) for column in columns), page_link(request, obj)]

    def filename(self) -> str:
        language = translation.get_language()
        return f"{self.basename}-{language}-{today():%Y-%m-%d}.{self.file_format}"

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            return bad_request(filterset.errors)

        def produce():
            columns = self.get_columns()
            rows = self.rows(filterset.qs, columns)
            if self.file_format == "xlsx":
                return xlsx_response(
                    self.filename(), [(self.title or self.basename, self.header(columns), rows)]
                )
            return csv_response(self.filename(), self.header(columns), rows)

        return conditional.serve(
            request,
            produce,
            etag_parts=(translation.get_language(), self.file_format, today().isoformat()),
            streamed=True,
        )


# -- core resources (open data) -------------------------------------------------------------------


def theme_columns() -> list[Column]:
    return [
        Column("slug", _("Identifier")),
        Column("name", _("Name"), translated=True),
        Column("parent", _("Parent theme"), lambda o: o.parent.slug if o.parent else None),
        Column("description", _("Description"), translated=True),
        *reference_source_columns(),
    ]


def institute_columns() -> list[Column]:
    return [
        Column("code", _("Code")),
        Column("name", _("Name"), translated=True),
        Column("usage_name", _("Usage name"), translated=True),
        Column("description", _("Description"), translated=True),
        Column("website", _("Website")),
        *reference_source_columns(),
    ]


def public_themes():
    return Theme.objects.select_related("parent")


def public_institutes():
    return Institute.objects.all()
