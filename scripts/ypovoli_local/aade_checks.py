"""The simulator's own business checks, written from AADE's error table (shared/reference/mydata-api.md
§1.6, §1.8), not from ypovoli's rules: the simulator must be able to disagree with the gateway, or
the paths where AADE says no would never be exercised.

It reads the InvoicesDoc's elements directly (no ypovoli model) and answers AADE's codes: 202 an
invalid Greek VAT number, 203 gross ≠ the other totals, 207/209/210 a total ≠ the sum of its lines,
260 an issue date after today (Athens). The uid is AADE's SHA-1. (Unknown codes and types are the
official XSD's to refuse, with 101, before these run.)
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")
#: Summary total → the line element it sums, and AADE's code when they differ.
LINE_SUMS = {"totalNetValue": ("netValue", "207"), "totalVatAmount": ("vatAmount", "209"),
             "totalWithheldAmount": ("withheldAmount", "210")}
TOLERANCE = Decimal("0.001")


def valid_greek_vat(value: str) -> bool:
    """The ΑΦΜ check digit: Σ dᵢ·2⁽⁸⁻ⁱ⁾ for the first eight digits, mod 11, mod 10 = the ninth."""
    if len(value) != 9 or not value.isdigit() or value == "0" * 9:
        return False
    total = sum(int(d) << (8 - i) for i, d in enumerate(value[:8]))
    return total % 11 % 10 == int(value[8])


def _local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _child(element: Any, name: str) -> Any:
    return next((c for c in element if _local(c) == name), None) if element is not None else None


def _text(element: Any, *path: str) -> str:
    for name in path:
        element = _child(element, name)
    return (element.text or "").strip() if element is not None else ""


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def uid_of(invoice: Any) -> str:
    """AADE's uid: SHA-1 of issuerVat-issueDate-branch-invoiceType-series-aa (ISO-8859-7)."""
    parts = [_text(invoice, "issuer", "vatNumber"), _text(invoice, "invoiceHeader", "issueDate"),
             _text(invoice, "issuer", "branch") or "0", _text(invoice, "invoiceHeader", "invoiceType"),
             _text(invoice, "invoiceHeader", "series"), _text(invoice, "invoiceHeader", "aa")]
    variation = _text(invoice, "invoiceHeader", "invoiceVariationType")
    if variation:
        parts.append(variation)
    raw = "-".join(parts).encode("iso-8859-7", errors="replace")
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest().upper()


def business_errors(invoice: Any, now: datetime) -> list[tuple[str, str]]:
    """AADE's ValidationError entries for one ``invoice`` element (empty: it would be registered)."""
    errors: list[tuple[str, str]] = []
    for role in ("issuer", "counterpart"):
        party = _child(invoice, role)
        if party is None:
            continue
        vat, country = _text(party, "vatNumber"), _text(party, "country")
        if country == "GR" and not valid_greek_vat(vat):
            errors.append(("202", f"{role} VAT number {vat} is not a valid Greek VAT number"))
    lines = [c for c in invoice if _local(c) == "invoiceDetails"]
    summary = _child(invoice, "invoiceSummary")
    for total, (line_field, code) in LINE_SUMS.items():
        declared = _amount(_text(summary, total))
        if abs(declared - sum((_amount(_text(line, line_field)) for line in lines), Decimal(0))) > TOLERANCE:
            errors.append((code, f"{total} is not equal to the sum of the invoice lines"))
    totals = {name: _amount(_text(summary, name)) for name in (
        "totalNetValue", "totalVatAmount", "totalWithheldAmount", "totalFeesAmount", "totalStampDutyAmount",
        "totalOtherTaxesAmount", "totalDeductionsAmount", "totalGrossValue")}
    gross = (totals["totalNetValue"] + totals["totalVatAmount"] - totals["totalWithheldAmount"]
             + totals["totalFeesAmount"] + totals["totalStampDutyAmount"] + totals["totalOtherTaxesAmount"]
             - totals["totalDeductionsAmount"])
    if abs(totals["totalGrossValue"] - gross) > TOLERANCE:
        errors.append(("203", "totalGrossValue is not equal to the sum of the other totals"))
    try:
        issued = date.fromisoformat(_text(invoice, "invoiceHeader", "issueDate"))
    except ValueError:
        errors.append(("101", "issueDate is not a date"))
    else:
        if issued > now.astimezone(ATHENS).date():
            errors.append(("260", "IssueDate must be earlier than or equal to today"))
    return errors
