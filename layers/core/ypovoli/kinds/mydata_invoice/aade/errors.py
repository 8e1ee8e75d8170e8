"""AADE's error codes in a ResponseDoc, said in Greek and English, and what the gateway does after one
(shared/reference/mydata-api.md §1.6, from AADE's «myDATA REST API» technical documentation, the
errors' table). AADE's own message comes back in English or Greek, terse, sometimes naming a field;
these say what it means for the person who must fix the invoice."""

from __future__ import annotations

from ....findings import Finding, Severity
from ....models.submission import UpstreamError

#: Where a person reads AADE's error table.
SOURCE = ("ΑΑΔΕ, myDATA REST API — Τεχνικές Προδιαγραφές, πίνακας σφαλμάτων "
          "(https://www.aade.gr/epiheiriseis/mydata-ilektronika-biblia-aade/mydata/tehnikes-prodiagrafes-ekdoseis-mydata)")

#: code → (Greek, English): what AADE's refusal means.
MEANINGS: dict[str, tuple[str, str]] = {
    "101": ("Το XML δεν επικυρώνεται στο σχήμα της ΑΑΔΕ.", "The XML does not validate against AADE's schema."),
    "102": ("Ο ΑΦΜ δεν ανήκει σε ενεργή επιχείρηση.", "The VAT number is not an active business."),
    "104": ("Δεν βρέθηκε παραστατικό με αυτό το ΜΑΡΚ.", "No invoice with that MARK was found."),
    "105": ("Ο χρήστης δεν έχει δικαίωμα για αυτόν τον ΑΦΜ.", "The user is not authorised for that VAT number."),
    "201": ("Ο χρήστης δεν έχει δικαίωμα για τον ΑΦΜ του εκδότη.",
            "The user is not authorised for the issuer's VAT number."),
    "202": ("Μη έγκυρος ελληνικός ΑΦΜ.", "Not a valid Greek VAT number."),
    "203": ("Η μικτή αξία δεν ισούται με καθαρή αξία συν φόρους.", "The gross value is not net value plus taxes."),
    "204": ("Λείπει πεδίο υποχρεωτικό για αυτόν τον τύπο παραστατικού.",
            "A field mandatory for this invoice type is missing."),
    "205": ("Υπάρχει πεδίο που δεν επιτρέπεται σε αυτόν τον τύπο παραστατικού.",
            "A field not allowed for this invoice type is present."),
    "207": ("Το άθροισμα των καθαρών αξιών των γραμμών δεν ισούται με το σύνολο.",
            "The lines' net values do not add up to the total."),
    "208": ("Το άθροισμα των μικτών αξιών δεν ισούται με το σύνολο.", "The gross values do not add up to the total."),
    "209": ("Το άθροισμα του ΦΠΑ των γραμμών δεν ισούται με το σύνολο ΦΠΑ.",
            "The lines' VAT does not add up to the total VAT."),
    "210": ("Το άθροισμα των παρακρατήσεων δεν ισούται με το σύνολο.",
            "The withheld amounts do not add up to the total."),
    "211": ("Νόμισμα εκτός ευρώ χωρίς ισοτιμία.", "A currency other than EUR without an exchange rate."),
    "212": ("Ο αύξων αριθμός (aa) πρέπει να είναι αριθμητικός για Έλληνα εκδότη.",
            "The number (aa) must be numeric for a Greek issuer."),
    "215": ("Ο ΦΠΑ δεν αντιστοιχεί στην κατηγορία ΦΠΑ της γραμμής.", "The VAT does not fit the line's VAT category."),
    "217": ("Κατηγορία ΦΠΑ 7 (0%) χωρίς κατηγορία εξαίρεσης ΦΠΑ.",
            "VAT category 7 (0%) without a VAT exemption category."),
    "219": ("Δεν επιτρέπεται επωνυμία για Έλληνα εκδότη.", "A name is not allowed for a Greek issuer."),
    "220": ("Δεν επιτρέπεται επωνυμία για Έλληνα αντισυμβαλλόμενο.", "A name is not allowed for a Greek counterpart."),
    "224": ("Φόροι και ανά γραμμή και ανά παραστατικό: ένα από τα δύο.",
            "Taxes both per line and per invoice: one or the other."),
    "228": ("Μη έγκυρο ή ήδη υποβληθέν αναγνωριστικό (UID) ή τύπος παραστατικού.",
            "The UID is invalid or already sent, or the invoice type is invalid."),
    "229": ("Λείπει χαρακτηρισμός εσόδων.", "An income classification is missing."),
    "233": ("Το παραστατικό με αυτό το UID έχει ήδη διαβιβαστεί.", "The invoice with this UID was already sent."),
    "259": ("Αντικαθιστά παραστατικό με το ίδιο UID που συνδέεται με ενεργά παραστατικά.",
            "It replaces an invoice with the same UID that is still linked to active invoices."),
    "260": ("Η ημερομηνία έκδοσης είναι μεταγενέστερη της σημερινής.", "The issue date is after today."),
    "261": ("Διπλός αριθμός γραμμής (lineNumber).", "A line number (lineNumber) appears twice."),
    "265": ("Πάνω από 5.000 παραστατικά σε ένα μήνυμα.", "More than 5,000 invoices in one message."),
    "288": ("Με ένδειξη 4 η υποβολή επιτρέπεται μόνο έως δύο ημέρες από την έκδοση.",
            "With indicator 4 the invoice may be sent only within two days of its issue."),
    "306": ("Το άθροισμα των χαρακτηρισμών δεν ισούται με την καθαρή αξία της γραμμής.",
            "The classifications do not add up to the line's net value."),
    "311": ("Ο χαρακτηρισμός δεν βρέθηκε.", "The classification was not found."),
    "312": ("Ο χαρακτηρισμός δεν ταιριάζει με τη σύνοψη.", "The classification does not match the summary."),
    "314": ("Χαρακτηρισμός εσόδων ή εξόδων: όχι και τα δύο.", "Income or expense classification: not both."),
}

#: AADE's answers that mean it already holds a document with this UID: the gateway asks AADE for it
#: (RequestTransmittedDocs) and keeps its MARK, instead of calling the document rejected.
ALREADY_HELD = frozenset({"228", "233"})


def refusal_finding(error: UpstreamError) -> Finding:
    """AADE's refusal of one document, as a finding: its code and message, and what it means."""
    meaning = MEANINGS.get(error.code)
    said = f"{error.code}: {error.message}" if error.code else error.message
    el = f"Η ΑΑΔΕ απέρριψε το παραστατικό ({said})."
    en = f"AADE refused the invoice ({said})."
    if meaning is not None:
        el, en = f"{el} {meaning[0]}", f"{en} {meaning[1]}"
    el += " Διορθώστε το και στείλτε το ξανά με την ίδια σειρά και αριθμό."
    en += " Correct it and send it again with the same series and number."
    return Finding(code="UPSTREAM-REJECTED", severity=Severity.ERROR, path="invoice", message_el=el,
                   message_en=en, source=SOURCE)
