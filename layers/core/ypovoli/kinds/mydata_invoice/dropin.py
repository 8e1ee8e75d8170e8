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
from concurrent.futures import ThreadPoolExecutor

from lxml import etree

from ...findings import Finding, Severity
from ...models.submission import Submission
from ...services.deps import Deps
from ...services.inline import send_now
from ...services.intake import IntakeOutcome, accept
from ...status import Status
from .aade.response import (
    SUCCESS,
    TECHNICAL_ERROR,
    VALIDATION_ERROR,
    XML_SYNTAX_ERROR,
    ResponseEntry,
    TransmittedDoc,
    build_requested_doc,
    build_response_doc,
)
from .aade.xml import INV_NS, XmlInputError, invoice_dicts, invoice_element, parse_xml
from .aade.xsd import schema_errors
from .cancel import cancel_submission
from .connector import MyDataPort
from .kind import KIND as MYDATA_INVOICE
from .model import Invoice

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


INTAKE_RESERVE = 0.2
NOT_REACHED = ("206", "ypovoli: not reached within this call's time limit (an API Gateway call ends at 29 s); "
                      "nothing was kept for this document. Send it again, in a smaller batch.")


def send_invoices(deps: Deps, tenant: str, managed_afms: set[str], body: bytes,
                  transmit: Callable[[str, str], object], budget_s: float | None = None,
                  workers: int | None = None, monotonic: Callable[[], float] = time.monotonic) -> bytes:
    """``InvoicesDoc`` in, ``ResponseDoc`` out (AADE's shapes and codes), within one deadline for the
    whole call — intake and sending together (issue 18 §4). Intake runs ``workers`` documents at a
    time; sending follows, in document order, while time remains. A document whose intake could
    not start in time answers TechnicalError "not reached" (nothing kept); one kept but not sent in
    time answers "queued" (it will be sent), never a made-up MARK. ``monotonic`` is the stopwatch
    (tests inject one, as they inject the legal clock)."""
    settings = deps.settings
    budget = settings.dropin_budget_s if budget_s is None else budget_s
    deadline = monotonic() + budget
    # Intake stops starting new documents with a fifth of the budget left: answering costs too.
    intake_deadline = deadline - budget * INTAKE_RESERVE
    try:
        root = parse_xml(body)
    except XmlInputError as exc:
        return _syntax(str(exc))
    problems = schema_errors(root, settings.mydata_xsd_version)
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

    def intake(job: tuple[dict[str, object], etree._Element]) -> IntakeOutcome | None:
        raw, element = job
        if monotonic() >= intake_deadline:
            return None
        return accept(deps, MYDATA_INVOICE, tenant, managed_afms, raw, etree.tostring(element, encoding="UTF-8"),
                      "xml")

    jobs = list(zip(raw_invoices, elements, strict=True))
    with ThreadPoolExecutor(max_workers=max(1, workers or settings.dropin_intake_workers),
                            thread_name_prefix="dropin-intake") as pool:
        outcomes = list(pool.map(intake, jobs))
    return build_response_doc([_entry(deps, tenant, index, outcome, transmit, lambda: monotonic() < deadline)
                               for index, outcome in enumerate(outcomes, start=1)])


def _entry(deps: Deps, tenant: str, index: int, outcome: IntakeOutcome | None, transmit: Callable[[str, str], object],
           in_time: Callable[[], bool]) -> ResponseEntry:
    if outcome is None:
        return ResponseEntry(TECHNICAL_ERROR, index, errors=[NOT_REACHED])
    if outcome.kind == "forbidden":
        return ResponseEntry(VALIDATION_ERROR, index, errors=[
            ("201", "The user is not authorised for the issuer's VAT number")])
    if outcome.kind == "invalid":
        return _invalid(index, outcome.findings)
    if outcome.kind == "duplicate" and outcome.existing_id is None:
        return ResponseEntry(VALIDATION_ERROR, index, errors=[
            ("228", "This invoice (same uid) was already submitted through another account")])
    if outcome.kind == "busy":  # nothing kept: AADE's own word for "retry later"
        return ResponseEntry(TECHNICAL_ERROR, index, errors=[
            ("206", "ypovoli: the service is busy and kept nothing; send the same document again shortly.")])
    return _answer(index, send_now(deps, tenant, outcome, transmit, in_time))


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
        invoice = Invoice.model_validate(deps.dossiers.document(submission.dossier))
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
    """AADE's ``CancelInvoice?mark=``, through ypovoli (``cancel.py``), answered in AADE's shapes."""
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
