"""The codes of myDATA's findings and answers: part of the catalog (``ypovoli.codes``, ``GET /v1/codes``,
docs/codes.md). Stable: never renamed once published (SPEC §3)."""

# ruff: noqa: E501  (a table of bilingual texts: one code a row reads better than wrapped strings)
from __future__ import annotations

from ...codes import Code

_E, _W, _I = "E", "W", "I"

CODES: tuple[Code, ...] = (
    Code("MYDATA-SCHEMA", _E, "mydata", "Το παραστατικό δεν επικυρώνεται στο επίσημο XSD του myDATA.",
         "The invoice does not validate against myDATA's official XSD."),
    Code("MYDATA-AFM", _E, "mydata", "Μη έγκυρος ΑΦΜ εκδότη ή αντισυμβαλλομένου.", "An issuer or counterpart ΑΦΜ is not valid."),
    Code("MYDATA-TYPE", _E, "mydata", "Άγνωστος τύπος παραστατικού, ή λείπει ο αντισυμβαλλόμενος που απαιτεί.",
         "Unknown invoice type, or the counterpart it requires is missing."),
    Code("MYDATA-VAT-RATE", _E, "mydata", "Ο ΦΠΑ γραμμής δεν αντιστοιχεί στον συντελεστή της κατηγορίας του.",
         "A line's VAT does not match its VAT category's rate."),
    Code("MYDATA-TOTALS", _E, "mydata", "Τα σύνολα δεν ισούνται με τα αθροίσματα των γραμμών.",
         "The totals do not equal the sums of the lines."),
    Code("MYDATA-CLASSIFICATION", _E, "mydata", "Μη επιτρεπτός συνδυασμός χαρακτηρισμού ή ποσά που δεν αθροίζουν.",
         "A classification combination not allowed, or amounts that do not add up."),
    Code("MYDATA-DUPLICATE", _E, "mydata", "Το ίδιο παραστατικό έχει ήδη υποβληθεί.", "The same invoice was already submitted."),
    Code("MYDATA-DATE", "E/W", "mydata", "Ημερομηνία έκδοσης στο μέλλον (σφάλμα) ή εκτός προθεσμίας (προειδοποίηση).",
         "Issue date in the future (error) or past the window (warning)."),
    Code("MYDATA-OUTAGE", _I, "mydata", "Διαβιβάστηκε μετά από διακοπή: transmissionFailure και τεκμήρια της διακοπής.",
         "Sent after an outage: transmissionFailure set and the outage evidence kept."),
    Code("MYDATA-LATE", _W, "mydata", "Διαβιβάστηκε μετά την προθεσμία· επισυνάπτεται το πιθανό πρόστιμο.",
         "Sent after the deadline; the likely fine is attached."),
    Code("MYDATA-CORRELATION", "E/W", "mydata", "Το πιστωτικό συσχετίζεται με ακυρωμένο ή ξένο ΜΑΡΚ, ή με άγνωστο ΜΑΡΚ.",
         "The credit note corrects a cancelled or another issuer's MARK, or an unknown one."),
    Code("MYDATA-CANCEL", _E, "mydata", "Η ακύρωση δεν έγινε: μη διαβιβασμένο, άρνηση της ΑΑΔΕ ή χωρίς απάντηση.",
         "Not cancelled: not transmitted, refused by AADE, or AADE did not answer."),
)
