"""Lists as files: CSV (UTF-8 with a BOM, for spreadsheet programs) and XLSX, both streamed.

Each resource describes its columns once (``Column``); the same description serves the
downloads beside the public lists (one language, readable cells) and the open-data dump
(identifiers, both languages). Export views filter with the resource's shared FilterSet.
"""

import csv
import datetime
import decimal
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
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


def xlsx_response(filename: str, sheets) -> FileResponse:
    """A workbook with one sheet per ``(title, header, rows)``.

    openpyxl's write-only mode keeps only the current row in memory; the file is spooled to
    disk past a few megabytes and streamed from there.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        sheet.append([str(label) for label in header])
        for row in rows:
            sheet.append([xlsx_moment(sheet, xlsx_cell(value)) for value in row])
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_TYPE)
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
