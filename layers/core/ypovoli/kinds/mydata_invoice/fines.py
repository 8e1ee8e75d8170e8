"""What an unsent myDATA document may cost at an audit (SPEC §4; seed 001 «Λουκέτα»)."""

from __future__ import annotations

from decimal import Decimal

from ...models.submission import FineExposure
from ...rules.common import money


def fine_exposure(vat: Decimal, double_entry: bool) -> FineExposure:
    """VAT-bearing documents: 50% of their VAT, at least €250 / €500 per audit (single / double-entry
    books); documents without VAT: €500 / €1,000 per audit."""
    books_el = "διπλογραφικά" if double_entry else "απλογραφικά"
    books_en = "double-entry" if double_entry else "single-entry"
    if vat > 0:
        floor = Decimal(500 if double_entry else 250)
        amount = max(money(vat / 2), floor)
        return FineExposure(
            amount=amount,
            basis_el=f"50% του ΦΠΑ ({money(vat / 2)} €), τουλάχιστον {floor} € ανά έλεγχο ({books_el} βιβλία).",
            basis_en=f"50% of the VAT (€{money(vat / 2)}), at least €{floor} per audit ({books_en} books).",
        )
    fixed = Decimal(1000 if double_entry else 500)
    return FineExposure(
        amount=fixed,
        basis_el=f"Παραστατικό χωρίς ΦΠΑ: {fixed} € ανά έλεγχο ({books_el} βιβλία).",
        basis_en=f"Document without VAT: €{fixed} per audit ({books_en} books).",
    )
