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

CODES: tuple[Code, ...] = (
    # ---- the request itself ---------------------------------------------------------------------------
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
    Code("NO_REPORT", "—", "pske", "Η αναφορά του φακέλου δεν υπάρχει ακόμη.", "The dossier's report does not exist yet."),
    Code("THROTTLED", "—", "api", "Πάρα πολλά αιτήματα· περιμένετε λίγο και στείλτε ξανά.",
         "Too many requests; wait a moment and send again."),
    Code("BUSY", "—", "api", "Η υπηρεσία είναι φορτωμένη· τίποτα δεν κρατήθηκε, στείλτε ξανά σε λίγο.",
         "The service is busy; nothing was kept, send again shortly."),
    Code("INTERNAL", "—", "api", "Εσωτερικό σφάλμα· δοκιμάστε ξανά.", "Internal error; please retry."),
    Code("PSKE-AUDIT-LETTER", _E, "pske", "Η επιστολή ελέγχου δεν καταγράφηκε: το αίτημα δεν καταχωρίστηκε, ή αναφέρει δαπάνες ή παραστατικά άγνωστα στο έργο.",
         "The audit letter was not recorded: the request was not registered, or it names expenses or invoices the project does not have."),
    Code("UPSTREAM-REJECTED", _E, "transmission", "Η υπηρεσία προορισμού (ΑΑΔΕ, ΕΡΓΑΝΗ) απέρριψε το έγγραφο· ο κωδικός και το μήνυμά της, και τι σημαίνουν. Η διόρθωση με τον ίδιο αριθμό γίνεται δεκτή ως νέα υποβολή.",
         "The upstream (AADE, ERGANI) refused the document; its code and message, and what they mean. The correction with the same number is accepted as a new submission."),
    Code("UPSTREAM-RESUBMITTED", _W, "transmission", "Το ίδιο έγγραφο, χωρίς αλλαγές, είχε απορριφθεί· στέλνεται ξανά με τον λόγο της απόρριψης.",
         "The same document, unchanged, had been rejected; it is sent again, with the reason it was refused."),
    Code("WEBHOOK-URL", _E, "webhooks", "Ο προορισμός δεν είναι δημόσιο HTTPS ή καταλήγει σε ιδιωτική διεύθυνση.",
         "The target is not public HTTPS, carries credentials, or resolves to a private address."),
    # ---- myDATA ----------------------------------------------------------------------------------------
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
    # ---- retail ----------------------------------------------------------------------------------------
    Code("FHM-CADENCE", _E, "retail", "Ο ΦΗΜ δεν διαβίβασε δεδομένα εντός του διαστήματος του κλάδου του.",
         "The fiscal device has not sent its data within its sector's interval."),
    Code("FHM-EAFDSS", "E/W", "retail", "ΕΑΦΔΣΣ σε χρήση μετά τις 31.10.2023, ή ΦΤΜ/ΑΔΗΜΕ εστίασης προς αντικατάσταση.",
         "An ΕΑΦΔΣΣ in use after 31.10.2023, or a catering ΦΤΜ/ΑΔΗΜΕ to replace."),
    Code("FHM-DEVICE-DUPLICATE", _E, "retail", "Ο ΦΗΜ έχει ήδη καταχωριστεί γι' αυτόν τον ΑΦΜ.",
         "The fiscal device is already registered for this ΑΦΜ."),
    Code("REG-ACCOUNT", _E, "retail", "Η εγγραφή της επιχείρησης παραβιάζει κανόνα λογαριασμού (ΑΦΜ, e-mail, ΕΡΓΑΝΗ, ΑΜΕ).",
         "The business registration breaks an account rule (ΑΦΜ, e-mail, ERGANI, ΑΜΕ)."),
    # ---- SME -------------------------------------------------------------------------------------------
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
    # ---- ERGANI II -------------------------------------------------------------------------------------
    Code("ERGANI-SCHEMA", _E, "ergani", "Το έγγραφο δεν ταιριάζει στη μορφή της ΕΡΓΑΝΗ ΙΙ.",
         "The document does not fit ERGANI II's shape."),
    Code("ERGANI-AFM", _E, "ergani", "Μη έγκυρος ΑΦΜ εργοδότη ή εργαζομένου, ή λείπει ονοματεπώνυμο.",
         "An employer or employee ΑΦΜ is not valid, or a name is missing."),
    Code("ERGANI-DUPLICATE", _E, "ergani", "Η ίδια δήλωση έχει ήδη υποβληθεί.", "The same declaration was already submitted."),
    Code("ERGANI-CARD-DATE", _E, "ergani", "Η ημερομηνία του συμβάντος κάρτας δεν ταιριάζει με την ημερομηνία αναφοράς.",
         "The card event's date does not fit its reference date."),
    Code("ERGANI-CARD-DUPLICATE", _E, "ergani", "Ο ίδιος εργαζόμενος δύο φορές με τον ίδιο τύπο και ημερομηνία.",
         "The same employee twice with the same type and reference date."),
    Code("ERGANI-CARD-PAIR", _W, "ergani", "Λήξη χωρίς έναρξη, ή έναρξη χωρίς λήξη.", "An end without a start, or a start without an end."),
    Code("ERGANI-CARD-LATE", "E/W", "ergani", "Υποβολή πάνω από 15 λεπτά μετά το συμβάν (με ή χωρίς αιτιολογία).",
         "Submitted over 15 minutes after the event (with or without a justification)."),
    Code("ERGANI-FORCE-MAJEURE", _I, "ergani", "Ανωτέρα βία: το συμβάν κρατήθηκε σε διακοπή της ΕΡΓΑΝΗ και καταγράφηκε.",
         "Force majeure: the event was held through an ERGANI outage and recorded."),
    Code("ERGANI-SCHEDULE-SPLIT", _E, "ergani", "Το δεύτερο διάστημα σπαστού ωραρίου αρχίζει νωρίτερα από 3 ώρες.",
         "A split shift's second interval starts less than 3 hours after the first."),
    Code("ERGANI-SCHEDULE-REST", _E, "ergani", "Ρεπό ή μη εργασία μαζί με διαστήματα εργασίας την ίδια μέρα.",
         "A rest or non-work day combined with work intervals."),
    Code("ERGANI-SCHEDULE-FLEX", _E, "ergani", "Η ευέλικτη προσέλευση ξεπερνά τα 120 λεπτά.", "Flexible arrival over 120 minutes."),
    Code("ERGANI-SCHEDULE-BEFORE", _E, "ergani", "Το ωράριο δηλώνεται αφού άρχισε η εργασία που καλύπτει.",
         "The schedule is declared after the work it covers began."),
    Code("ERGANI-SCHEDULE-OVERLAP", _I, "ergani", "Ημέρες που κάλυψε ήδη προηγούμενη δήλωση· ισχύει η νεότερη.",
         "Days an earlier declaration covered; the latest holds."),
    Code("ERGANI-SCHEDULE-BREAK", _E, "ergani", "Το ωράριο επιμηκύνθηκε με διάλειμμα εκτός ωραρίου.",
         "The schedule was stretched by a break kept outside it."),
    Code("ERGANI-LEAVE-DUE", _W, "ergani", "Άδεια προς δήλωση εντός των πρώτων δέκα ημερών του επόμενου μήνα.",
         "A leave to declare within the first ten days of the next month."),
    Code("ERGANI-LEAVE-YEAR", _E, "ergani", "Κανονική άδεια χωρίς έτος αναφοράς και δικαιούμενες ημέρες.",
         "Regular leave without its reference year and entitled days."),
    Code("ERGANI-DEVIATION", _W, "ergani", "Απόκλιση κάρτας από το δηλωμένο ωράριο.", "Card times deviate from the declared schedule."),
    Code("ERGANI-LEAVE-CORRECTION", "E/W", "ergani", "Ορθή επανάληψη αδειών (WTOLeaveC) χωρίς σωστή αρχική δήλωση (πρωτόκολλο και ημερομηνία).",
         "A leave correction (WTOLeaveC) without a valid original (protocol and date)."),
    Code("ERGANI-LEAVE-CANCEL", "—", "ergani", "Η ανάκληση δήλωσης αδειών δεν έγινε: δεν είναι διαβιβασμένη, ή το ΕΡΓΑΝΗ αρνήθηκε ή δεν απάντησε.",
         "The leave declaration was not cancelled: not transmitted, or ERGANI refused or did not answer."),
    Code("ERGANI-OVERTIME-BEFORE", "E/W", "ergani", "Η υπερωρία αναγγέλλεται πριν αρχίσει· η λήξη της τροποποιείται πριν από την παλιά λήξη.",
         "Overtime is announced before it starts; its end is amended before the old end."),
    Code("ERGANI-OVERTIME-INTERVAL", _E, "ergani", "Η υπερωρία είναι ένα ενιαίο διάστημα με ώρες (ΥΠ), ή ακύρωση χωρίς ώρες (ΧΥΠ).",
         "Overtime is one continuous interval with its times (ΥΠ), or a cancellation without times (ΧΥΠ)."),
    Code("ERGANI-OVERTIME-START", _W, "ergani", "Η υπερωρία αρχίζει πριν λήξει το δηλωμένο ωράριο.",
         "The overtime starts before the declared schedule ends."),
    Code("ERGANI-OVERTIME-CANCEL", _E, "ergani", "Δεν βρέθηκε υπερωρία για ακύρωση, ή έχει ήδη αρχίσει.",
         "No overtime to cancel was found, or it has already started."),
    Code("ERGANI-OVERTIME-RETRO", "E/W", "ergani", "Απολογιστική υπερωρία (WTOOvA): μόνο για εργοδότες στην κάρτα, για υπερωρία που έγινε, έως τη λήξη του επόμενου μήνα.",
         "Retrospective overtime (WTOOvA): card-regime employers only, for overtime already worked, by the end of the next month."),
    Code("ERGANI-CARD-FLAG", "E/W", "ergani", "Εργαζόμενος χωρίς ένδειξη κάρτας εργασίας, ή εκτός του μητρώου του εργοδότη.",
         "An employee without the work card flag, or missing from the employer's registry."),
    Code("ERGANI-SCHEDULE-HOURS", _W, "ergani", "Το εβδομαδιαίο ωράριο δηλώνει περισσότερες ώρες από τη σύμβαση του εργαζομένου.",
         "The weekly schedule declares more hours than the employee's contract."),
    Code("ERGANI-CARD-REGIME", _W, "ergani", "Εργάσιμη ημέρα εργοδότη ενταγμένου στην κάρτα χωρίς καμία κίνηση κάρτας.",
         "A working day of an employer in the card regime without any card event."),
    Code("ERGANI-STAFF-IMPORT", "—", "ergani", "Η ανάγνωση του εργοδότη και του προσωπικού από το ΕΡΓΑΝΗ δεν έγινε.",
         "Reading the employer and its staff from ERGANI did not happen."),
    # ---- ΠΣΚΕ ------------------------------------------------------------------------------------------
    Code("PSKE-SCHEMA", _E, "pske", "Το αίτημα πληρωμής δεν ταιριάζει στο μοντέλο του.", "The payment request does not fit its model."),
    Code("PSKE-A1-ENTITY", _E, "pske", "Τα στοιχεία του δικαιούχου διαφέρουν από το Τεχνικό Παράρτημα.",
         "The investor's data differ from the Technical Annex."),
    Code("PSKE-A2-ELIGIBLE", _E, "pske", "Δαπάνη μη εγκεκριμένη ή μη επιλέξιμη.", "An expense not approved or not eligible."),
    Code("PSKE-A3-MINIMUM", _W, "pske", "Μετά τις πιθανές περικοπές η υλοποίηση πέφτει κάτω από το ελάχιστο.",
         "After likely cuts, implementation falls below the minimum."),
    Code("PSKE-A4-APPROVED", _W, "pske", "Αιτούμενη αξία πάνω από την εγκεκριμένη· πιστοποιείται η εγκεκριμένη.",
         "Requested value above the approved; the approved is certified."),
    Code("PSKE-A5-PAYMENT", _E, "pske", "Τιμολόγιο πληρωμένο με μη επιτρεπτό τρόπο ή όχι εξ ολοκλήρου.",
         "An invoice paid by a method not allowed, or not in full."),
    Code("PSKE-A6-CATEGORY", _E, "pske", "Υπέρβαση ορίου κατηγορίας ή είδους δαπάνης.", "A category or expense-type limit is exceeded."),
    Code("PSKE-A7-FIXED-ASSETS", _W, "pske", "Πάγιο χωρίς καταχώριση σε λογαριασμό και μητρώο παγίων.",
         "A fixed asset not booked in fixed-asset accounts and register."),
    Code("PSKE-A8-DELIVERABLES", _E, "pske", "Λείπει υποχρεωτικό δικαιολογητικό ή παραδοτέο.", "A required document or deliverable is missing."),
    Code("PSKE-A8-SAMPLES", _E, "pske", "Δαπάνη προβολής χωρίς δείγματα του έντυπου υλικού (όχι φωτοαντίγραφα).",
         "A promotion expense without samples of the printed material (not photocopies)."),
    Code("PSKE-A8-PREMATURE", _W, "pske", "Δικαιολογητικά καταβολής ενίσχυσης στάλθηκαν πριν την ώρα τους.",
         "Aid-payment documents sent before their time."),
    Code("PSKE-A8-CARD", _E, "pske", "Πληρωμή με κάρτα χωρίς απόδειξη ότι η κάρτα είναι της εταιρείας ή χωρίς κίνηση.",
         "A card payment without proof the card is the company's, or its statement."),
    Code("PSKE-A9-STRUCTURE", _E, "pske", "Το zip ή οι φάκελοί του δεν έχουν την προβλεπόμενη δομή.",
         "The zip or its folders do not have the required layout."),
    Code("PSKE-A9-SIZE", _W, "pske", "Zip πάνω από 20 MB: δεν στέλνεται με e-mail.", "A zip over 20 MB cannot be e-mailed."),
    Code("PSKE-A9-NAMES", _W, "pske", "Ονόματα αρχείων μεγαλύτερα από το όριο.", "File names over the length limit."),
    Code("PSKE-A9-REGISTER", "E/I", "pske", "Το μητρώο του φακέλου δεν διαβάζεται ή δεν ταιριάζει· ή λείπει.",
         "The folder's register cannot be read or does not match; or there is none."),
    Code("PSKE-A9-UNLISTED", _W, "pske", "Αρχεία που δεν αναφέρει καμία εγγραφή του μητρώου.", "Files no register record names."),
    Code("PSKE-B1-FIELDS", _E, "pske", "Εγγραφή παραστατικού ή πληρωμής χωρίς υποχρεωτικό πεδίο ή με λάθος αξία.",
         "An invoice or payment record lacks a required field or has a wrong value."),
    Code("PSKE-B1-BOOKS", _E, "pske", "Λείπουν στοιχεία βιβλίων (ημερομηνία ή λογαριασμός και ημερομηνία καταχώρισης).",
         "Book-keeping data missing (book date, or ledger account and booking date)."),
    Code("PSKE-B2-DUPLICATE", _E, "pske", "Παραστατικό ή πληρωμή καταχωρίζεται ξανά.", "An invoice or payment registered again."),
    Code("PSKE-B3-AGGREGATE", _E, "pske", "Πολλά παραστατικά ή πληρωμές σε μία εγγραφή.", "Several invoices or payments merged into one record."),
    Code("PSKE-B4-RENT", _E, "pske", "Η εγγραφή ενοικίου δεν ακολουθεί τον τρόπο καταχώρισης μισθωτηρίου.",
         "The rent record does not follow the lease-recording rules."),
    Code("PSKE-B5-DEPRECIATION", _E, "pske", "Η εγγραφή αποσβέσεων δεν ακολουθεί τον τρόπο καταχώρισης.",
         "The depreciation record does not follow the recording rules."),
    Code("PSKE-B6-PAYROLL", _E, "pske", "Η μισθοδοτική κατάσταση δεν ακολουθεί τον τρόπο καταχώρισης.",
         "The payroll record does not follow the recording rules."),
    Code("PSKE-B7-WITHHOLDING", _E, "pske", "Η πληρωμή τιμολογίου με παρακράτηση δεν είναι σε δύο εγγραφές.",
         "An invoice with withholding is not paid in two records."),
    Code("PSKE-B7-DELIVERABLES", _E, "pske", "Λείπει η δήλωση παρακρατούμενων φόρων ή η ταυτότητα πληρωμής.",
         "The withholding-tax return or its payment id is missing."),
    Code("PSKE-B8-NO-DELETE", _E, "pske", "Εγγραφή προηγούμενου σταδίου διαγράφηκε ή ξανακαταχωρίστηκε.",
         "A record of an earlier stage was deleted or entered again."),
    Code("PSKE-B9-OVERRUN", _W, "pske", "Υπέρβαση εγκεκριμένης αξίας ή τιμολόγιο όχι πλήρως εξοφλημένο.",
         "Approved value overrun, or an invoice not fully paid."),
    Code("PSKE-B10-CATEGORY", _E, "pske", "Δαπάνη σε λάθος κατηγορία ή αιτούμενο πάνω από το εγκεκριμένο ανά κατηγορία.",
         "An expense in the wrong category, or more requested than approved for it."),
    # ---- the drop folder's zips ------------------------------------------------------------------------
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
def by_code() -> dict[str, Code]:
    return {c.code: c for c in CODES}


def words(code: str) -> tuple[str, str, str]:
    """(code, Greek, English) of a code, for the answers that say no more than the catalog does."""
    entry = by_code()[code]
    return entry.code, entry.message_el, entry.message_en


@cache
def catalog_json() -> dict[str, Any]:
    """``GET /v1/codes``: every code, with the severities it comes with spelled out."""
    return {"codes": [{**asdict(c), "severities": [_SEVERITY_WORDS[s] for s in c.severity.split("/")
                                                   if s in _SEVERITY_WORDS]} for c in CODES]}


def markdown_table() -> str:
    """docs/codes.md's generated table."""
    rows = ["| code | sev | area | Ελληνικά | English |", "|---|---|---|---|---|"]
    rows += [f"| {c.code} | {c.severity} | {c.area} | {c.message_el} | {c.message_en} |" for c in CODES]
    return "\n".join(rows) + "\n"
