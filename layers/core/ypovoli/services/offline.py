"""What a file is and what intake would say of it — with no network and no store: ``ypovoli validate``
and ``ypovoli submit`` use it. The same parse, rules and official XSD as the API's intake; what only the
store can know (a duplicate, earlier requests, declarations made before, a receipt's owner) is taken as
"nothing known", and said so. Which files there are is each kind's to say (``registry.FILES``: its
:class:`FileKind` list, in the registry's order)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..findings import Finding
from ..kinds import registry
from ..kinds.base import CheckContext, DocumentKind
from ..rules.input import body_finding
from ..settings import Settings


@dataclass(frozen=True)
class FileKind:
    """A kind of file a kind recognises, where it goes on the API, and — when it is not one document of a
    registered document kind of the same name — how it is checked offline."""

    kind: str
    route: str
    #: The parsed JSON (or, with ``xml``, the file's bytes) → whether it is this kind of file.
    recognises: Callable[[Any], bool]
    xml: bool = False
    check: Callable[[Any, datetime, Settings], list[Finding]] | None = None


def file_kinds() -> list[FileKind]:
    return [file_kind for line in registry.FILES for file_kind in line.load()]


def routes() -> dict[str, str]:
    """Where each kind of file goes on the API."""
    return {f.kind: f.route for f in file_kinds()}


@dataclass
class Identified:
    """A file's kind, and its content as the API takes it."""

    kind: str
    route: str
    payload: Any = None
    findings: list[Finding] = field(default_factory=list)


def identify(data: bytes) -> Identified:
    """A file by its content: XML or JSON, then the first kind of file that recognises it."""
    known = file_kinds()
    if data.lstrip().startswith(b"<"):
        found = next((f for f in known if f.xml and f.recognises(data)), None)
        payload: Any = data
    else:
        try:
            payload = json.loads(data, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as exc:
            return Identified("unknown", "", None, [body_finding("REQUEST-BODY", f"Ούτε JSON ούτε XML ({exc}).",
                                                                 f"Neither JSON nor XML ({exc}).")])
        found = next((f for f in known if not f.xml and f.recognises(payload)), None)
    if found is None:
        names = ", ".join(f.kind for f in known)
        return Identified("unknown", "", payload, [body_finding(
            "REQUEST-BODY", f"Άγνωστο έγγραφο: κανένα από όσα δέχεται το ypovoli ({names}).",
            f"Unknown document: none of those ypovoli takes ({names}).")])
    return Identified(found.kind, found.route, payload)


#: What offline validation cannot know, in both languages (shown beside its findings).
UNKNOWN_OFFLINE = ("Εκτός σύνδεσης δεν ελέγχονται: διπλότυπα, προηγούμενα αιτήματα του έργου, "
                   "γεγονότα κάρτας και υπερωρίες που δηλώθηκαν πριν, ο κάτοχος ενός ΜΑΡΚ.",
                   "Offline, these are not checked: duplicates, the project's earlier requests, card events and "
                   "overtime declared before, a MARK's owner.")


def validate(identified: Identified, now: datetime, settings: Settings) -> list[Finding]:
    """The findings intake would give (but for what only the store knows)."""
    if identified.findings:
        return identified.findings
    found = next(f for f in file_kinds() if f.kind == identified.kind)
    if found.check is not None:
        return found.check(identified.payload, now, settings)
    return document_findings(registry.document_kind(identified.kind), identified.payload, now, settings)


def document_findings(kind: DocumentKind, payload: Any, now: datetime, settings: Settings,
                      root: str = "") -> list[Finding]:
    """One document's findings, offline (``root``: where it sits in a file of several, its paths under it)."""
    document, findings = kind.parse(payload)
    if document is None:
        return _under(root, findings)
    context = CheckContext(tenant="offline", now=now, deadlines=kind.deadlines(document, now, settings),
                           settings=settings)   # no facts: nothing of the tenant's records is known
    return _under(root, kind.check(document, context))


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
