"""Findings for input that cannot even be read as the model (bad JSON, wrong types, unknown fields)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..findings import Finding, Severity

REQUEST_SOURCE = "ypovoli API contract (SPEC §3)"
M = TypeVar("M", bound=BaseModel)


def body_finding(code: str, el: str, en: str, path: str = "body") -> Finding:
    """REQUEST-BODY / REQUEST-SIZE / REQUEST-XML: the request itself is unusable."""
    return Finding(code=code, severity=Severity.ERROR, path=path, message_el=el, message_en=en,
                   source=REQUEST_SOURCE)


_EL = {
    "missing": "Υποχρεωτικό πεδίο που λείπει.",
    "extra_forbidden": "Άγνωστο πεδίο: δεν υπάρχει στο XSD του myDATA.",
    "decimal_max_places": "Επιτρέπονται έως δύο δεκαδικά ψηφία.",
    "greater_than_equal": "Η τιμή είναι μικρότερη από την ελάχιστη επιτρεπτή.",
    "less_than_equal": "Η τιμή είναι μεγαλύτερη από τη μέγιστη επιτρεπτή.",
    "greater_than": "Η τιμή πρέπει να είναι θετική.",
    "string_pattern_mismatch": "Η τιμή δεν έχει τη μορφή που ορίζει το XSD.",
    "string_too_long": "Το κείμενο είναι μεγαλύτερο από το επιτρεπτό.",
    "string_too_short": "Το κείμενο είναι κενό ή πολύ μικρό.",
    "too_short": "Χρειάζεται τουλάχιστον ένα στοιχείο.",
    "too_long": "Υπερβολικά πολλά στοιχεία.",
}


def _path(root: str, loc: tuple[int | str, ...]) -> str:
    path = root
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def findings_from_validation_error(exc: ValidationError, code: str, root: str, source: str) -> list[Finding]:
    findings = []
    for err in exc.errors(include_url=False)[:50]:
        el = _EL.get(err["type"], "Μη αποδεκτή τιμή για αυτό το πεδίο (τύπος ή μορφή).")
        findings.append(
            Finding(code=code, severity=Severity.ERROR, path=_path(root, tuple(err["loc"])),
                    message_el=el, message_en=str(err["msg"]), source=source)
        )
    return findings


def parse_as(model: type[M], payload: Any, code: str, root: str, source: str) -> tuple[M | None, list[Finding]]:
    """``payload`` as ``model``, or nothing and one finding per problem (``code``, paths under ``root``)."""
    try:
        return model.model_validate(payload), []
    except ValidationError as exc:
        return None, findings_from_validation_error(exc, code, root, source)


#: What XML 1.0 calls a character (§2.2) — and so what AADE, the dossier and DynamoDB can carry:
#: no NUL or other C0 controls but tab and line ends, no lone surrogates, no U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def unusable_characters(payload: Any, path: str = "body", limit: int = 10) -> list[Finding]:
    """REQUEST-BODY for every string (or key) of a JSON body holding a character outside XML 1.0's
    ``Char``: refused at the door, with its path, instead of failing deep inside as a 5xx."""
    found: list[Finding] = []
    stack: list[tuple[str, Any]] = [(path, payload)]
    while stack and len(found) < limit:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((f"{where}.{key}", item))
                if isinstance(key, str) and _NOT_XML.search(key):
                    stack.append((f"{where}.<key>", key))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str) and (bad := _NOT_XML.search(value)):
            code = f"U+{ord(bad.group()):04X}"
            found.append(body_finding("REQUEST-BODY", f"Μη επιτρεπτός χαρακτήρας {code} στο κείμενο.",
                                      f"Character {code} is not allowed in text.", where))
    return found
