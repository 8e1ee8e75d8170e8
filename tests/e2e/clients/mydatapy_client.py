"""``mydatapy`` 0.1.1, unchanged, against ypovoli's drop-in myDATA door: its ``base_url`` argument is the
only change (docs/clients.md). It offers one call, SendInvoices: here once with the XML its own models
and template write (``Invoice.to_xml()``: its template leaves the counterpart's postal code empty, which
AADE's XSD allows), once with an XML its user wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mydatapy.client import MyDataClient
from mydatapy.models.invoice import (
    Address,
    CounterPart,
    IncomeClassification,
    Invoice,
    InvoiceDetails,
    InvoiceHeader,
    InvoiceSummary,
    Issuer,
    PaymentMethodDetails,
)


def own_invoice(afm: str, aa: int, day: str) -> str:
    income = IncomeClassification(type="E3_561_001", category="category1_1", amount=100.0)
    return Invoice(
        issuer=Issuer(vatNumber=afm, country="GR", branch=0),
        counterpart=CounterPart(vatNumber="090000045", country="GR", branch=0,
                                address=Address(postalCode=54625, city="Θεσσαλονίκη")),
        header=InvoiceHeader(series="P", aa=aa, issueDate=day, invoiceType="1.1", currency="EUR"),
        payment=PaymentMethodDetails(type=3, amount=124.0, paymentMethodInfo="POS"),
        details=[InvoiceDetails(lineNumber=1, netValue=100.0, vatAmount=24.0, vatCategory="1", discountOption=False,
                                classification=income)],
        summary=InvoiceSummary(net=100.0, vat=24.0, gross=124.0, classifications=[income]),
    ).to_xml()


def main() -> None:
    client = MyDataClient(user_id="erp-user", api_key=os.environ["YPOVOLI_KEY"],
                          base_url=f"{os.environ['YPOVOLI_URL']}/v1/mydata")
    written = client.send_invoice(Path(os.environ["YPOVOLI_INVOICE_XML"]).read_text(encoding="utf-8"))
    own = client.send_invoice(own_invoice(os.environ["YPOVOLI_AFM"], 7001, os.environ["YPOVOLI_NOW"][:10]))
    print(json.dumps({"send_invoice": written, "own_template": own}, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
