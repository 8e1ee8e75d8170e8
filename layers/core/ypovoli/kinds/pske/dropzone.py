"""A zipped Αίτημα Ελέγχου from the drop folder: hostile-zip checks, the folder layout of seed 003
§A9, the machine-readable register inside it, and the cross-check of register ↔ files.

The register (documented in docs/pske-register.md) is ``register.json`` — the body of
``POST /v1/dossiers`` — or ``register.csv``, one row per record as an accountant's spreadsheet
exports it; either sits at the top of the folder or in «Αίτημα Ελέγχου». Without ``project`` in
it, the Technical Annex comes from ``project.json`` in the folder or, failing that, from the
project's last accepted request.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from ...dossier_zip import ZipInspection, inspect_zip
from ...findings import Finding, Severity
from .dossiers import parse_request
from .model import PaymentRequestBody, Project
from .rules import SEED, premature_files

FIXED_FOLDERS = {"αίτημα ελέγχου": "Αίτημα Ελέγχου", "γενικά παραδοτέα": "Γενικά παραδοτέα",
                 "λογιστικά": "Λογιστικά", "extrait": "extrait"}
REGISTER_NAMES = ("register.json", "register.csv")
MAX_REGISTER_BYTES = 10 * 1024 * 1024
EMAIL_LIMIT = 20 * 1024 * 1024
MAX_NAME = 60


def _f(code: str, severity: Severity, path: str, el: str, en: str, section: str = "A9") -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=f"{SEED} §{section}")


def _fold(text: str) -> str:
    """Compare folder names as people type them: NFC, case- and accent-insensitive."""
    decomposed = unicodedata.normalize("NFD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


FIXED_FOLDED = {_fold(k): v for k, v in FIXED_FOLDERS.items()}


@dataclass
class FolderCheck:
    findings: list[Finding] = field(default_factory=list)
    #: member name → its path below the dossier's root folder
    members: dict[str, str] = field(default_factory=dict)
    category_folders: list[str] = field(default_factory=list)
    register_member: str | None = None
    project_member: str | None = None


def expected_name(project_code: str, request_type: str) -> str:
    return f"{project_code}_{request_type}"


def check_structure(names: list[str], zip_name: str, size: int, project_code: str | None,
                    request_type: str | None) -> FolderCheck:
    """PSKE-A9-STRUCTURE / -SIZE / -NAMES on the member list (nothing is extracted)."""
    out = FolderCheck()
    stem = zip_name[:-4] if zip_name.lower().endswith(".zip") else zip_name
    if project_code and request_type and _fold(stem) != _fold(expected_name(project_code, request_type)):
        out.findings.append(_f(
            "PSKE-A9-STRUCTURE", Severity.ERROR, "upload.filename",
            f"Το zip πρέπει να ονομάζεται «{expected_name(project_code, request_type)}.zip» "
            f"(Κωδικός έργου_Είδος αιτήματος), όχι «{zip_name}».",
            f"The zip must be named «{expected_name(project_code, request_type)}.zip» (project code_request type), "
            f"not «{zip_name}».", "A9 (1)"))
    elif "_" not in stem:
        out.findings.append(_f("PSKE-A9-STRUCTURE", Severity.ERROR, "upload.filename",
                               f"Το zip «{zip_name}» δεν έχει τη μορφή «Κωδικός έργου_Είδος αιτήματος.zip».",
                               f"The zip «{zip_name}» is not named «<project code>_<request type>.zip».", "A9 (1)"))
    files = [n for n in names if not n.endswith("/")]
    roots = {PurePosixPath(n).parts[0] for n in files if PurePosixPath(n).parts}
    # Zipping the folder itself gives one root folder named like the zip: look inside it.
    strip = len(roots) == 1 and all(len(PurePosixPath(n).parts) > 1 for n in files)
    for name in files:
        parts = PurePosixPath(name).parts[1:] if strip else PurePosixPath(name).parts
        if parts:
            out.members[name] = "/".join(parts)
    top_folders: dict[str, str] = {}
    loose: list[str] = []
    for name, inner in out.members.items():
        pieces = inner.split("/")
        if len(pieces) == 1:
            if pieces[0].lower() not in (*REGISTER_NAMES, "project.json"):
                loose.append(inner)
        else:
            top_folders.setdefault(_fold(pieces[0]), pieces[0])
        lowered = inner.lower()
        in_request = len(pieces) == 2 and _fold(pieces[0]) == _fold("Αίτημα Ελέγχου")
        is_register = lowered in REGISTER_NAMES or (in_request and pieces[1].lower() in REGISTER_NAMES)
        if is_register and (out.register_member is None or lowered.endswith("register.json")):
            out.register_member = name
        if lowered == "project.json":
            out.project_member = name
    missing = [label for folded, label in FIXED_FOLDED.items() if folded not in top_folders]
    for label in missing:
        out.findings.append(_f("PSKE-A9-STRUCTURE", Severity.ERROR, f"upload/{label}",
                               f"Λείπει ο φάκελος «{label}».", f"Folder «{label}» is missing.", "A9 (1)"))
    out.category_folders = sorted(v for k, v in top_folders.items() if k not in FIXED_FOLDED)
    if not out.category_folders:
        out.findings.append(_f("PSKE-A9-STRUCTURE", Severity.ERROR, "upload",
                               "Λείπει φάκελος ανά κατηγορία δαπάνης (π.χ. «Εξοπλισμός»).",
                               "There is no folder per expense category (e.g. «Εξοπλισμός»).", "A9 (1)"))
    if loose:
        out.findings.append(_f("PSKE-A9-UNLISTED", Severity.WARNING, "upload",
                               f"Αρχεία εκτός φακέλων: {', '.join(loose[:5])}{'…' if len(loose) > 5 else ''}.",
                               f"Files outside the folders: {', '.join(loose[:5])}{'…' if len(loose) > 5 else ''}."))
    if size > EMAIL_LIMIT:
        out.findings.append(_f("PSKE-A9-SIZE", Severity.WARNING, "upload",
                               f"Το zip είναι {size / 1024 / 1024:.1f} MB (> 20 MB): δεν αποστέλλεται με email "
                               "(το φάκελο αποθέσεων τον δέχεται· για τον ΕΦ προτείνεται WeTransfer).",
                               f"The zip is {size / 1024 / 1024:.1f} MB (> 20 MB): it cannot be e-mailed (the drop "
                               "folder accepts it; the seed suggests WeTransfer for the auditor).", "A9 (4)"))
    long_names = [m for m in out.members.values() if any(len(part) > MAX_NAME for part in m.split("/"))]
    if long_names:
        out.findings.append(_f("PSKE-A9-NAMES", Severity.WARNING, "upload",
                               f"{len(long_names)} ονόματα αρχείων ξεπερνούν τους {MAX_NAME} χαρακτήρες (π.χ. "
                               f"«{long_names[0]}»): όσο το δυνατόν λιγότεροι χαρακτήρες.",
                               f"{len(long_names)} file names are over {MAX_NAME} characters (e.g. «{long_names[0]}»): "
                               "keep names as short as possible.", "A9"))
    return out


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        data = member.read(MAX_REGISTER_BYTES + 1)
    if len(data) > MAX_REGISTER_BYTES:
        raise ValueError(f"{name} is over {MAX_REGISTER_BYTES} bytes")
    return data


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1253")  # Greek Excel's «CSV» without UTF-8


_RECORD_FIELDS = {
    "invoice": ("ref", "kind", "payment_type", "number", "date", "supplier", "payment_issuer", "supplier_afm",
                "net_value", "gross_value", "withheld", "file", "existing", "fixed_asset_register"),
    "payment": ("ref", "kind", "kind_label", "number", "date", "issuer", "amount", "payee", "depositor",
                "authorisation", "both_accounts_named", "file", "existing"),
    "expense_link": ("expense", "invoice", "quantity", "unit_price"),
    "payment_link": ("invoice", "payment", "amount"),
    "deliverable": ("kind", "file", "expense", "photocopy"),
}
_SECTIONS = {"invoice": "invoices", "payment": "payments", "expense_link": "expense_links",
             "payment_link": "payment_links", "deliverable": "deliverables"}
_BOOLEAN = {"existing", "fixed_asset_register", "authorisation", "both_accounts_named", "photocopy"}
_BOOKS = ("ledger_account", "booking_date", "income_expense_book_date")


def _iso_date(value: str) -> str:
    """«10/05/2018» (as Greek spreadsheets write it) or ISO «2018-05-10»."""
    if "/" in value:
        day, month, year = value.split("/")
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return value


def register_from_csv(text: str) -> dict[str, Any]:
    """Rows of ``record;field…`` → the JSON body. Decimal commas are accepted (1.734,80)."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    body: dict[str, Any] = {section: [] for section in _SECTIONS.values()}
    for line, row in enumerate(reader, start=2):
        record = (row.get("record") or "").strip().lower()
        if record in ("", "#"):
            continue
        if record in ("request_type", "investor_name"):
            continue
        if record not in _RECORD_FIELDS:
            raise ValueError(f"line {line}: unknown record type «{record}»")
        entry: dict[str, Any] = {}
        for name in _RECORD_FIELDS[record]:
            value = (row.get(name) or "").strip()
            if not value:
                continue
            if name in _BOOLEAN:
                entry[name] = value.lower() in ("1", "true", "yes", "ναι", "ν")
            elif name in ("net_value", "gross_value", "withheld", "amount", "unit_price", "quantity"):
                entry[name] = value.replace(".", "").replace(",", ".") if "," in value else value
            elif name == "date":
                entry[name] = _iso_date(value)
            else:
                entry[name] = value
        if record in ("invoice", "payment"):
            books = {k: _iso_date(v) if k.endswith("date") else v
                     for k in _BOOKS if (v := (row.get(k) or "").strip())}
            if books:
                entry["books"] = books
        body[_SECTIONS[record]].append(entry)
    return body


@dataclass
class RegisterRead:
    body: PaymentRequestBody | None
    findings: list[Finding]


def read_register(archive: zipfile.ZipFile, folder: FolderCheck, afm: str, project_code: str, request_type: str,
                  stored_project: Project | None) -> RegisterRead:
    if folder.register_member is None:
        return RegisterRead(None, [_f("PSKE-A9-REGISTER", Severity.INFO, "upload",
                                      "Δεν βρέθηκε μητρώο (register.json / register.csv): ελέγχθηκε μόνο η δομή.",
                                      "No register (register.json / register.csv) in the folder: only its layout "
                                      "was checked.")])
    try:
        raw = _read_member(archive, folder.register_member)
        if folder.register_member.lower().endswith(".json"):
            payload = json.loads(_decode(raw))
            if not isinstance(payload, dict):
                raise ValueError("register.json must hold one JSON object")
        else:
            payload = register_from_csv(_decode(raw))
        if "project" not in payload:
            if folder.project_member is not None:
                payload["project"] = json.loads(_decode(_read_member(archive, folder.project_member)))
            elif stored_project is not None:
                payload["project"] = stored_project.model_dump(mode="json")
        if "investor" not in payload and isinstance(payload.get("project"), dict):
            payload["investor"] = payload["project"].get("annex", {}).get("investor")
    except (ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error) as exc:
        return RegisterRead(None, [_f("PSKE-A9-REGISTER", Severity.ERROR, f"upload/{folder.register_member}",
                                      f"Το μητρώο δεν διαβάζεται: {exc}.", f"The register cannot be read: {exc}.")])
    payload.update({"afm": afm, "request_type": payload.get("request_type") or request_type})
    if "project" not in payload:
        return RegisterRead(None, [_f("PSKE-A9-REGISTER", Severity.ERROR, f"upload/{folder.register_member}",
                                      "Άγνωστο Τεχνικό Παράρτημα: προσθέστε project.json ή υποβάλετε πρώτα το αίτημα "
                                      "μέσω API.",
                                      "The Technical Annex is unknown: add project.json, or submit a request through "
                                      "the API first.")])
    body, findings = parse_request(payload)
    if body is not None and body.project.code != project_code:
        findings.append(_f("PSKE-A9-REGISTER", Severity.ERROR, "register.project.code",
                           f"Το μητρώο αφορά το έργο «{body.project.code}», όχι το «{project_code}» του zip.",
                           f"The register is for project «{body.project.code}», not the zip's «{project_code}»."))
    return RegisterRead(body, findings)


def cross_check(body: PaymentRequestBody, folder: FolderCheck) -> list[Finding]:
    """Every register document has its file in a category folder, and every file there is in the register."""
    findings: list[Finding] = []
    category_files = {inner for inner in folder.members.values()
                      if "/" in inner and _fold(inner.split("/", 1)[0]) not in FIXED_FOLDED}
    by_fold = {_fold(inner): inner for inner in folder.members.values()}
    claimed: set[str] = set()
    for label, records in (("invoices", body.invoices), ("payments", body.payments)):
        for i, record in enumerate(records):
            if record.file:
                found = by_fold.get(_fold(record.file))
            else:  # no path given: a file in a category folder whose name carries the number
                number = _fold(record.number)
                found = next((f for f in sorted(category_files)
                              if number and number in _fold(PurePosixPath(f).name)), None)
            if found is None:
                if label == "invoices" or record.file:
                    findings.append(_f(
                        "PSKE-A9-REGISTER", Severity.ERROR, f"{label}[{i}].file",
                        f"Το παραστατικό «{record.number}» του μητρώου δεν έχει αρχείο στον φάκελο"
                        f"{' («' + record.file + '»)' if record.file else ' της κατηγορίας του'}.",
                        f"Register document «{record.number}» has no file in the folder"
                        f"{' («' + record.file + '»)' if record.file else ' of its category'}."))
                continue
            claimed.add(found)
            if label == "invoices" and found not in category_files:
                findings.append(_f("PSKE-A9-STRUCTURE", Severity.ERROR, f"{label}[{i}].file",
                                   f"Το τιμολόγιο «{record.number}» πρέπει να βρίσκεται σε φάκελο κατηγορίας δαπάνης, "
                                   f"όχι στο «{found}».",
                                   f"Invoice «{record.number}» belongs in an expense-category folder, not «{found}».",
                                   "A9 (1)"))
    unlisted = sorted(category_files - claimed)
    if unlisted:
        findings.append(_f("PSKE-A9-UNLISTED", Severity.WARNING, "upload",
                           f"{len(unlisted)} αρχεία στους φακέλους κατηγοριών δεν αντιστοιχούν σε εγγραφή του "
                           f"μητρώου (π.χ. «{unlisted[0]}»): περιττά παραδοτέα καθυστερούν τον έλεγχο.",
                           f"{len(unlisted)} files in the category folders match no register record (e.g. "
                           f"«{unlisted[0]}»): unneeded deliverables slow the audit.", "A8"))
    return findings


@dataclass
class UploadCheck:
    inspection: ZipInspection
    folder: FolderCheck | None
    register: RegisterRead | None
    findings: list[Finding]


def check_upload(stream: IO[bytes], zip_name: str, size: int, afm: str, project_code: str, request_type: str,
                 stored_project: Project | None) -> UploadCheck:
    inspection = inspect_zip(stream)
    findings = list(inspection.findings)
    if any(f.severity is Severity.ERROR for f in findings) or not inspection.names:
        return UploadCheck(inspection, None, None, findings)
    folder = check_structure(inspection.names, zip_name, size, project_code, request_type)
    findings += folder.findings + premature_files(inspection.names)
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        register = read_register(archive, folder, afm, project_code, request_type, stored_project)
    findings += register.findings
    if register.body is not None:
        findings += cross_check(register.body, folder)
    return UploadCheck(inspection, folder, register, findings)


def split_zip_name(zip_name: str) -> tuple[str, str]:
    """«ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ.zip» → («ΚΡ-12345», «ΕΝΔΙΑΜΕΣΟ») (an office's own S3 tooling gives only this)."""
    stem = zip_name[:-4] if zip_name.lower().endswith(".zip") else zip_name
    code, _, kind = stem.partition("_")
    return code, kind
