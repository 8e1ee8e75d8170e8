"""The drop-in myDATA endpoint: ``SendInvoices`` as AADE answers it, with ypovoli behind it.

An ERP that already speaks myDATA changes its base URL and gains validation, outage buffering and
dossiers. Each invoice of the ``InvoicesDoc`` goes through the same intake as ``POST /v1/invoices``
and is then sent upstream at once (inside this call, within a time budget). The answer is honest:
a MARK only when AADE gave one. While AADE is unreachable the document is kept and queued, and
the entry says so as a ``TechnicalError`` (206) — the status AADE itself uses for "retry later";
sending the same document again later returns its real MARK once it has gone through.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from lxml import etree

from .. import clock
from ..findings import Finding, Severity
from ..kinds.mydata_invoice.aade.response import (
    SUCCESS,
    TECHNICAL_ERROR,
    VALIDATION_ERROR,
    XML_SYNTAX_ERROR,
    ResponseEntry,
    TransmittedDoc,
    build_requested_doc,
    build_response_doc,
)
from ..kinds.mydata_invoice.aade.xml import INV_NS, XmlInputError, invoice_dicts, invoice_element, parse_xml
from ..kinds.mydata_invoice.aade.xsd import schema_errors
from ..kinds.mydata_invoice.connector import MyDataPort
from ..kinds.mydata_invoice.kind import KIND as MYDATA_INVOICE
from ..kinds.mydata_invoice.model import Invoice
from ..models.submission import Submission
from ..status import Status
from .cancel import cancel_submission
from .deps import Deps
from .intake import accept

#: Our findings → the nearest AADE business code, so an ERP's existing error handling still works;
#: the message keeps our code and the English text.
AADE_CODE = {"MYDATA-SCHEMA": "101", "MYDATA-AFM": "202", "MYDATA-TOTALS": "203", "MYDATA-TYPE": "228",
             "MYDATA-VAT-RATE": "215", "MYDATA-DATE": "260", "MYDATA-CLASSIFICATION": "306"}
QUEUED = ("206", "ypovoli: myDATA is unreachable; the document is kept and queued and will be sent with the "
                 "outage indicator. Send the same document again later to receive its MARK.")
MAX_INVOICES = 5000


def _syntax(message: str) -> bytes:
    return build_response_doc([ResponseEntry(XML_SYNTAX_ERROR, 1, errors=[("101", message[:1000])])])


def _invalid(index: int, findings: list[Finding]) -> ResponseEntry:
    errors = [(AADE_CODE.get(f.code, "206" if f.code.startswith("REQUEST") else "101"),
               f"[{f.code}] {f.path}: {f.message_en}") for f in findings if f.severity is Severity.ERROR]
    return ResponseEntry(VALIDATION_ERROR, index, errors=errors or [("101", "invalid invoice")])


def _answer(index: int, submission: Submission | None) -> ResponseEntry:
    if submission is None:  # pragma: no cover - written in the same transaction that made its id
        return ResponseEntry(TECHNICAL_ERROR, index, errors=[QUEUED])
    if submission.status is Status.TRANSMITTED and submission.receipt is not None:
        receipt = submission.receipt
        return ResponseEntry(SUCCESS, index, invoice_uid=receipt.uid, invoice_mark=receipt.mark,
                             authentication_code=receipt.authentication_code, qr_url=receipt.qr_url)
    if submission.status is Status.REJECTED:
        return ResponseEntry(VALIDATION_ERROR, index,
                             errors=[(e.code or "101", e.message) for e in submission.upstream_errors])
    return ResponseEntry(TECHNICAL_ERROR, index, errors=[QUEUED])


def send_invoices(deps: Deps, tenant: str, managed_afms: set[str], body: bytes,
                  transmit: Callable[[str, str], object], budget_s: float = 20.0) -> bytes:
    """``InvoicesDoc`` in, ``ResponseDoc`` out (AADE's shapes and codes)."""
    started = time.monotonic()
    try:
        root = parse_xml(body)
    except XmlInputError as exc:
        return _syntax(str(exc))
    problems = schema_errors(root, deps.settings.mydata_xsd_version)
    if problems:
        return _syntax(problems[0])
    try:
        raw_invoices = invoice_dicts(root)
    except XmlInputError as exc:
        return _syntax(str(exc))
    if len(raw_invoices) > MAX_INVOICES:
        return build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[
            ("265", "Maximum number of invoices per message is 5000")])])
    elements = root.findall("{*}invoice")
    entries: list[ResponseEntry] = []
    for index, (raw, element) in enumerate(zip(raw_invoices, elements, strict=True), start=1):
        original = etree.tostring(element, encoding="UTF-8")
        outcome = accept(deps, MYDATA_INVOICE, tenant, managed_afms, raw, original, "xml")
        if outcome.kind == "forbidden":
            entries.append(ResponseEntry(VALIDATION_ERROR, index, errors=[
                ("201", "The user is not authorised for the issuer's VAT number")]))
            continue
        if outcome.kind == "invalid":
            entries.append(_invalid(index, outcome.findings))
            continue
        if outcome.kind == "duplicate" and outcome.existing_id is None:
            entries.append(ResponseEntry(VALIDATION_ERROR, index, errors=[
                ("228", "This invoice (same uid) was already submitted through another account")]))
            continue
        if outcome.kind == "busy":  # nothing kept: AADE's own word for "retry later"
            entries.append(ResponseEntry(TECHNICAL_ERROR, index, errors=[
                ("206", "ypovoli: the service is busy and kept nothing; send the same document again shortly.")]))
            continue
        submission_id = outcome.submission.id if outcome.submission else str(outcome.existing_id)
        current = deps.index.get_submission(tenant, submission_id)
        if current is not None and current.status not in (Status.TRANSMITTED, Status.REJECTED) \
                and time.monotonic() - started < budget_s:
            # The ERP sent it again: that is the moment to try, whatever the backoff said.
            deps.index.make_due(tenant, submission_id, clock.now())
            transmit(tenant, submission_id)
            current = deps.index.get_submission(tenant, submission_id)
            # Claimed by the queue's worker meanwhile: its answer is the one to give, if it comes in time.
            while current is not None and current.status is Status.TRANSMITTING \
                    and time.monotonic() - started < budget_s:
                time.sleep(0.1)
                current = deps.index.get_submission(tenant, submission_id)
        entries.append(_answer(index, current))
    return build_response_doc(entries)


PAGE = 100


def request_transmitted_docs(deps: Deps, tenant: str, managed_afms: set[str], mark: int,
                             next_row_key: int | None = None) -> bytes:
    """AADE's ``RequestTransmittedDocs``: what this tenant sent through ypovoli with a MARK above
    ``mark``, as a ``RequestedDoc`` (uid, mark and QR URL filled in), 100 a page with AADE's
    continuation token (``nextRowKey`` = the last MARK of the page)."""
    after = max(mark, next_row_key or 0)
    found, more = deps.index.transmitted_after(tenant, after, PAGE)
    docs: list[tuple[TransmittedDoc, etree._Element]] = []
    for doc_mark, submission_id in found:
        submission = deps.index.get_submission(tenant, submission_id)
        if submission is None or submission.afm not in managed_afms or submission.receipt is None:
            continue
        invoice = Invoice.model_validate(deps.dossiers.get_json(f"{submission.dossier}submission.json"))
        indicator = submission.receipt.transmission_failure
        element = invoice_element(invoice.model_copy(update={"transmissionFailure": indicator}))
        docs.append((TransmittedDoc(uid=submission.receipt.uid or submission.natural_key, mark=doc_mark,
                                    qr_url=submission.receipt.qr_url, cancelled_by_mark=None), element))
    body = build_requested_doc(docs)
    if not more or not found:
        return body
    tree = etree.fromstring(body)
    token = etree.Element(f"{{{INV_NS}}}continuationToken")
    etree.SubElement(token, f"{{{INV_NS}}}nextPartitionKey").text = tenant
    etree.SubElement(token, f"{{{INV_NS}}}nextRowKey").text = str(found[-1][0])
    tree.insert(0, token)
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


def cancel_invoice(deps: Deps, mydata: MyDataPort, tenant: str, managed_afms: set[str], mark: int) -> bytes:
    """AADE's ``CancelInvoice?mark=``, through ypovoli (``services.cancel``), answered in AADE's shapes."""
    submission_id = deps.index.submission_by_mark(tenant, mark)
    submission = deps.index.get_submission(tenant, submission_id) if submission_id else None
    if submission is None or submission.afm not in managed_afms or submission.receipt is None:
        return build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[
            ("104", f"Requested invoice with mark {mark} not found")])])
    outcome = cancel_submission(deps, mydata, tenant, submission)
    receipt = outcome.submission.receipt
    if outcome.kind == "cancelled" and receipt is not None:
        return build_response_doc([ResponseEntry(SUCCESS, 1, cancellation_mark=receipt.cancelled_by_mark)])
    if outcome.kind == "refused":
        return build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=outcome.errors)])
    if outcome.kind == "not_cancellable":
        return build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[
            ("104", f"Requested invoice with mark {mark} not found")])])
    return build_response_doc([ResponseEntry(TECHNICAL_ERROR, 1, errors=[
        ("206", f"ypovoli: myDATA did not confirm the cancellation ({outcome.error}); nothing was recorded. "
                "Send the same cancellation again.")])])
