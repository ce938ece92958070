"""A truthful status: from the dates only when they are known, read at their precision.

An end given as "December 2026" has not passed on 4 December 2026; a record with no date at all
is "status not known", never active, on the record, in the querysets and the status filter.
"""

import datetime

import pytest

from core.models import DateStatus, date_status, period_end, period_start, today
from instruments.models import Instrument
from partnerships.models import Agreement, Call
from tests.factories import AgreementFactory, CallFactory, InstrumentFactory, KindFactory

pytestmark = pytest.mark.django_db

DEC_4_2026 = datetime.date(2026, 12, 4)
DEC_2026 = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "precision", "first", "last"),
    [
        (datetime.date(2026, 12, 4), "day", datetime.date(2026, 12, 4), datetime.date(2026, 12, 4)),
        (datetime.date(2026, 12, 1), "month", DEC_2026, datetime.date(2026, 12, 31)),
        (
            datetime.date(2024, 2, 10),
            "month",
            datetime.date(2024, 2, 1),
            datetime.date(2024, 2, 29),
        ),
        (datetime.date(2026, 1, 1), "year", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_period_of_a_date_at_its_precision(value, precision, first, last):
    assert period_start(value, precision) == first
    assert period_end(value, precision) == last


@pytest.mark.parametrize(
    ("end_precision", "on", "expected"),
    [
        ("month", DEC_4_2026, DateStatus.ACTIVE),
        ("month", datetime.date(2026, 12, 31), DateStatus.ACTIVE),
        ("month", datetime.date(2027, 1, 1), DateStatus.ENDED),
        ("year", datetime.date(2026, 12, 31), DateStatus.ACTIVE),
        ("day", DEC_4_2026, DateStatus.ENDED),
    ],
)
def test_an_end_known_to_the_month_or_year_has_not_passed_before_the_period_is_over(
    end_precision, on, expected
):
    start = datetime.date(2021, 1, 1)
    assert date_status(start, DEC_2026, on=on, end_precision=end_precision) == expected
    InstrumentFactory(slug="ends-dec-2026", end_on=DEC_2026, end_on_precision=end_precision)
    for status in DateStatus.values:
        found = Instrument.objects.filter(slug="ends-dec-2026").with_status(status, on=on)
        assert found.exists() == (status == expected), status
    active = Instrument.objects.filter(slug="ends-dec-2026").active(on=on).exists()
    assert active == (expected == DateStatus.ACTIVE)


def test_a_start_known_to_the_year_has_come_on_the_first_day_of_that_year():
    InstrumentFactory(
        slug="starts-2027", start_on=datetime.date(2027, 1, 1), start_on_precision="year"
    )
    rows = Instrument.objects.filter(slug="starts-2027")
    assert rows.upcoming(on=datetime.date(2026, 12, 31)).exists()
    assert rows.active(on=datetime.date(2027, 6, 1)).exists()
    assert rows.get().date_status in {DateStatus.ACTIVE, DateStatus.UPCOMING}


def test_a_record_without_dates_has_no_status_but_unknown():
    undated = InstrumentFactory(slug="undated", start_on=None, end_on=None)
    assert undated.date_status == DateStatus.UNKNOWN
    assert date_status(None, None) == DateStatus.UNKNOWN
    rows = Instrument.objects.filter(slug="undated")
    assert not rows.active().exists()
    assert not rows.ended().exists()
    assert not rows.upcoming().exists()
    assert not rows.with_status("active", "ended", "upcoming").exists()
    assert not rows.during_year(2024).exists()
    assert list(rows.with_status("unknown")) == [undated]
    assert list(rows.status_unknown()) == [undated]


def test_undated_agreements_and_calls_are_not_in_force_or_open():
    agreement = AgreementFactory(signed_on=None, expires_on=None)
    call = CallFactory(opens_on=None, closes_on=None, projects_start=None)
    assert agreement.date_status == DateStatus.UNKNOWN
    assert call.date_status == DateStatus.UNKNOWN
    assert not call.is_open
    assert not Agreement.objects.filter(pk=agreement.pk).active().exists()
    assert not Call.objects.filter(pk=call.pk).active().exists()
    assert Call.objects.filter(pk=call.pk).with_status("unknown").exists()
    ranked = Call.objects.filter(pk=call.pk).open_first().get()
    assert ranked.open_rank == 2


def test_a_call_closing_in_a_month_is_open_until_that_month_is_over():
    call = CallFactory(
        opens_on=datetime.date(2026, 10, 1),
        opens_on_precision="month",
        closes_on=DEC_2026,
        closes_on_precision="month",
    )
    rows = Call.objects.filter(pk=call.pk)
    assert rows.active(on=DEC_4_2026).exists()
    assert rows.ended(on=datetime.date(2027, 1, 1)).exists()


# -- an end the sources leave open ---------------------------------------------------------------

ON = datetime.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("start", "precision", "expected"),
    [
        # Within one standard term (five years) of the day: still taken as running.
        (datetime.date(2022, 1, 1), "day", DateStatus.ACTIVE),
        # "2021" at year precision: the term counts from the year, not from 1 January.
        (datetime.date(2021, 1, 1), "year", DateStatus.ACTIVE),
        (datetime.date(2021, 1, 1), "day", DateStatus.UNKNOWN),
        # LIA HOMEN, "since 2011", no end given: the dates no longer tell.
        (datetime.date(2011, 1, 1), "year", DateStatus.UNKNOWN),
    ],
)
def test_an_open_end_holds_for_one_standard_term(start, precision, expected):
    assert date_status(start, None, on=ON, start_precision=precision) == expected
    row = InstrumentFactory(
        kind=KindFactory(code="IRP", term_years=5),
        start_on=start,
        start_on_precision=precision,
        end_on=None,
    )
    for status in ("active", "unknown"):
        found = Instrument.objects.with_status(status, on=ON).filter(pk=row.pk).exists()
        assert found == (status == expected)
    assert Instrument.objects.active(ON).filter(pk=row.pk).exists() == (expected == "active")
    assert Instrument.objects.status_unknown(ON).filter(pk=row.pk).exists() == (
        expected == "unknown"
    )


def test_a_recent_renewal_keeps_an_old_agreement_in_force():
    signed = datetime.date(1978, 10, 1)
    old = AgreementFactory(signed_on=signed, expires_on=None)
    renewed = AgreementFactory(
        signed_on=signed, expires_on=None, renewed_on=datetime.date(2023, 10, 19)
    )
    assert old.date_status == DateStatus.UNKNOWN
    assert renewed.date_status == DateStatus.ACTIVE
    assert list(Agreement.objects.filter(pk__in=[old.pk, renewed.pk]).active()) == [renewed]
    assert list(Agreement.objects.filter(pk__in=[old.pk, renewed.pk]).with_status("unknown")) == [
        old
    ]


def test_a_recent_source_keeps_an_open_end_running_for_one_term_of_its_kind():
    lab = KindFactory(code="IRL", term_years=5)
    reported = InstrumentFactory(
        kind=lab, start_on=datetime.date(1995, 1, 1), end_on=None, checked_on=ON.replace(year=2024)
    )
    silent = InstrumentFactory(kind=lab, start_on=datetime.date(1995, 1, 1), end_on=None)
    # UMIFRE and other standing structures have no set term: an open end holds.
    standing = InstrumentFactory(
        kind=KindFactory(code="UMIFRE"), start_on=datetime.date(1995, 1, 1), end_on=None
    )
    rows = Instrument.objects.filter(pk__in=[reported.pk, silent.pk, standing.pk])
    assert set(rows.active(ON)) == {reported, standing}
    assert list(rows.with_status("unknown", on=ON)) == [silent]
    assert silent.date_status == DateStatus.UNKNOWN
    assert reported.date_status == DateStatus.ACTIVE
    assert standing.date_status == DateStatus.ACTIVE


def test_an_old_open_end_is_active_only_during_its_term():
    row = InstrumentFactory(
        kind=KindFactory(code="IRP", term_years=5), start_on=datetime.date(2011, 1, 1), end_on=None
    )
    rows = Instrument.objects.filter(pk=row.pk)
    assert [year for year in range(2010, 2018) if rows.during_year(year).exists()] == list(
        range(2011, 2017)
    )


def test_a_call_with_no_deadline_is_open_for_a_year_at_most():
    now = today()
    recent = CallFactory(
        opens_on=now - datetime.timedelta(days=100), closes_on=None, projects_start=None
    )
    stale = CallFactory(
        opens_on=now - datetime.timedelta(days=800), closes_on=None, projects_start=None
    )
    assert recent.date_status == DateStatus.ACTIVE
    assert stale.date_status == DateStatus.UNKNOWN
    rows = Call.objects.filter(pk__in=[recent.pk, stale.pk])
    assert list(rows.active()) == [recent]
    assert list(rows.with_status("unknown")) == [stale]
