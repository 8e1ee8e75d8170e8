"""The codes of the SME checks's findings and answers: part of the catalog (``ypovoli.codes``, ``GET /v1/codes``,
docs/codes.md). Stable: never renamed once published (SPEC §3)."""

# ruff: noqa: E501  (a table of bilingual texts: one code a row reads better than wrapped strings)
from __future__ import annotations

from ...codes import Code

_E, _W, _I = "E", "W", "I"

CODES: tuple[Code, ...] = (
    Code("VOUCHER-TXID", _E, "sme", "Πληρωμή χωρίς έγκυρο μοναδικό κωδικό συναλλαγής (ή YYYYMMDD_IBAN).",
         "A payment without a valid unique transaction id (or YYYYMMDD_IBAN)."),
    Code("VOUCHER-QTY", _W, "sme", "Η επιλέξιμη ποσότητα είναι μικρότερη από τη ζητούμενη· η επιδότηση περικόπτεται.",
         "The eligible quantity is below the one claimed; the subsidy is cut."),
    Code("VOUCHER-WITHHOLDING", _I, "sme", "Ο παρακρατούμενος φόρος μετρά στην ιδία συμμετοχή.",
         "The withheld tax counts toward the own contribution."),
    Code("ADVANCE-RETENTION", _E, "sme", "Δεν τηρήθηκε η υποχρέωση διατήρησης θέσεων εργασίας: επιστρέφεται όλο το ποσό.",
         "The job-retention obligation was not met: the whole amount is repaid."),
    Code("ADVANCE-RETURN", _I, "sme", "Το ποσοστό επιστροφής της επιστρεπτέας προκαταβολής και η εφαρμοσμένη διάταξη.",
         "The repayable advance's share to repay and the clause applied."),
)
