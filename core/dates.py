"""Dates shown as precisely as their source gives them: "1978", "October 1978" or a full date.

A date known only to the month or the year is stored as a day of it (a ``DateField`` needs one)
beside a ``<field>_precision`` (``core.models.DatePrecision``). Pages, feeds, exports and the
open data read it through these functions so the stored day is never shown as if it were known.
"""

import datetime

from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext, pgettext

from core.models import DatePrecision

# Django's localised formats (django/conf/locale/<lang>/formats.py) for each precision.
DISPLAY_FORMATS = {
    DatePrecision.DAY: "DATE_FORMAT",
    DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
    DatePrecision.YEAR: "Y",
}


def _precision(precision) -> DatePrecision:
    try:
        return DatePrecision(precision or DatePrecision.DAY)
    except ValueError:
        return DatePrecision.DAY


def format_precise_date(value: datetime.date | None, precision=DatePrecision.DAY) -> str:
    """``24 novembre 2023``, ``octobre 1978`` or ``1978`` in the active language; ``""`` for none."""
    if value is None:
        return ""
    return date_filter(value, DISPLAY_FORMATS[_precision(precision)])


def precise_iso(value: datetime.date | None, precision=DatePrecision.DAY) -> str:
    """ISO 8601 at the source's precision: ``2023-11-24``, ``1978-10`` or ``1978``."""
    if value is None:
        return ""
    precision = _precision(precision)
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def as_given(value: datetime.date | None, precision=DatePrecision.DAY):
    """A date for a file cell: the date itself when the day is known, else its ISO text."""
    if value is None or _precision(precision) == DatePrecision.DAY:
        return value
    return precise_iso(value, precision)


def format_precise_span(start, start_precision, end, end_precision) -> str:
    """``octobre 1978 – 24 novembre 2023``, ``since 2021``, ``until 2027`` or ``""``."""
    first = format_precise_date(start, start_precision)
    last = format_precise_date(end, end_precision)
    if first and last:
        return first if first == last else f"{first} – {last}"
    # French says "depuis le 24 novembre 2023" but "depuis octobre 1978", "depuis 1978".
    if first:
        if _precision(start_precision) == DatePrecision.DAY:
            return pgettext("full date", "since %(start)s") % {"start": first}
        return gettext("since %(start)s") % {"start": first}
    if last:
        if _precision(end_precision) == DatePrecision.DAY:
            return pgettext("full date", "until %(end)s") % {"end": last}
        return gettext("until %(end)s") % {"end": last}
    return ""
