"""What unsent myDATA documents may cost at an audit, summed as the law sums them.

The scale is the one the sources give for documents a fiscal device did not transmit (seed 001
«Λουκέτα», the ΦΗΜ fines as AADE described them): «πρόστιμο … 50% επί του ΦΠΑ … του κάθε μη
διαβιβασθέντος στοιχείου. Το πρόστιμο αυτό δεν μπορεί να είναι κατώτερο, αθροιστικά ανά φορολογικό
έλεγχο, των 250 ευρώ … και των 500 ευρώ …»; documents without VAT «500 ευρώ ανά φορολογικό έλεγχο …
1.000 ευρώ». So the minimum counts **once per audit**, over all the business's unsent documents, not
once per document; a document's own figure is its share of that total.

Seed 004 gives no fine for late myDATA documents. The Code of Tax Procedure has an article of its own
for them (ν. 4987/2022 άρθρο 54ΙΓ: 10% of each document's net value, capped per day and per year), but
its text in force could not be read here; the figure is therefore the ΦΗΜ scale applied by analogy,
and every basis says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal

from ...models.submission import FineExposure
from ...rules.common import money

#: Where a person reads the scale (seed 001 is this article).
SOURCE_EL = ("κλίμακα της μη διαβίβασης στοιχείων ΦΗΜ (ΑΑΔΕ, «Λουκέτα» από την 1η Δεκεμβρίου για τις ταμειακές "
             "μηχανές, https://www.newsbomb.gr/oikonomia), κατ' αναλογία: το άρθρο 54ΙΓ ΚΦΔ (ν. 4987/2022) για το "
             "myDATA δεν διαβάστηκε στο ισχύον κείμενο")
SOURCE_EN = ("the scale for documents a fiscal device did not transmit (AADE, as reported at "
             "https://www.newsbomb.gr/oikonomia), by analogy: the Code of Tax Procedure's own article for myDATA "
             "(ν. 4987/2022 art. 54ΙΓ) could not be read in its text in force")
CENT = Decimal("0.01")


def _books(double_entry: bool, by_default: bool) -> tuple[str, str]:
    """The books, in words — and that they are the default, where the business never said."""
    el, en = ("διπλογραφικά βιβλία", "double-entry books") if double_entry else \
        ("απλογραφικά βιβλία", "single-entry books")
    if by_default:
        return (f"{el}: η προεπιλογή, αφού η επιχείρηση δεν δήλωσε τα βιβλία της",
                f"{en}: the default, as the business has not said which it keeps")
    return el, en


def _split(total: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """``total`` in cents over ``weights`` (equal where they are all zero); the rounding's remainder
    goes to the last, so the shares add up to the total exactly."""
    names = list(weights)
    whole = sum(weights.values(), Decimal(0))
    shares: dict[str, Decimal] = {}
    for name in names[:-1]:
        part = total * weights[name] / whole if whole else total / len(names)
        shares[name] = part.quantize(CENT, rounding=ROUND_DOWN)
    if names:
        shares[names[-1]] = total - sum(shares.values(), Decimal(0))
    return shares


def audit_total(vats: Mapping[str, Decimal], double_entry: bool) -> Decimal:
    """What one audit may charge for these unsent documents (id → VAT)."""
    halves = [money(v / 2) for v in vats.values() if v > 0]
    total = Decimal(0)
    if halves:
        total += max(sum(halves, Decimal(0)), Decimal(500 if double_entry else 250))
    if any(v <= 0 for v in vats.values()):
        total += Decimal(1000 if double_entry else 500)
    return total


def audit_shares(vats: Mapping[str, Decimal], double_entry: bool, by_default: bool = False) -> dict[str, FineExposure]:
    """Each unsent document's share of the audit's fine (id → VAT in, id → its share and the basis in
    words out): 50% of each document's VAT, summed, the minimum of the books applied once to that sum;
    documents without VAT one fixed amount per audit, split among them."""
    books_el, books_en = _books(double_entry, by_default)
    with_vat = {k: v for k, v in vats.items() if v > 0}
    without = [k for k, v in vats.items() if v <= 0]
    out: dict[str, FineExposure] = {}
    if with_vat:
        halves = {k: money(v / 2) for k, v in with_vat.items()}
        summed = sum(halves.values(), Decimal(0))
        floor = Decimal(500 if double_entry else 250)
        total = max(summed, floor)
        for name, share in _split(total, halves).items():
            out[name] = FineExposure(
                amount=share,
                basis_el=f"Μερίδιο {share} € του προστίμου ανά έλεγχο {total} €: 50% του ΦΠΑ κάθε μη διαβιβασθέντος "
                         f"στοιχείου ({halves[name]} € για αυτό· {len(halves)} στοιχεία, άθροισμα {summed} €), "
                         f"τουλάχιστον {floor} € αθροιστικά ανά έλεγχο ({books_el}). Πηγή: {SOURCE_EL}.",
                basis_en=f"Share €{share} of the per-audit fine €{total}: 50% of the VAT of each document not sent "
                         f"(€{halves[name]} for this one; {len(halves)} documents, €{summed} in all), at least "
                         f"€{floor} in all per audit ({books_en}). Source: {SOURCE_EN}.")
    if without:
        fixed = Decimal(1000 if double_entry else 500)
        for name, share in _split(fixed, dict.fromkeys(without, Decimal(0))).items():
            out[name] = FineExposure(
                amount=share,
                basis_el=f"Μερίδιο {share} € των {fixed} € ανά έλεγχο για στοιχεία χωρίς ΦΠΑ ({len(without)} "
                         f"στοιχεία, {books_el}). Πηγή: {SOURCE_EL}.",
                basis_en=f"Share €{share} of the €{fixed} per audit for documents without VAT ({len(without)} "
                         f"documents, {books_en}). Source: {SOURCE_EN}.")
    return out


def fine_exposure(vat: Decimal, double_entry: bool, by_default: bool = False) -> FineExposure:
    """One document's exposure were it the audit's only unsent document."""
    return audit_shares({"this": vat}, double_entry, by_default)["this"]
