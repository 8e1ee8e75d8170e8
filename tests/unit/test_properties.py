"""Property-based tests (hypothesis): the totals rule accepts every consistent invoice and refuses
every one changed by €0.02 or more; the window is one Athens day across both DST changes; dedup keys
survive JSON ↔ XML round trips; ΠΣΚΕ A4 cuts exactly the excess."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ypovoli.deadlines import ATHENS, grace_until
from ypovoli.kinds.mydata_invoice.aade.uid import invoice_uid
from ypovoli.kinds.mydata_invoice.aade.xml import build_invoices_doc, parse_invoices_doc
from ypovoli.kinds.mydata_invoice.deadlines import invoice_due_at
from ypovoli.kinds.mydata_invoice.model import Invoice
from ypovoli.kinds.mydata_invoice.rules import check_totals
from ypovoli.kinds.pske.model import PaymentRequestBody
from ypovoli.kinds.pske.rules import validate_request
from ypovoli.settings import Channel

from tests.factories import multi_line_invoice
from tests.pske_factory import clean_request

CATEGORIES = [1, 2, 3, 4, 5, 6]
cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
lines = st.lists(st.tuples(cents, st.sampled_from(CATEGORIES)), min_size=1, max_size=10)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: The ERP channel's window depends on the issue date only; the moment of receipt is pinned anyway.
RECEIVED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@FAST
@given(lines)
def test_mydata_totals_accepts_every_internally_consistent_invoice(data: list[tuple[Decimal, int]]) -> None:
    assert check_totals(Invoice.model_validate(multi_line_invoice(data))) == []


@FAST
@given(lines, st.sampled_from(["totalNetValue", "totalVatAmount", "totalGrossValue"]),
       st.integers(min_value=2, max_value=100_000), st.booleans())
def test_mydata_totals_refuses_every_total_changed_by_two_cents_or_more(
        data: list[tuple[Decimal, int]], field: str, delta_cents: int, up: bool) -> None:
    body = multi_line_invoice(data)
    value = Decimal(body["invoiceSummary"][field]) + (Decimal(delta_cents) / 100) * (1 if up else -1)
    if value < 0:
        value = Decimal(body["invoiceSummary"][field]) + Decimal(delta_cents) / 100
    body["invoiceSummary"][field] = str(value)
    assert [f.code for f in check_totals(Invoice.model_validate(body))] != []


@FAST
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=3))
def test_window_is_n_athens_calendar_days_across_dst(issue: date, days: int) -> None:
    due = invoice_due_at(issue, Channel.ERP, RECEIVED)
    grace = grace_until(due, days)
    local_due, local_grace = due.astimezone(ATHENS), grace.astimezone(ATHENS)
    assert local_grace.date() - local_due.date() == timedelta(days=days)
    assert (local_grace.hour, local_grace.minute, local_grace.second, local_grace.microsecond) == (23, 59, 59, 999999)
    # Real elapsed time differs from 24 h only across a DST change, by exactly one hour.
    elapsed = grace.astimezone(UTC) - due.astimezone(UTC)
    assert abs(elapsed - timedelta(days=days)) in (timedelta(0), timedelta(hours=1))


def _hours(issue: date) -> float:
    due = invoice_due_at(issue, Channel.ERP, RECEIVED)
    # Subtract in UTC: Python subtracts two datetimes sharing a tzinfo as wall-clock times.
    return (grace_until(due).astimezone(UTC) - due.astimezone(UTC)).total_seconds() / 3600


def test_window_across_both_dst_changes_of_2026() -> None:
    assert _hours(date(2026, 3, 27)) == 23   # 28 Mar 23:59:59 → 29 Mar 23:59:59, clocks go forward
    assert _hours(date(2026, 3, 28)) == 24
    assert _hours(date(2026, 10, 23)) == 25  # 24 Oct → 25 Oct, clocks go back
    assert _hours(date(2026, 10, 24)) == 24


series = st.text(alphabet="ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩABCXYZ0123456789-", min_size=1, max_size=20)


@FAST
@given(series, st.integers(min_value=1, max_value=10**9).map(str), st.dates(date(2020, 1, 1), date(2026, 11, 23)),
       st.integers(min_value=0, max_value=999))
def test_dedup_key_is_stable_under_json_xml_round_trips(s: str, aa: str, day: date, branch: int) -> None:
    body = multi_line_invoice([(Decimal("10.00"), 1)])
    body["invoiceHeader"].update(series=s, aa=aa, issueDate=day.isoformat())
    body["issuer"]["branch"] = branch
    original = Invoice.model_validate(body)
    [back] = parse_invoices_doc(build_invoices_doc([original]))
    again = Invoice.model_validate(back.model_dump(mode="json", exclude_none=True))
    assert invoice_uid(original) == invoice_uid(back) == invoice_uid(again)
    assert back == original


@FAST
@given(st.integers(min_value=0, max_value=500_000))
def test_pske_a4_cut_is_exactly_the_excess_over_the_approved_value(extra_cents: int) -> None:
    data = clean_request()
    excess = Decimal(extra_cents) / 100
    requested = Decimal("1415.00") + excess
    data["expense_links"][0]["unit_price"] = str(requested)
    net = requested + Decimal("319.80")
    gross = (net * Decimal("1.24")).quantize(Decimal("0.01"))
    data["invoices"][0].update(net_value=str(net), gross_value=str(gross))
    data["payments"][0]["amount"] = str(gross)
    data["payment_links"][0]["amount"] = str(gross)
    cuts = [c for c in validate_request(PaymentRequestBody.model_validate(data)).cuts if c.code == "PSKE-A4-APPROVED"]
    assert sum((c.cut for c in cuts), Decimal(0)) == excess
