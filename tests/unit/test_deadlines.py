from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from ypovoli.clock import ATHENS, FixedClock, OffsetClock
from ypovoli.deadlines import add_athens_days, grace_until
from ypovoli.kinds.mydata_invoice.deadlines import invoice_due_at
from ypovoli.settings import Channel

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def test_erp_due_is_end_of_next_athens_day() -> None:
    due = invoice_due_at(date(2026, 6, 1), Channel.ERP, NOW)
    assert due.isoformat() == "2026-06-02T23:59:59.999999+03:00"


def test_provider_due_is_reception_but_never_after_issue_day() -> None:
    assert invoice_due_at(date(2026, 6, 1), Channel.PROVIDER, NOW) == NOW.astimezone(ATHENS)
    late = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
    assert invoice_due_at(date(2026, 6, 1), Channel.PROVIDER, late).isoformat() == "2026-06-01T23:59:59.999999+03:00"


def test_grace_is_one_athens_day_across_spring_forward() -> None:
    due = datetime(2026, 3, 28, 23, 59, 59, tzinfo=ATHENS)  # clocks go forward on 29 March 2026
    grace = grace_until(due)
    assert grace.isoformat() == "2026-03-29T23:59:59+03:00"
    assert grace.astimezone(UTC) - due.astimezone(UTC) == timedelta(hours=23)


def test_grace_is_one_athens_day_across_fall_back() -> None:
    due = datetime(2026, 10, 24, 23, 59, 59, tzinfo=ATHENS)  # clocks go back on 25 October 2026
    grace = grace_until(due)
    assert grace.isoformat() == "2026-10-25T23:59:59+02:00"
    assert grace.astimezone(UTC) - due.astimezone(UTC) == timedelta(hours=25)


def test_grace_length_is_a_setting() -> None:
    due = datetime(2026, 6, 1, 23, 59, 59, tzinfo=ATHENS)
    assert grace_until(due, 2).isoformat() == "2026-06-03T23:59:59+03:00"


def test_add_athens_days_keeps_wall_time() -> None:
    # 00:30 UTC on 29 March is 02:30 in Athens (+02:00, just before the jump); a day later it is
    # 02:30 again, now at +03:00.
    moved = add_athens_days(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 1)
    assert moved.isoformat() == "2026-03-30T02:30:00+03:00"


def test_clocks_move_forward_only() -> None:
    offset = OffsetClock()
    before = offset.now()
    after = offset.advance(timedelta(hours=26))
    assert after - before >= timedelta(hours=26)
    fixed = FixedClock(NOW)
    assert fixed.advance(timedelta(minutes=1)) == NOW + timedelta(minutes=1)
    with pytest.raises(ValueError, match="forward"):
        offset.advance(timedelta(seconds=-1))
