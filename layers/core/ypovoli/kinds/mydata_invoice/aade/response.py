"""AADE's ``ResponseDoc`` (no namespace) and the parts of ``RequestedDoc`` reconciliation needs."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

from .xml import INV_NS, parse_xml

SUCCESS = "Success"
VALIDATION_ERROR = "ValidationError"
TECHNICAL_ERROR = "TechnicalError"
XML_SYNTAX_ERROR = "XMLSyntaxError"


@dataclass
class ResponseEntry:
    status_code: str
    index: int | None = None
    invoice_uid: str | None = None
    invoice_mark: int | None = None
    cancellation_mark: int | None = None
    authentication_code: str | None = None
    qr_url: str | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (code, message)

    @property
    def ok(self) -> bool:
        return self.status_code == SUCCESS


_SUCCESS_ORDER = ("invoiceUid", "invoiceMark", "cancellationMark", "authenticationCode", "qrUrl")


def build_response_doc(entries: list[ResponseEntry]) -> bytes:
    root = etree.Element("ResponseDoc")
    for entry in entries:
        response = etree.SubElement(root, "response")
        if entry.index is not None:
            etree.SubElement(response, "index").text = str(entry.index)
        if entry.errors:
            errors = etree.SubElement(response, "errors")
            for code, message in entry.errors:
                error = etree.SubElement(errors, "error")
                etree.SubElement(error, "message").text = message
                etree.SubElement(error, "code").text = code
        else:
            values = {
                "invoiceUid": entry.invoice_uid,
                "invoiceMark": entry.invoice_mark,
                "cancellationMark": entry.cancellation_mark,
                "authenticationCode": entry.authentication_code,
                "qrUrl": entry.qr_url,
            }
            for name in _SUCCESS_ORDER:
                if values[name] is not None:
                    etree.SubElement(response, name).text = str(values[name])
        etree.SubElement(response, "statusCode").text = entry.status_code
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().lstrip("-").isdigit() else None


def parse_response_doc(data: bytes) -> list[ResponseEntry]:
    root = parse_xml(data)
    if etree.QName(root).localname != "ResponseDoc":
        raise ValueError("not a ResponseDoc")
    entries = []
    for response in root.iter("{*}response"):

        def get(name: str, r: etree._Element = response) -> str | None:
            return r.findtext(f"{{*}}{name}")

        errors = [
            ((e.findtext("{*}code") or "").strip(), (e.findtext("{*}message") or "").strip())
            for e in response.iterfind("{*}errors/{*}error")
        ]
        entries.append(
            ResponseEntry(
                status_code=(get("statusCode") or "").strip(),
                index=_int(get("index")),
                invoice_uid=get("invoiceUid"),
                invoice_mark=_int(get("invoiceMark")),
                cancellation_mark=_int(get("cancellationMark")),
                authentication_code=get("authenticationCode"),
                qr_url=get("qrUrl") or None,
                errors=errors,
            )
        )
    return entries


@dataclass(frozen=True)
class TransmittedDoc:
    uid: str
    mark: int
    qr_url: str | None
    cancelled_by_mark: int | None


def build_requested_doc(docs: list[tuple[TransmittedDoc, etree._Element]]) -> bytes:
    """A ``RequestedDoc`` listing invoices as AADE returns them (uid/mark filled in)."""
    root = etree.Element(f"{{{INV_NS}}}RequestedDoc", nsmap={None: INV_NS})  # type: ignore[dict-item]
    container = etree.SubElement(root, f"{{{INV_NS}}}invoicesDoc")
    for doc, invoice in docs:
        element = etree.SubElement(container, f"{{{INV_NS}}}invoice")
        etree.SubElement(element, f"{{{INV_NS}}}uid").text = doc.uid
        etree.SubElement(element, f"{{{INV_NS}}}mark").text = str(doc.mark)
        if doc.cancelled_by_mark is not None:
            etree.SubElement(element, f"{{{INV_NS}}}cancelledByMark").text = str(doc.cancelled_by_mark)
        for child in invoice:
            element.append(copy.deepcopy(child))
        if doc.qr_url:
            etree.SubElement(element, f"{{{INV_NS}}}qrCodeUrl").text = doc.qr_url
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parse_requested_doc(data: bytes) -> tuple[list[TransmittedDoc], tuple[str, str] | None]:
    """The invoices of a ``RequestedDoc`` (uid, mark, qr) and its continuation token, if any."""
    root = parse_xml(data)
    docs = []
    for invoice in root.iterfind("{*}invoicesDoc/{*}invoice"):
        uid = invoice.findtext("{*}uid")
        mark = _int(invoice.findtext("{*}mark"))
        if uid and mark is not None:
            docs.append(
                TransmittedDoc(
                    uid=uid.strip().upper(),
                    mark=mark,
                    qr_url=invoice.findtext("{*}qrCodeUrl"),
                    cancelled_by_mark=_int(invoice.findtext("{*}cancelledByMark")),
                )
            )
    token = root.find("{*}continuationToken")
    next_token = None
    if token is not None:
        pk, rk = token.findtext("{*}nextPartitionKey"), token.findtext("{*}nextRowKey")
        if pk and rk:
            next_token = (pk, rk)
    return docs, next_token
