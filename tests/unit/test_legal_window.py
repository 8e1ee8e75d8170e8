"""The transmission window as seed 004 words it (issue 12 §8).

Seed 004 (TF2): «ο Πάροχος τα διαβιβάζει … με την αποκατάσταση της διασύνδεσης … εντός μίας (1)
ημέρας από την ημερομηνία έκδοσης εκάστου παραστατικού» — counted from the issue *date*, in Athens
days, to the end of that day; and a day ends at 00:00 of the next, not at 23:59:59."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ypovoli.deadlines import ATHENS, END_OF_DAY, end_of_athens_day
from ypovoli.kinds.mydata_invoice.deadlines import invoice_due_at, invoice_grace_until
from ypovoli.kinds.mydata_invoice.model import Invoice
from ypovoli.kinds.mydata_invoice.rules import check_date
from ypovoli.settings import Channel

from tests.factories import invoice


def test_mydata_late_provider_window_ends_with_the_day_after_the_issue_date_not_24_hours_after_reception() -> None:
    issued = date(2026, 11, 23)
    received = datetime(2026, 11, 23, 9, 30, tzinfo=ATHENS)
    due = invoice_due_at(issued, Channel.PROVIDER, received)
    grace = invoice_grace_until(issued, Channel.PROVIDER, due)
    assert grace == end_of_athens_day(date(2026, 11, 24))
    assert grace > received + timedelta(hours=24)  # 24 h from reception would end at 09:30 — too early


def test_mydata_late_a_day_ends_at_midnight_not_a_second_before() -> None:
    grace = invoice_grace_until(date(2026, 11, 21), Channel.ERP,
                                invoice_due_at(date(2026, 11, 21), Channel.ERP, datetime(2026, 11, 21, 8, tzinfo=UTC)))
    half_a_second_before_midnight = datetime(2026, 11, 23, 23, 59, 59, 500000, tzinfo=ATHENS)
    doc = Invoice.model_validate(invoice(issue_date=date(2026, 11, 21)))
    assert check_date(doc, half_a_second_before_midnight, grace) == []  # still in time
    midnight = datetime(2026, 11, 24, 0, 0, tzinfo=ATHENS)
    assert [f.code for f in check_date(doc, midnight, grace)] == ["MYDATA-DATE"]  # now late
    assert END_OF_DAY.microsecond == 999999
