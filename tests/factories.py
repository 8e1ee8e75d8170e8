"""Invoices for tests: the shipped sample (examples/invoice.json), and consistent variants of it."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
ISSUER = "800123456"
OTHER_AFM = "997123453"
COUNTERPART = "090000045"


def event(name: str) -> dict[str, Any]:
    return dict(json.loads((EVENTS / name).read_text(encoding="utf-8")))


def invoice(aa: str = "101", issue_date: date | None = None, issuer: str = ISSUER, **header: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(json.loads((ROOT / "examples" / "invoice.json").read_text(encoding="utf-8")))
    data["issuer"]["vatNumber"] = issuer
    data["invoiceHeader"]["aa"] = aa
    if issue_date is not None:
        data["invoiceHeader"]["issueDate"] = issue_date.isoformat()
    data["invoiceHeader"].update(header)
    return data


def multi_line_invoice(lines: list[tuple[Decimal, int]], aa: str = "7") -> dict[str, Any]:
    """An internally consistent invoice of (net, vatCategory) lines."""
    rates = {1: 24, 2: 13, 3: 6, 4: 17, 5: 9, 6: 4, 9: 3, 10: 4}
    data = invoice(aa=aa)
    details, net_total, vat_total = [], Decimal(0), Decimal(0)
    for i, (net, category) in enumerate(lines, start=1):
        vat = (net * rates[category] / 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        details.append({"lineNumber": i, "netValue": str(net), "vatCategory": category, "vatAmount": str(vat)})
        net_total += net
        vat_total += vat
    data["invoiceDetails"] = details
    data["paymentMethods"]["paymentMethodDetails"][0]["amount"] = str(net_total + vat_total)
    data["invoiceSummary"] = {"totalNetValue": str(net_total), "totalVatAmount": str(vat_total),
                              "totalGrossValue": str(net_total + vat_total)}
    return data
