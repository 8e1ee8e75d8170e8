"""Every code a finding or an error answer can carry: its severities, where it arises, and what it means
in Greek and in English. ``GET /v1/codes`` serves it and docs/codes.md's table is generated from it
(``ypovoli codes --write-docs``); a test scans the package's source so that every code the code can emit
is here, and nothing here is emitted nowhere. Codes are stable: never renamed once published (SPEC §3).
"""

# ruff: noqa: E501  (a table of bilingual texts: one code a row reads better than wrapped strings)
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Code:
    code: str
    #: The severities it is emitted with: E error (blocks), W warning, I info — or "—" for an error
    #: answer that is no rule's finding (403, 404, 500…).
    severity: str
    area: str
    message_el: str
    message_en: str


_E, _W, _I = "E", "W", "I"

#: The codes of the generic layers; each kind's own are in its folder (``kinds/<kind>/catalog.py``,
#: ``registry.CATALOGS``), and :data:`CODES` is all of them.
OWN: tuple[Code, ...] = (
    Code("REQUEST-BODY", _E, "api", "Το σώμα δεν είναι JSON, δεν είναι αντικείμενο ή δεν ταιριάζει στο μοντέλο της διαδρομής.",
         "The body is not JSON, not an object, or does not fit the route's model."),
    Code("REQUEST-SIZE", _E, "api", "Το σώμα ξεπερνά το όριο μεγέθους.", "The body is over the size limit."),
    Code("REQUEST-QUERY", _E, "api", "Μια παράμετρος του ερωτήματος (query) δεν έχει σωστή μορφή.",
         "A query parameter is malformed."),
    Code("REQUEST-HEADER", _E, "api", "Η κεφαλίδα X-Ypovoli-Issued-At δεν είναι ημερομηνία-ώρα ISO 8601.",
         "The X-Ypovoli-Issued-At header is not an ISO 8601 date-time."),
    Code("REQUEST-CONTENT-TYPE", _E, "api", "Η διαδρομή δεν δέχεται αυτόν τον τύπο περιεχομένου (Content-Type)· το μήνυμα λέει ποιους δέχεται.",
         "The route does not take this content type (Content-Type); the message says which it takes."),
    Code("METHOD_NOT_ALLOWED", "—", "api", "Η διαδρομή δεν δέχεται αυτή τη μέθοδο HTTP· η κεφαλίδα Allow λέει ποιες δέχεται.",
         "The route does not take this HTTP method; the Allow header says which it takes."),
    Code("IDEMPOTENCY-KEY", _E, "api", "Το ίδιο Idempotency-Key με άλλο σώμα, ή το πρώτο αίτημα εκτελείται ακόμη.",
         "The same Idempotency-Key with another body, or its first request still running."),
    Code("INVALID", _E, "api", "Το αίτημα δεν έγινε δεκτό.", "The request was not accepted."),
    Code("UNAUTHORIZED", "—", "api", "Λείπει ή δεν ισχύει το κλειδί API στην κεφαλίδα x-api-key.",
         "The API key in the x-api-key header is missing or not valid."),
    Code("FORBIDDEN", "—", "api", "Δεν έχετε πρόσβαση σε αυτό το αντικείμενο ή δεν υπάρχει.",
         "You have no access to this item, or it does not exist."),
    Code("NOT_FOUND", "—", "api", "Δεν υπάρχει τέτοια διαδρομή.", "No such path."),
    Code("NO_WEBHOOK", "—", "webhooks", "Δεν έχει οριστεί webhook.", "No webhook is set."),
    Code("THROTTLED", "—", "api", "Πάρα πολλά αιτήματα· περιμένετε λίγο και στείλτε ξανά.",
         "Too many requests; wait a moment and send again."),
    Code("BUSY", "—", "api", "Η υπηρεσία είναι φορτωμένη· τίποτα δεν κρατήθηκε, στείλτε ξανά σε λίγο.",
         "The service is busy; nothing was kept, send again shortly."),
    Code("INTERNAL", "—", "api", "Εσωτερικό σφάλμα· δοκιμάστε ξανά.", "Internal error; please retry."),
    Code("UPSTREAM-REJECTED", _E, "transmission", "Η υπηρεσία προορισμού (ΑΑΔΕ, ΕΡΓΑΝΗ) απέρριψε το έγγραφο· ο κωδικός και το μήνυμά της, και τι σημαίνουν. Η διόρθωση με τον ίδιο αριθμό γίνεται δεκτή ως νέα υποβολή.",
         "The upstream (AADE, ERGANI) refused the document; its code and message, and what they mean. The correction with the same number is accepted as a new submission."),
    Code("UPSTREAM-RESUBMITTED", _W, "transmission", "Το ίδιο έγγραφο, χωρίς αλλαγές, είχε απορριφθεί· στέλνεται ξανά με τον λόγο της απόρριψης.",
         "The same document, unchanged, had been rejected; it is sent again, with the reason it was refused."),
    Code("WEBHOOK-URL", _E, "webhooks", "Ο προορισμός δεν είναι δημόσιο HTTPS ή καταλήγει σε ιδιωτική διεύθυνση.",
         "The target is not public HTTPS, carries credentials, or resolves to a private address."),
    Code("ZIP-UNREADABLE", _E, "dropzone", "Το zip δεν διαβάζεται.", "The zip cannot be read."),
    Code("ZIP-CHANGED", _E, "dropzone", "Το zip αντικαταστάθηκε από νεότερη αποστολή στο ίδιο όνομα ενώ ελεγχόταν· δεν αρχειοθετήθηκε.",
         "The zip was replaced by a newer upload under the same name while it was checked; it was not filed."),
    Code("ZIP-LIMITS", _E, "dropzone", "Το zip ξεπερνά τα όρια μεγέθους ή πλήθους αρχείων.", "The zip is over the size or count limits."),
    Code("ZIP-TRAVERSAL", _E, "dropzone", "Διαδρομή που βγαίνει έξω από το αρχείο.", "A path escaping the archive."),
    Code("ZIP-SYMLINK", _E, "dropzone", "Σύνδεσμος (symlink) μέσα στο zip.", "A link inside the zip."),
    Code("ZIP-ENCRYPTED", _E, "dropzone", "Κρυπτογραφημένο μέλος του zip.", "An encrypted member of the zip."),
    Code("ZIP-BOMB", _E, "dropzone", "Το zip αποσυμπιέζεται σε δυσανάλογο μέγεθος.", "The zip expands out of all proportion."),
    Code("ZIP-NESTED", _E, "dropzone", "Zip μέσα σε zip πέρα από ένα επίπεδο.", "Archives nested beyond one level."),
)

_SEVERITY_WORDS = {"E": "error", "W": "warning", "I": "info"}


@cache
def all_codes() -> tuple[Code, ...]:
    """The generic codes, then each kind's, in the registry's order."""
    from .kinds import registry

    return (*OWN, *(code for catalog in registry.catalogs() for code in catalog.CODES))


def __getattr__(name: str) -> Any:
    """``CODES``: every code (built on first use — the kinds' catalogs import this module's ``Code``)."""
    if name == "CODES":
        return all_codes()
    raise AttributeError(name)


@cache
def by_code() -> dict[str, Code]:
    return {c.code: c for c in all_codes()}


def words(code: str) -> tuple[str, str, str]:
    """(code, Greek, English) of a code, for the answers that say no more than the catalog does."""
    entry = by_code()[code]
    return entry.code, entry.message_el, entry.message_en


@cache
def catalog_json() -> dict[str, Any]:
    """``GET /v1/codes``: every code, with the severities it comes with spelled out."""
    return {"codes": [{**asdict(c), "severities": [_SEVERITY_WORDS[s] for s in c.severity.split("/")
                                                   if s in _SEVERITY_WORDS]} for c in all_codes()]}


def markdown_table() -> str:
    """docs/codes.md's generated table."""
    rows = ["| code | sev | area | Ελληνικά | English |", "|---|---|---|---|---|"]
    rows += [f"| {c.code} | {c.severity} | {c.area} | {c.message_el} | {c.message_en} |" for c in all_codes()]
    return "\n".join(rows) + "\n"
