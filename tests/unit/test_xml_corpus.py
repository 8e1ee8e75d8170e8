"""The InvoicesDoc text is byte-identical to what it was before the emitter was made faster (issue 17
§1): a corpus of invoices — the shipped sample, many lines, withholding and document-level taxes,
markup characters, a foreign currency with a fine exchange rate, amounts with one and with no decimals,
AADE's own XML read back — each against its golden file, written by the emitter of 2026-12-02."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ypovoli.kinds.mydata_invoice.aade.xml import invoices_text, parse_invoices_doc
from ypovoli.kinds.mydata_invoice.model import Invoice

from tests.factories import ROOT, invoice, multi_line_invoice

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "xml_corpus"


def _withholding() -> dict[str, Any]:
    data = invoice(aa="W-1")
    data["invoiceDetails"][0].update(withheldAmount="20.00", withheldPercentCategory=3, feesAmount="1.00",
                                     feesPercentCategory=1, lineComments="«σχόλιο» & <σημείωση>")
    data["taxesTotals"] = {"taxes": [{"taxType": 3, "taxCategory": 1, "taxAmount": "2.00"}]}
    data["invoiceSummary"].update(totalWithheldAmount="20.00", totalFeesAmount="1.00", totalOtherTaxesAmount="2.00",
                                  totalGrossValue="107.00")
    return data


def _foreign() -> dict[str, Any]:
    data = invoice(aa="F-1")
    data["invoiceHeader"].update(currency="USD", exchangeRate="1.08345")
    data["invoiceDetails"][0].update(quantity="2.5", netValue="100", vatAmount="24.0")
    return data


CORPUS: dict[str, Any] = {
    "sample": lambda: json.loads((ROOT / "examples" / "invoice.json").read_text(encoding="utf-8")),
    "ten-lines": lambda: multi_line_invoice([(Decimal(n * 731 % 99999) / 100, [1, 2, 3, 6][n % 4])
                                             for n in range(1, 11)]),
    "withholding": _withholding,
    "foreign": _foreign,
}


def _documents() -> dict[str, list[Invoice]]:
    documents = {name: [Invoice.model_validate(make())] for name, make in CORPUS.items()}
    documents["aade-xml"] = parse_invoices_doc((ROOT / "examples" / "invoices-doc.xml").read_bytes())
    documents["all-at-once"] = [doc for docs in list(documents.values()) for doc in docs]
    return documents


@pytest.mark.parametrize("name", [*CORPUS, "aade-xml", "all-at-once"])
def test_the_xml_text_is_byte_identical_to_the_golden(name: str) -> None:
    text = invoices_text(_documents()[name])
    golden = GOLDEN / f"{name}.xml"
    if os.environ.get("YPOVOLI_WRITE_GOLDEN") == "1":
        golden.write_bytes(text)
    assert text == golden.read_bytes()
