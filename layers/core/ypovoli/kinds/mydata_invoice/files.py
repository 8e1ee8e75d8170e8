"""The files myDATA's clients have (``ypovoli validate`` / ``submit``, ``services/offline.py``): one
invoice as the JSON API takes it, or AADE's own InvoicesDoc XML, checked against the official XSD and
then invoice by invoice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...findings import Finding, Severity
from ...rules.input import body_finding
from ...services.offline import FileKind, document_findings
from ...settings import Settings
from .kind import KIND
from .rules import API_DOC


def _is_invoice(payload: Any) -> bool:
    return isinstance(payload, dict) and "invoiceHeader" in payload


def _is_invoices_doc(data: Any) -> bool:
    return isinstance(data, bytes)


def invoices_doc(data: bytes, now: datetime, settings: Settings) -> list[Finding]:
    from lxml import etree

    from .aade.xml import invoice_dicts, parse_xml
    from .aade.xsd import schema_errors

    try:
        root = parse_xml(data)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return [body_finding("REQUEST-BODY", f"Το XML δεν διαβάζεται ({exc}).", f"The XML cannot be read ({exc}).")]
    errors = schema_errors(root)
    if errors:
        return [Finding(code="MYDATA-SCHEMA", severity=Severity.ERROR, path="InvoicesDoc",
                        message_el=f"Το InvoicesDoc δεν επικυρώνεται στο επίσημο XSD: {error}",
                        message_en=f"The InvoicesDoc does not validate against the official XSD: {error}",
                        source=API_DOC) for error in errors[:20]]
    findings: list[Finding] = []
    for index, invoice in enumerate(invoice_dicts(root)):
        findings += document_findings(KIND, invoice, now, settings, f"invoice[{index}]")
    return findings


FILES = [FileKind(KIND.name, "/v1/invoices", _is_invoice),
         FileKind("mydata_invoices_doc", "/v1/mydata/SendInvoices", _is_invoices_doc, xml=True, check=invoices_doc)]
