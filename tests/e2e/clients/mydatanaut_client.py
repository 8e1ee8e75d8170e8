"""``mydatanaut`` 0.1.4, unchanged, against ypovoli's drop-in myDATA door: the ERP URL of its config is
the only change (docs/clients.md). An invoice built with its own models as its README does, sent; the
transmitted documents read back (its GETs carry ``Content-Type: text/xml``); the invoice cancelled."""

from __future__ import annotations

import json
import os
from decimal import Decimal

from mydata import MyDataClient, MyDataClientConfig
from mydata.models import (
    Address,
    Counterpart,
    Country,
    Currency,
    IncomeClassification,
    IncomeClassificationCategory,
    IncomeClassificationValue,
    Invoice,
    InvoiceHeader,
    InvoiceRow,
    InvoiceType,
    Issuer,
    PaymentMethodDetail,
    PaymentMethodType,
    VatCategory,
)


def invoice(afm: str, aa: str, day: str) -> Invoice:
    made = Invoice()
    made.issuer = Issuer(vat_number=afm, country=Country.GR, branch=0)
    made.counterpart = Counterpart(vat_number="090000045", country=Country.GR, branch=0,
                                   address=Address(postal_code="54625", city="Θεσσαλονίκη"))
    header = InvoiceHeader()
    header.series, header.aa, header.issue_date = "Ν", aa, day
    header.invoice_type, header.currency = InvoiceType.VALUE_1_1, Currency.EUR
    made.invoice_header = header
    payment = PaymentMethodDetail()
    payment.type_value, payment.amount = PaymentMethodType.POS, Decimal("124.00")
    made.add_payment_method(payment)
    row = InvoiceRow()
    row.line_number, row.net_value, row.vat_category, row.vat_amount = 1, Decimal("100.00"), VatCategory.VAT_1, \
        Decimal("24.00")
    row.income_classification = [IncomeClassification(
        classification_type=IncomeClassificationValue.E3_561_001,
        classification_category=IncomeClassificationCategory.CATEGORY1_1, amount=Decimal("100.00"))]
    made.invoice_details = [row]
    made.summarize()
    return made


def main() -> None:
    url, key, afm = os.environ["YPOVOLI_URL"], os.environ["YPOVOLI_KEY"], os.environ["YPOVOLI_AFM"]
    config = MyDataClientConfig()
    config.PROD_ERP_URL = f"{url}/v1/mydata/"
    client = MyDataClient(user_id="erp-user", subscription_key=key, config=config)
    out: dict[str, object] = {}
    sent = client.send_invoice(invoice(afm, os.environ["YPOVOLI_AA"], os.environ["YPOVOLI_NOW"][:10]))
    [entry] = sent.response
    out["send_invoice"] = {"status": entry.status_code, "mark": entry.invoice_mark,
                           "errors": [e.message for e in (entry.errors.error if entry.errors else [])]}
    docs = client.request_transmitted_docs(mark=0)
    out["request_transmitted_docs"] = {"marks": [d.mark for d in (docs.invoices_doc.invoice if docs.invoices_doc
                                                                    else [])]}
    if entry.invoice_mark:
        [cancelled] = client.cancel_invoice(mark=entry.invoice_mark).response
        out["cancel_invoice"] = {"status": cancelled.status_code, "cancellation_mark": cancelled.cancellation_mark}
    print(json.dumps(out, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
