"""What a file is and what intake would say of it — with no network and no store: ``ypovoli validate``
and ``ypovoli submit`` use it. The same parse, rules and official XSD as the API's intake; what only the
store can know (a duplicate, the project's earlier ΠΣΚΕ requests, card events declared before, a MARK's
owner) is taken as "nothing known", and said so."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..findings import Finding, Severity
from ..kinds.base import CheckContext, DocumentKind
from ..kinds.ergani.kind import LEAVE, OVERTIME, OVERTIME_RETRO, WORKCARD, WTO_DAILY, WTO_WEEK
from ..kinds.ergani.model import OFF_TYPES, OVERTIME_TYPES, WORK_TYPES
from ..kinds.mydata_invoice.kind import KIND as MYDATA_INVOICE
from ..kinds.mydata_invoice.rules import API_DOC
from ..kinds.pske.history import History
from ..kinds.pske.kind import KIND as PSKE_REQUEST
from ..rules.input import body_finding
from ..settings import Settings

#: Where each kind of file goes on the API.
ROUTES = {MYDATA_INVOICE.name: "/v1/invoices", WORKCARD.name: "/v1/workcards",
          WTO_WEEK.name: "/v1/work-schedules/WTOWeek", WTO_DAILY.name: "/v1/work-schedules/WTODaily",
          LEAVE.name: "/v1/leaves", OVERTIME.name: "/v1/work-schedules/WTOOv",
          OVERTIME_RETRO.name: "/v1/work-schedules/WTOOvA", PSKE_REQUEST.name: "/v1/dossiers",
          "mydata_invoices_doc": "/v1/mydata/SendInvoices"}


@dataclass
class Identified:
    """A file's kind, and its content as the API takes it."""

    kind: str
    route: str
    payload: Any = None
    findings: list[Finding] = field(default_factory=list)


def identify(data: bytes) -> Identified:
    """JSON (an invoice, an ERGANI document, a ΠΣΚΕ request) or XML (AADE's InvoicesDoc), by content."""
    stripped = data.lstrip()
    if stripped.startswith(b"<"):
        return Identified("mydata_invoices_doc", ROUTES["mydata_invoices_doc"], data)
    try:
        payload = json.loads(data, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        return Identified("unknown", "", None, [body_finding("REQUEST-BODY", f"Ούτε JSON ούτε XML ({exc}).",
                                                             f"Neither JSON nor XML ({exc}).")])
    kind = _json_kind(payload)
    if kind is None:
        return Identified("unknown", "", payload, [body_finding(
            "REQUEST-BODY", "Άγνωστο έγγραφο: ούτε παραστατικό myDATA, ούτε έγγραφο ΕΡΓΑΝΗ, ούτε αίτημα ΠΣΚΕ.",
            "Unknown document: not a myDATA invoice, an ERGANI document or a ΠΣΚΕ request.")])
    return Identified(kind, ROUTES[kind], payload)


def _json_kind(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    if "invoiceHeader" in payload:
        return MYDATA_INVOICE.name
    if "Cards" in payload:
        return WORKCARD.name
    if "project" in payload and "investor" in payload:
        return PSKE_REQUEST.name
    if "WTOS" in payload:
        entries = [e for wto in (payload.get("WTOS") or {}).get("WTO") or []
                   for e in ((wto.get("Ergazomenoi") or {}).get("ErgazomenoiWTO") or [])]
        if any(str(e.get("f_day") or "") for e in entries):
            return WTO_WEEK.name
        types = {str(i.get("f_type")) for e in entries
                 for i in ((e.get("ErgazomenosAnalytics") or {}).get("ErgazomenosWTOAnalytics") or [])}
        if types and types <= OVERTIME_TYPES:   # by content, the announced kind; WTOOvA is its own route
            return OVERTIME.name
        return LEAVE.name if types and not types & (WORK_TYPES | OFF_TYPES) else WTO_DAILY.name
    return None


#: What offline validation cannot know, in both languages (shown beside its findings).
UNKNOWN_OFFLINE = ("Εκτός σύνδεσης δεν ελέγχονται: διπλότυπα, προηγούμενα αιτήματα του έργου, "
                   "γεγονότα κάρτας και υπερωρίες που δηλώθηκαν πριν, ο κάτοχος ενός ΜΑΡΚ.",
                   "Offline, these are not checked: duplicates, the project's earlier requests, card events and "
                   "overtime declared before, a MARK's owner.")


def validate(identified: Identified, now: datetime, settings: Settings) -> list[Finding]:
    """The findings intake would give (but for what only the store knows)."""
    if identified.findings:
        return identified.findings
    if identified.kind == "mydata_invoices_doc":
        return _invoices_doc(identified.payload, now, settings)
    if identified.kind == PSKE_REQUEST.name:
        request, findings = PSKE_REQUEST.parse(identified.payload)
        return findings if request is None else PSKE_REQUEST.evaluate(request, History()).findings
    from ..kinds.registry import document_kind

    return _document(document_kind(identified.kind), identified.payload, now, settings)


def _document(kind: DocumentKind, payload: Any, now: datetime, settings: Settings, root: str = "") -> list[Finding]:
    document, findings = kind.parse(payload)
    if document is None:
        return _under(root, findings)
    context = CheckContext(tenant="offline", now=now, deadlines=kind.deadlines(document, now, settings),
                           settings=settings)   # no facts: nothing of the tenant's records is known
    return _under(root, kind.check(document, context))


def _invoices_doc(data: bytes, now: datetime, settings: Settings) -> list[Finding]:
    from lxml import etree

    from ..kinds.mydata_invoice.aade.xml import invoice_dicts, parse_xml
    from ..kinds.mydata_invoice.aade.xsd import schema_errors

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
        findings += _document(MYDATA_INVOICE, invoice, now, settings, f"invoice[{index}]")
    return findings


def _under(root: str, findings: list[Finding]) -> list[Finding]:
    """Findings of one invoice of an InvoicesDoc, their paths under its place in the document."""
    if not root:
        return findings
    def moved(path: str) -> str:
        return root if path == "invoice" else f"{root}.{path.removeprefix('invoice.')}"

    return [f.model_copy(update={"path": moved(f.path)}) for f in findings]


def offline_settings() -> Settings:
    """The rules' settings from the environment (``YPOVOLI_*``, as the functions read them), with the
    deployment's own resources, which nothing offline touches, left as placeholders."""
    return Settings.from_environ(index_table="offline", dossier_bucket="offline",
                                 api_key_pepper="offline-no-keys-here")


def validate_zip(data: bytes, zip_name: str, afm: str) -> list[Finding]:
    """A zipped Αίτημα Ελέγχου folder as the drop folder reads it (hostile-zip checks, layout, register),
    then its register through the ΠΣΚΕ rules — without the project's earlier requests."""
    import io

    from ..kinds.pske.dropzone import check_upload, split_zip_name

    project_code, request_type = split_zip_name(zip_name)
    checked = check_upload(io.BytesIO(data), zip_name, len(data), afm, project_code, request_type, None)
    findings = list(checked.findings)
    if checked.register is not None and checked.register.body is not None:
        findings += PSKE_REQUEST.evaluate(checked.register.body, History()).findings
    return findings
