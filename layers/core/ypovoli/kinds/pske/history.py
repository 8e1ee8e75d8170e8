"""What earlier requests of a ΠΣΚΕ project registered, and what makes two records one document
(seed 003 §Β2). Pure data: the rules read it, the store fills it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ...rules.common import money
from .model import RENT_KIND, InvoiceRecord, PaymentRecord, Record


def norm(text: str) -> str:
    """Identity that survives typing (issue 12 §5): accents stripped (NFD, combining marks out), case
    folded (so «ς» = «σ»), whitespace removed — «Τράπεζα  Πειραιώς» is «ΤΡΑΠΕΖΑ ΠΕΙΡΑΙΩΣ»."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", "", bare).casefold()


def invoice_identity(record: InvoiceRecord) -> str:
    """What makes two invoice records the same document. Rent may be requested lease by lease or
    month by month (seed §Β2.1 exception): its amount is part of its identity."""
    key = f"INV|{record.supplier_afm}|{norm(record.number)}|{record.date}"
    return f"{key}|{money(record.net_value)}" if norm(record.kind) == norm(RENT_KIND) else key


def payment_identity(record: PaymentRecord) -> str:
    return f"PAY|{norm(record.issuer)}|{norm(record.number)}|{record.date}"


def identity(record: Record) -> str:
    if isinstance(record, InvoiceRecord):
        return invoice_identity(record)
    assert isinstance(record, PaymentRecord)
    return payment_identity(record)


@dataclass(frozen=True)
class History:
    """What earlier requests of the same project registered (from the index, any channel).

    ``requested`` is what was linked per expense (ΠΣΚΕ's «Δαπάνες – Παραστατικά» totals, B9);
    ``certified`` what survived each request's cuts per expense (A3, A4, A6, B10 count it: issue 12
    §4); ``invoice_certified`` the same per invoice identity (B8 re-links); ``values`` the value each
    document was registered with (an "existing" record may not change it: B8)."""

    invoices: dict[str, str] = field(default_factory=dict)   # identity → request id
    payments: dict[str, str] = field(default_factory=dict)
    requested: dict[str, Decimal] = field(default_factory=dict)  # expense code → linked value
    certified: dict[str, Decimal] = field(default_factory=dict)  # expense code → certifiable value
    invoice_certified: dict[str, Decimal] = field(default_factory=dict)  # invoice identity → certifiable
    values: dict[str, Decimal] = field(default_factory=dict)  # identity → registered value
    #: Expenses whose earlier figure comes, for at least one earlier request, from ypovoli's prediction
    #: (no audit letter recorded for it), and those certified by a recorded audit letter.
    predicted: frozenset[str] = frozenset()
    audited: frozenset[str] = frozenset()

    def earlier_certified(self, expense: str) -> Decimal:
        return self.certified.get(expense, Decimal(0))

    def basis(self, expenses: Iterable[str]) -> tuple[str, str]:
        """Whose figures the earlier amounts of ``expenses`` are, in words (el, en): the audit letter's
        where one was recorded, ypovoli's prediction of the audit where not."""
        wanted = set(expenses)
        predicted, audited = wanted & self.predicted, wanted & self.audited
        if predicted and audited:
            return ("εν μέρει από επιστολή ελέγχου, εν μέρει πρόβλεψη της ypovoli (χωρίς καταχωρισμένη επιστολή)",
                    "partly from audit letters, partly ypovoli's prediction (no audit letter recorded)")
        if audited:
            return "πιστοποιημένα με επιστολή ελέγχου", "certified by the audit letter"
        if predicted:
            return ("πρόβλεψη της ypovoli· δεν έχει καταχωριστεί επιστολή ελέγχου",
                    "ypovoli's prediction; no audit letter recorded")
        return "κανένα προηγούμενο αίτημα", "no earlier request"
