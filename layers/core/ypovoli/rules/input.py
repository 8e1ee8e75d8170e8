"""Findings for input that cannot even be read as the model (bad JSON, wrong types, unknown fields)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..findings import Finding, Severity

REQUEST_SOURCE = "ypovoli API reference (GET /docs)"
M = TypeVar("M", bound=BaseModel)


def body_finding(code: str, el: str, en: str, path: str = "body") -> Finding:
    """REQUEST-BODY / REQUEST-SIZE / REQUEST-XML: the request itself is unusable."""
    return Finding(code=code, severity=Severity.ERROR, path=path, message_el=el, message_en=en,
                   source=REQUEST_SOURCE)


#: Our own words for each kind of validation error pydantic reports (its English is a library's, and
#: changes with its versions): ``{name}`` takes the error's context (the limit, the allowed values).
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Υποχρεωτικό πεδίο που λείπει.", "A required field is missing."),
    "extra_forbidden": ("Άγνωστο πεδίο: δεν προβλέπεται σε αυτό το σημείο.",
                        "Unknown field: it has no place here (check its spelling)."),
    "decimal_max_places": ("Επιτρέπονται έως {decimal_places} δεκαδικά ψηφία.",
                           "At most {decimal_places} decimal places are allowed."),
    "decimal_max_digits": ("Επιτρέπονται έως {max_digits} ψηφία συνολικά.", "At most {max_digits} digits are allowed."),
    "decimal_whole_digits": ("Επιτρέπονται έως {whole_digits} ψηφία πριν την υποδιαστολή.",
                             "At most {whole_digits} digits are allowed before the decimal point."),
    # Amounts (AADE's AmountType) are checked as multiples of a cent: say it in euros and cents.
    "multiple_of": ("Η τιμή πρέπει να είναι πολλαπλάσιο του {multiple_of}: για ποσά, ευρώ με έως δύο δεκαδικά "
                    "ψηφία (λεπτά).", "The value must be a multiple of {multiple_of}: for amounts, euros with at "
                    "most two decimal places (cents)."),
    "greater_than_equal": ("Η τιμή πρέπει να είναι τουλάχιστον {ge}.", "The value must be at least {ge}."),
    "greater_than": ("Η τιμή πρέπει να είναι μεγαλύτερη από {gt}.", "The value must be greater than {gt}."),
    "less_than_equal": ("Η τιμή πρέπει να είναι το πολύ {le}.", "The value must be at most {le}."),
    "less_than": ("Η τιμή πρέπει να είναι μικρότερη από {lt}.", "The value must be less than {lt}."),
    "string_pattern_mismatch": ("Η τιμή δεν έχει τη μορφή που ορίζεται για αυτό το πεδίο.",
                                "The value does not have the form this field requires."),
    "string_too_long": ("Το κείμενο ξεπερνά τους {max_length} χαρακτήρες.",
                        "The text is over {max_length} characters."),
    "string_too_short": ("Το κείμενο χρειάζεται τουλάχιστον {min_length} χαρακτήρες.",
                         "The text needs at least {min_length} characters."),
    "too_short": ("Η λίστα χρειάζεται τουλάχιστον {min_length} στοιχείο(α).",
                  "The list needs at least {min_length} item(s)."),
    "too_long": ("Επιτρέπονται έως {max_length} στοιχεία.", "At most {max_length} items are allowed."),
    "literal_error": ("Η τιμή πρέπει να είναι μία από: {expected}.", "The value must be one of: {expected}."),
    "enum": ("Η τιμή πρέπει να είναι μία από: {expected}.", "The value must be one of: {expected}."),
    "value_error": ("Μη αποδεκτή τιμή για αυτό το πεδίο.", "Value not accepted: {error}."),
    "assertion_error": ("Μη αποδεκτή τιμή για αυτό το πεδίο.", "Value not accepted: {error}."),
}

#: By the first word of the error's type (``int_parsing``, ``date_from_datetime_parsing``, …): what the
#: value should have been.
_EXPECTED: dict[str, tuple[str, str]] = {
    "int": ("ακέραιος αριθμός", "a whole number"),
    "float": ("αριθμός", "a number"),
    "decimal": ("δεκαδικός αριθμός (π.χ. 12.50)", "a decimal number (e.g. 12.50)"),
    "bool": ("true ή false", "true or false"),
    "date": ("ημερομηνία ΕΕΕΕ-ΜΜ-ΗΗ", "a date, YYYY-MM-DD"),
    "datetime": ("ημερομηνία και ώρα ISO 8601 με ζώνη ώρας", "a date and time, ISO 8601 with its offset"),
    "time": ("ώρα ΩΩ:ΛΛ", "a time, HH:MM"),
    "string": ("κείμενο", "text"),
    "list": ("λίστα", "a list"),
    "tuple": ("λίστα", "a list"),
    "set": ("λίστα", "a list"),
    "dict": ("αντικείμενο JSON", "a JSON object"),
    "model": ("αντικείμενο JSON", "a JSON object"),
    "dataclass": ("αντικείμενο JSON", "a JSON object"),
    "uuid": ("αναγνωριστικό UUID", "a UUID"),
    "url": ("διεύθυνση URL", "a URL"),
}

_DEFAULT = ("Μη αποδεκτή τιμή για αυτό το πεδίο.", "This value is not accepted for this field.")


def validation_messages(error_type: str, context: dict[str, Any] | None) -> tuple[str, str]:
    """The Greek and English message for one pydantic error (``type`` and ``ctx``), in our words."""
    ctx = {k: _plain(v) for k, v in (context or {}).items()}
    if error_type in _MESSAGES:
        el, en = _MESSAGES[error_type]
        try:
            el_ctx = {k: v.replace("' or '", "' ή '") for k, v in ctx.items()}
            return el.format(**el_ctx), en.format(**ctx)
        except (KeyError, IndexError):
            return _DEFAULT
    expected = _EXPECTED.get(error_type.split("_", 1)[0])
    if expected is not None:
        return f"Αναμενόταν {expected[0]}.", f"Expected {expected[1]}."
    return _DEFAULT


def _plain(value: Any) -> str:
    """A context value as a person reads it: the message of a ValueError, not its repr."""
    text = str(value)
    return text.removeprefix("Value error, ").removesuffix(".")


def _path(root: str, loc: tuple[int | str, ...]) -> str:
    path = root
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def findings_from_validation_error(exc: ValidationError, code: str, root: str, source: str) -> list[Finding]:
    findings = []
    for err in exc.errors(include_url=False)[:50]:
        el, en = validation_messages(err["type"], err.get("ctx"))
        findings.append(Finding(code=code, severity=Severity.ERROR, path=_path(root, tuple(err["loc"])),
                                message_el=el, message_en=en, source=source))
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
