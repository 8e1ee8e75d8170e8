"""The codes of the businesses and their fiscal devices's findings and answers: part of the catalog (``ypovoli.codes``, ``GET /v1/codes``,
docs/codes.md). Stable: never renamed once published (SPEC §3)."""

# ruff: noqa: E501  (a table of bilingual texts: one code a row reads better than wrapped strings)
from __future__ import annotations

from ...codes import Code

_E, _W, _I = "E", "W", "I"

CODES: tuple[Code, ...] = (
    Code("FHM-CADENCE", _E, "retail", "Ο ΦΗΜ δεν διαβίβασε δεδομένα εντός του διαστήματος του κλάδου του.",
         "The fiscal device has not sent its data within its sector's interval."),
    Code("FHM-EAFDSS", "E/W", "retail", "ΕΑΦΔΣΣ σε χρήση μετά τις 31.10.2023, ή ΦΤΜ/ΑΔΗΜΕ εστίασης προς αντικατάσταση.",
         "An ΕΑΦΔΣΣ in use after 31.10.2023, or a catering ΦΤΜ/ΑΔΗΜΕ to replace."),
    Code("FHM-DEVICE-DUPLICATE", _E, "retail", "Ο ΦΗΜ έχει ήδη καταχωριστεί γι' αυτόν τον ΑΦΜ.",
         "The fiscal device is already registered for this ΑΦΜ."),
    Code("REG-ACCOUNT", _E, "retail", "Η εγγραφή της επιχείρησης παραβιάζει κανόνα λογαριασμού (ΑΦΜ, e-mail, ΕΡΓΑΝΗ, ΑΜΕ).",
         "The business registration breaks an account rule (ΑΦΜ, e-mail, ERGANI, ΑΜΕ)."),
)
