"""ΠΣΚΕ payment-request rules PSKE-A1 … PSKE-B10 (SPEC §5.4; seed 003, «Οδηγίες βέλτιστης
υποβολής αιτήματος ελέγχου»). Pure functions: a request and the project's history in, findings and
euro cuts out. Each rule names the seed's section it comes from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import PurePosixPath

from ...findings import Finding, Severity
from ...rules.common import english_amount as _en
from ...rules.common import greek_amount as _eur
from ...rules.common import is_valid_afm, money
from .history import History, identity
from .history import norm as _norm
from .model import (
    DEPRECIATION_KIND,
    DEPRECIATION_PAYMENT_KIND,
    DEPRECIATION_SUPPLIER,
    FIXED_ASSET_KINDS,
    PAYROLL_KIND,
    RENT_KIND,
    Cut,
    InvoiceRecord,
    PaymentRecord,
    PaymentRequestBody,
    Record,
)

SEED = "Οδηγός ΠΣΚΕ «Οδηγίες βέλτιστης υποβολής αιτήματος ελέγχου» (https://www.ependyseis.gr/mis/)"
ZERO = Decimal(0)
CENT = Decimal("0.01")


def _src(section: str) -> str:
    return f"{SEED} §{section}"


def _f(code: str, severity: Severity, path: str, el: str, en: str, section: str) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=_src(section))


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    cuts: list[Cut] = field(default_factory=list)
    #: What each expense link (``body.expense_links``, same order) holds after every cut: what the
    #: project's history records as certified for the next request (issue 12 §4).
    certified: list[Decimal] = field(default_factory=list)


@dataclass
class Context:
    body: PaymentRequestBody
    history: History
    invoices: dict[str, InvoiceRecord]
    payments: dict[str, PaymentRecord]
    expenses: dict[str, object]
    out: Outcome

    def requested_by_expense(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for link in self.body.expense_links:
            totals[link.expense] += link.value
        return totals

    def paid_by_invoice(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for link in self.body.payment_links:
            totals[link.invoice] += link.amount
        return totals

    def links_of_payment(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for link in self.body.payment_links:
            totals[link.payment] += link.amount
        return totals

    def expenses_of_invoice(self, ref: str) -> list[str]:
        return [link.expense for link in self.body.expense_links if link.invoice == ref]

    def kind_of_expense(self, code: str) -> str:
        expense = self.body.project.annex.expenses
        return next((e.kind for e in expense if e.code == code), "")

    def add(self, finding: Finding) -> None:
        self.out.findings.append(finding)

    def cut(self, code: str, requested: Decimal, certifiable: Decimal, el: str, en: str,
            expense: str | None = None, invoice: str | None = None, invoices: Sequence[str] = (),
            ceiling: bool = False) -> None:
        """One euro is cut once (issue 12 §1): a rule's cut falls on the expense links it names
        (expense and/or invoice, or the ``invoices`` a payment paid) and takes at most what the rules
        before it (``RULES`` order) left of them. The report still shows every finding; the euros are
        the union, never the sum. A ``ceiling`` rule (A4, B8 re-links) states a most-certifiable
        amount: it cuts only what the rules before it left above that ceiling."""
        nominal = max(ZERO, requested - certifiable)
        links = self._links(expense, invoice, invoices)
        effective = nominal
        if links:
            left = sum((self._left[i] for i in links), ZERO)
            effective = min(nominal, max(ZERO, left - certifiable) if ceiling else left)
            taking = effective
            for i in links:
                share = min(self._left[i], taking)
                self._left[i] -= share
                taking -= share
        if effective < nominal:
            earlier = nominal - effective
            el += f" (ήδη περικομμένα από προηγούμενο κανόνα: {money(earlier)} €)"
            en += f" (already cut by an earlier rule: €{money(earlier)})"
        self.out.cuts.append(Cut(code=code, expense=expense, invoice=invoice, requested=money(requested),
                                 certifiable=money(requested - effective), cut=money(effective),
                                 reason_el=el, reason_en=en))

    @cached_property
    def _left(self) -> list[Decimal]:
        """What each expense link still holds after the cuts so far."""
        return [link.value for link in self.body.expense_links]

    def _links(self, expense: str | None, invoice: str | None, invoices: Sequence[str]) -> list[int]:
        wanted = set(invoices) | ({invoice} if invoice else set())
        return [i for i, link in enumerate(self.body.expense_links)
                if (expense is None or link.expense == expense) and (not wanted or link.invoice in wanted)
                and (expense is not None or wanted)]


E, W = Severity.ERROR, Severity.WARNING

# ---- Part A ------------------------------------------------------------------------------------


_NUMBER = re.compile(r"\s*([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:[.,](\d+))?\s*%?\s*")


def as_number(value: object) -> str | None:
    """A share or an amount however it is written — «60», «60.00», «60,00 %», «1.734,80» — as one
    canonical number (``None`` for anything else): the Technical Annex and the request compare numbers,
    not their spelling."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    elif isinstance(value, str):
        matched = _NUMBER.fullmatch(value)
        if matched is None:
            return None
        sign, whole, fraction = matched.groups()   # «1.734,80»: dots group thousands, the comma is decimal
        number = Decimal(f"{sign}{whole.replace('.', '')}.{fraction or '0'}")
    else:
        return None
    return format(number.normalize(), "f")


def check_entity(ctx: Context) -> None:
    """PSKE-A1-ENTITY: the investor's current data equal the approved Technical Annex's."""
    approved, current = ctx.body.project.annex.investor, ctx.body.investor
    labels = {
        "name": ("Επωνυμία", "name"), "legal_form": ("Νομική μορφή", "legal form"),
        "shareholders": ("Εταιρική/μετοχική σύνθεση", "shareholding"), "seat": ("Έδρα", "seat"),
        "implementation_sites": ("Τόπος/οι υλοποίησης", "place(s) of implementation"),
        "legal_representatives": ("Νόμιμος/οι εκπρόσωπος/οι", "legal representative(s)"),
        "project_manager": ("Υπεύθυνος του έργου", "project manager"),
        "financing_scheme": ("Χρηματοδοτικό σχήμα", "financing scheme"),
    }

    def canon(value: object) -> object:
        if isinstance(value, list):
            return sorted(str(canon(v)) for v in value)
        if isinstance(value, dict):
            return {k: canon(v) for k, v in value.items()}
        number = as_number(value)
        if number is not None:   # «60», «60.00», «60,00 %» are one share
            return number
        return _norm(str(value)) if isinstance(value, str) else value

    for name, (el, en) in labels.items():
        a = canon(approved.model_dump(mode="json")[name])
        b = canon(current.model_dump(mode="json")[name])
        if a != b:
            ctx.add(_f("PSKE-A1-ENTITY", E, f"investor.{name}",
                       f"{el}: διαφέρει από το εγκεκριμένο Τεχνικό Παράρτημα· υποβάλετε πρώτα Αίτημα Τροποποίησης.",
                       f"The investor's {en} differs from the approved Technical Annex; file an amendment "
                       "request before this payment request.", "A1"))


def check_eligible(ctx: Context) -> None:
    """PSKE-A2-ELIGIBLE: only approved and eligible expenses are requested."""
    approved = {e.code: e for e in ctx.body.project.annex.expenses}
    for i, link in enumerate(ctx.body.expense_links):
        expense = approved.get(link.expense)
        if expense is not None and expense.eligible:
            continue
        why_el = "δεν είναι εγκεκριμένη" if expense is None else "δεν είναι επιλέξιμη"
        why_en = "is not approved" if expense is None else "is not eligible"
        ctx.add(_f("PSKE-A2-ELIGIBLE", E, f"expense_links[{i}].expense",
                   f"Η δαπάνη «{link.expense}» {why_el}: δεν αιτείται ({_eur(link.value)} €).",
                   f"Expense «{link.expense}» {why_en}: it cannot be requested (€{_en(link.value)}).", "A2"))
        ctx.cut("PSKE-A2-ELIGIBLE", link.value, ZERO, f"Η δαπάνη {why_el}.", f"The expense {why_en}.",
                expense=link.expense, invoice=link.invoice)


def check_approved(ctx: Context) -> None:
    """PSKE-A4-APPROVED: requested net per expense ≤ its approved value (earlier requests count);
    the excess is certified at the approved value."""
    approved = {e.code: e for e in ctx.body.project.annex.expenses if e.eligible}
    for code, requested in ctx.requested_by_expense().items():
        expense = approved.get(code)
        if expense is None:
            continue
        earlier = ctx.history.earlier_certified(code)
        room = max(ZERO, expense.approved - earlier)
        if requested > room:
            basis_el, basis_en = ctx.history.basis([code])
            ctx.add(_f("PSKE-A4-APPROVED", W, f"expenses.{code}",
                       f"Δαπάνη «{code}»: αιτούνται {_eur(requested)} € (και πιστοποιήσιμα {_eur(earlier)} € από "
                       f"προηγούμενα αιτήματα: {basis_el}) έναντι εγκεκριμένων {_eur(expense.approved)} €· "
                       f"πιστοποιείται έως {_eur(room)} €, περικοπή {_eur(requested - room)} €.",
                       f"Expense «{code}»: €{_en(requested)} requested (and €{_en(earlier)} certifiable from "
                       f"earlier requests: {basis_en}) against €{_en(expense.approved)} approved; certified up to "
                       f"€{_en(room)}, a cut of €{_en(requested - room)}.", "A4"))
            ctx.cut("PSKE-A4-APPROVED", requested, room, "Υπέρβαση εγκεκριμένης αξίας δαπάνης.",
                    "Over the expense's approved value.", expense=code, ceiling=True)


def check_minimum(ctx: Context) -> None:
    """PSKE-A3-MINIMUM: after likely cuts, implementation stays at or above the action's minimum
    percentage and its lower budget limit in euros. «πιθανές περικοπές δύναται να διαμορφώσουν το
    ποσοστό υλοποίησης κάτω από το ελάχιστο όριο»: what survives every other rule's cut (each euro
    once), plus what earlier requests had certified, is what counts."""
    annex = ctx.body.project.annex
    budget = sum((c.approved for c in annex.categories), ZERO)
    if budget <= 0:
        return
    total = sum(ctx._left, ZERO) + sum(ctx.history.certified.values(), ZERO)
    exact = total * 100 / budget
    pct = exact.quantize(CENT)  # rounded for the message only: 49.9999% is below 50% (issue 12 §2)
    if exact < annex.minimum_implementation_pct:
        ctx.add(_f("PSKE-A3-MINIMUM", W, "project.annex.minimum_implementation_pct",
                   f"Μετά τις πιθανές περικοπές η υλοποίηση είναι {pct}% του εγκεκριμένου π/υ "
                   f"({_eur(total)} € από {_eur(budget)} €), κάτω από το ελάχιστο "
                   f"{annex.minimum_implementation_pct}%: κίνδυνος αρνητικού ελέγχου (μη πληρωμή). Προηγούμενα "
                   f"αιτήματα: {ctx.history.basis(ctx.history.certified)[0]}.",
                   f"After likely cuts implementation is {pct}% of the approved budget (€{_en(total)} of "
                   f"€{_en(budget)}), below the minimum {annex.minimum_implementation_pct}%: the audit may "
                   f"fail (no payment). Earlier requests: {ctx.history.basis(ctx.history.certified)[1]}.", "A3"))
    if annex.minimum_budget is not None and total < annex.minimum_budget:
        ctx.add(_f("PSKE-A3-MINIMUM", W, "project.annex.minimum_budget",
                   f"Μετά τις πιθανές περικοπές ο υλοποιημένος π/υ είναι {_eur(total)} €, κάτω από το κατώτατο "
                   f"όριο της Δράσης ({_eur(annex.minimum_budget)} €): κίνδυνος αρνητικού ελέγχου (μη πληρωμή).",
                   f"After likely cuts the implemented budget is €{_en(total)}, below the action's lower "
                   f"limit of €{_en(annex.minimum_budget)}: the audit may fail (no payment).", "A3"))


def check_payment(ctx: Context) -> None:
    """PSKE-A5-PAYMENT: paid only by methods the action allows, and in full."""
    allowed = {_norm(m) for m in ctx.body.project.annex.allowed_payment_methods}
    bad_payments: set[str] = set()
    for i, payment in enumerate(ctx.body.payments):
        if payment.kind == "other" and _norm(payment.kind_label) == _norm(DEPRECIATION_PAYMENT_KIND):
            continue  # the bookkeeping "payment" of a depreciation record (B5)
        if _norm(payment.kind) not in allowed:
            bad_payments.add(payment.ref)
            ctx.add(_f("PSKE-A5-PAYMENT", E, f"payments[{i}].kind",
                       f"Η πληρωμή «{payment.number}» έγινε με τρόπο ({payment.kind}) που δεν επιτρέπει η Δράση.",
                       f"Payment «{payment.number}» used a method ({payment.kind}) the action does not allow.",
                       "A5"))
    for i, invoice in enumerate(ctx.body.invoices):
        if invoice.kind == DEPRECIATION_KIND:
            continue
        eligible_paid = sum((link.amount for link in ctx.body.payment_links
                             if link.invoice == invoice.ref and link.payment not in bad_payments), ZERO)
        if eligible_paid + CENT / 2 < invoice.gross_value:
            missing = invoice.gross_value - eligible_paid
            ctx.add(_f("PSKE-A5-PAYMENT", E, f"invoices[{i}]",
                       f"Το παραστατικό «{invoice.number}» ({_eur(invoice.gross_value)} €) δεν είναι εξοφλημένο "
                       f"στο σύνολό του με επιλέξιμους τρόπους: λείπουν {_eur(missing)} €.",
                       f"Invoice «{invoice.number}» (€{_en(invoice.gross_value)}) is not paid in full by allowed "
                       f"methods: €{_en(missing)} missing.", "A5"))
            requested = sum((link.value for link in ctx.body.expense_links if link.invoice == invoice.ref), ZERO)
            if requested:
                ctx.cut("PSKE-A5-PAYMENT", requested, ZERO, "Μη πλήρης εξόφληση με επιλέξιμο τρόπο.",
                        "Not paid in full by an allowed method.", invoice=invoice.ref)


def _with_history(ctx: Context) -> dict[str, Decimal]:
    """Per expense: what this request asks plus what the project's earlier requests certified — for
    every expense the project ever claimed, whether or not this request links it again (A6, B10)."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, value in ctx.history.certified.items():
        totals[code] += value
    for code, value in ctx.requested_by_expense().items():
        totals[code] += value
    return totals


def check_category_limits(ctx: Context) -> None:
    """PSKE-A6-CATEGORY: category and expense-kind ceilings of the call are not exceeded."""
    annex = ctx.body.project.annex
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    category_of = {e.code: e.category for e in annex.expenses}
    for code, value in _with_history(ctx).items():
        by_category[category_of.get(code, "")] += value
        by_kind[ctx.kind_of_expense(code)] += value
    for category in annex.categories:
        if category.limit is not None and by_category[category.code] > category.limit:
            basis_el, basis_en = ctx.history.basis(c for c, cat in category_of.items() if cat == category.code)
            ctx.add(_f("PSKE-A6-CATEGORY", E, f"categories.{category.code}",
                       f"Κατηγορία «{category.name}»: {_eur(by_category[category.code])} € υπερβαίνουν το όριο "
                       f"της Πρόσκλησης ({_eur(category.limit)} €)· προηγούμενα αιτήματα: {basis_el}.",
                       f"Category «{category.name}»: €{_en(by_category[category.code])} exceeds the call's "
                       f"limit (€{_en(category.limit)}); earlier requests: {basis_en}.", "A6"))
    for kind, limit in annex.kind_limits.items():
        if by_kind[kind] > limit:
            ctx.add(_f("PSKE-A6-CATEGORY", E, f"kind_limits.{kind}",
                       f"Είδος δαπάνης «{kind}»: {_eur(by_kind[kind])} € υπερβαίνουν το όριο {_eur(limit)} €.",
                       f"Expense kind «{kind}»: €{_en(by_kind[kind])} exceeds its limit of €{_en(limit)}.", "A6"))


def check_fixed_assets(ctx: Context) -> None:
    """PSKE-A7-FIXED-ASSETS: equipment, software, licences, know-how and IP are booked as fixed assets."""
    for i, invoice in enumerate(ctx.body.invoices):
        kinds = {ctx.kind_of_expense(code) for code in ctx.expenses_of_invoice(invoice.ref)}
        if not kinds & FIXED_ASSET_KINDS:
            continue
        account = invoice.books.ledger_account or ""
        # ΕΓΛΣ/ΕΛΠ: fixed-asset accounts are group 1 (e.g. 12 μηχανήματα, 14 έπιπλα, 16 άυλα).
        in_accounts = ctx.body.project.books == "single" or account.startswith("1")
        if not (invoice.fixed_asset_register and in_accounts):
            ctx.add(_f("PSKE-A7-FIXED-ASSETS", W, f"invoices[{i}].books",
                       f"Το παραστατικό «{invoice.number}» αφορά πάγιο: να καταχωρείται σε λογαριασμό παγίων "
                       "και στο Μητρώο Παγίων, αλλιώς πιθανή περικοπή.",
                       f"Invoice «{invoice.number}» is for a fixed asset: it must be booked in a fixed-asset "
                       "account and in the fixed-asset register, or it may be cut.", "A7"))


def check_deliverables(ctx: Context) -> None:
    """PSKE-A8-DELIVERABLES: what the dossier must hold, and the payments the auditor never accepts."""
    have = {(d.kind, d.expense) for d in ctx.body.deliverables}
    kinds: set[str] = {d.kind for d in ctx.body.deliverables}

    def need(kind: str, el: str, en: str, path: str = "deliverables", expense: str | None = None) -> None:
        present = kind in kinds if expense is None else (kind, expense) in have or (kind, None) in have
        if not present:
            ctx.add(_f("PSKE-A8-DELIVERABLES", E, path, f"Λείπει: {el}.", f"Missing: {en}.", "A8"))

    if ctx.body.invoices:
        need("accounting_entries", "οι λογιστικές εγγραφές των παραστατικών τιμολόγησης και εξόφλησης",
             "the accounting entries of the invoices and payments")
    if any(p.kind not in ("cash", "other") for p in ctx.body.payments):
        need("bank_statements", "τα αντίγραφα κινήσεων λογαριασμών (extrait) με τράπεζα, λογαριασμό και δικαιούχο",
             "the bank statements (extrait) naming bank, account and holder")
    for i, payment in enumerate(ctx.body.payments):
        path = f"payments[{i}]"
        if payment.kind in ("transfer", "e_transfer") and not payment.both_accounts_named:
            ctx.add(_f("PSKE-A8-DELIVERABLES", E, path,
                       f"Το έμβασμα «{payment.number}» δεν αναγράφει και τους δύο λογαριασμούς και δικαιούχους: "
                       "χρειάζεται βεβαίωση τράπεζας ή εκτύπωση με τα πλήρη στοιχεία (όχι υπεύθυνη δήλωση).",
                       f"Transfer «{payment.number}» does not name both accounts and holders: a bank confirmation "
                       "or a print with the full details is needed (a solemn declaration is not proof).", "A8"))
        if payment.kind == "deposit" and payment.depositor == "supplier":
            ctx.add(_f("PSKE-A8-DELIVERABLES", E, path,
                       f"Η κατάθεση «{payment.number}» έγινε από τον ίδιο τον προμηθευτή στον λογαριασμό του: "
                       "δεν γίνεται ποτέ αποδεκτή.",
                       f"Deposit «{payment.number}» was made by the supplier into its own account: never "
                       "accepted.", "A8"))
            ctx.cut("PSKE-A8-DELIVERABLES", sum((link.amount for link in ctx.body.payment_links
                                                 if link.payment == payment.ref), ZERO), ZERO,
                    "Κατάθεση από τον ίδιο τον προμηθευτή.", "Deposit made by the supplier itself.",
                    invoices=[link.invoice for link in ctx.body.payment_links if link.payment == payment.ref])
        if payment.kind == "deposit" and payment.depositor == "other" and not payment.authorisation:
            ctx.add(_f("PSKE-A8-DELIVERABLES", E, path,
                       f"Η κατάθεση «{payment.number}» έγινε από πρόσωπο άλλο από τον νόμιμο εκπρόσωπο: "
                       "χρειάζεται υπεύθυνη δήλωση/εξουσιοδότηση ότι ενήργησε για λογαριασμό της επιχείρησης.",
                       f"Deposit «{payment.number}» was made by someone other than the legal representative: an "
                       "authorisation stating they acted for the business, from its cash, is needed.", "A8"))
    for expense in ctx.body.project.annex.expenses:
        if expense.code not in ctx.requested_by_expense():
            continue
        if expense.kind == "website":
            need("wcag_certificate", f"η βεβαίωση WCAG 2.0 του κατασκευαστή για τη δαπάνη «{expense.code}»",
                 f"the maker's WCAG 2.0 certificate for expense «{expense.code}»", f"expenses.{expense.code}",
                 expense.code)
        if expense.kind == "payroll":
            need("e4_apd", f"τα έντυπα Ε4 και ΑΠΔ για τη δαπάνη «{expense.code}»",
                 f"the E4 and ΑΠΔ forms for expense «{expense.code}»", f"expenses.{expense.code}", expense.code)
        if expense.kind == "rent":
            for kind, el, en in (("lease", "το μισθωτήριο", "the lease"),
                                 ("lease_gsis_filing", "η ηλεκτρονική υποβολή του μισθωτηρίου (gsis)",
                                  "the lease's gsis filing"),
                                 ("lease_acceptance", "η ηλεκτρονική αποδοχή και από τα δύο μέρη",
                                  "its electronic acceptance by both parties")):
                need(kind, f"{el} για τη δαπάνη «{expense.code}»", f"{en} for expense «{expense.code}»",
                     f"expenses.{expense.code}", expense.code)
            if any(r.lease is not None and r.lease.amended for r in _invoices_of_expense(ctx, expense.code)):
                need("previous_leases", f"τα προηγούμενα μισθωτήρια με όλα τους τα παραδοτέα (τροποποιημένη μίσθωση, "
                     f"δαπάνη «{expense.code}»)", f"the earlier leases with all their deliverables (an amended "
                     f"lease, expense «{expense.code}»)", f"expenses.{expense.code}", expense.code)
        if expense.kind == "building_works":
            need("permits", f"οι άδειες της αρμόδιας Αρχής για τη δαπάνη «{expense.code}»",
                 f"the competent authority's permits for expense «{expense.code}»", f"expenses.{expense.code}",
                 expense.code)
    if ctx.body.project.annex.financed_by_loan:
        need("loan_contracts", "οι συμβάσεις των δανείων που χρηματοδοτούν το επιχειρηματικό σχέδιο",
             "the contracts of the loans financing the business plan", "project.annex.financed_by_loan")
    _check_samples(ctx)
    _check_cards(ctx, kinds)
    for i, deliverable in enumerate(ctx.body.deliverables):
        if deliverable.kind == "aid_payment_certificates":
            ctx.add(premature_finding(f"deliverables[{i}]", deliverable.file or deliverable.kind))


def _invoices_of_expense(ctx: Context, code: str) -> list[InvoiceRecord]:
    refs = {link.invoice for link in ctx.body.expense_links if link.expense == code}
    return [ctx.invoices[ref] for ref in refs if ref in ctx.invoices]


def _check_samples(ctx: Context) -> None:
    """PSKE-A8-SAMPLES (A8.8): «Προσκόμιση δειγμάτων των εντύπων και όχι φωτοτυπιών, για δαπάνες που
    αφορούν την κατηγορία «Προβολή – Προώθηση»»."""
    requested = ctx.requested_by_expense()
    for expense in ctx.body.project.annex.expenses:
        if expense.kind != "promotion" or expense.code not in requested:
            continue
        samples = [(i, d) for i, d in enumerate(ctx.body.deliverables)
                   if d.kind == "promotion_samples" and d.expense in (None, expense.code)]
        if not samples:
            ctx.add(_f("PSKE-A8-SAMPLES", E, f"expenses.{expense.code}",
                       f"Λείπουν δείγματα των εντύπων (πρωτότυπα, όχι φωτοτυπίες) για τη δαπάνη προβολής "
                       f"«{expense.code}».",
                       f"Original samples of the printed material (not photocopies) are missing for promotion "
                       f"expense «{expense.code}».", "A8 (8)"))
        for i, deliverable in samples:
            if deliverable.photocopy:
                ctx.add(_f("PSKE-A8-SAMPLES", E, f"deliverables[{i}].photocopy",
                           f"Το δείγμα «{deliverable.file or expense.code}» είναι φωτοτυπία: προσκομίζονται δείγματα "
                           "των εντύπων, όχι φωτοτυπίες.",
                           f"Sample «{deliverable.file or expense.code}» is a photocopy: the printed material itself "
                           "is required, not photocopies.", "A8 (8)"))


#: A legal form that is not a legal person: a sole trader («ατομική επιχείρηση») or natural person.
_NATURAL_FORMS = ("ατομικ", "φυσικοπροσωπο", "soletrader", "naturalperson", "individual")


def _is_legal_person(legal_form: str) -> bool:
    folded = _norm(legal_form)
    return not any(form in folded for form in _NATURAL_FORMS)


def _check_cards(ctx: Context, kinds: set[str]) -> None:
    """PSKE-A8-CARD (A8.6, A8.7): «Τεκμηρίωση περί εταιρικής πιστωτικής κάρτας στις περιπτώσεις που οι
    δικαιούχοι της επένδυσης είναι νομικά πρόσωπα και προσκόμιση αντιγράφου κίνησης της κάρτας» — and
    for a debit card, the same proof with the extrait."""
    if not _is_legal_person(ctx.body.investor.legal_form):
        return
    methods = {p.kind for p in ctx.body.payments}
    wanted: list[tuple[str, str, str]] = []
    if methods & {"credit_card", "debit_card"}:
        wanted.append(("corporate_card_proof", "η τεκμηρίωση ότι η κάρτα είναι εταιρική",
                       "proof that the card is the company's"))
    if "credit_card" in methods:
        wanted.append(("card_statement", "το αντίγραφο κίνησης της πιστωτικής κάρτας",
                       "the credit card's statement"))
    for kind, el, en in wanted:
        if kind not in kinds:
            ctx.add(_f("PSKE-A8-CARD", E, "deliverables",
                       f"Πληρωμή με κάρτα από νομικό πρόσωπο: λείπει {el}.",
                       f"Card payment by a legal person: {en} is missing.", "A8 (6, 7)"))


#: File names that betray aid-payment documents (A8.15): tax/insurance clearance, court and ΓΕΜΗ certificates.
_PREMATURE_NAMES = ("ενημεροτητα", "enimerotita", "πρωτοδικ", "protodik", "γεμη", "gemi", "clearance")


def premature_finding(path: str, what: str) -> Finding:
    return _f("PSKE-A8-PREMATURE", W, path,
              f"«{what}»: τα δικαιολογητικά καταβολής της ενίσχυσης (πιστοποιητικά Πρωτοδικείου και ΓΕΜΗ, "
              "φορολογική και ασφαλιστική ενημερότητα) αποστέλλονται μετά την επιστολή αποτελεσμάτων ελέγχου, "
              "όχι με το αίτημα: αφαιρέστε τα.",
              f"«{what}»: the aid-payment documents (court and ΓΕΜΗ certificates, tax and insurance clearance) "
              "are sent after the audit-results letter, not with the request: remove them.", "A8 (15)")


def premature_files(names: Iterable[str]) -> list[Finding]:
    """PSKE-A8-PREMATURE from a zipped folder's file names (seed 003 A8.15)."""
    return [premature_finding(f"upload/{name}", name) for name in sorted(names)
            if any(marker in _norm(PurePosixPath(name).name) for marker in _PREMATURE_NAMES)]


# ---- Part B ------------------------------------------------------------------------------------

_DESCRIPTION = re.compile(r"[A-Za-zΑ-Ωα-ωάέήίόύώΆΈΉΊΌΎΏ]{3,}(\s+[A-Za-zΑ-Ωα-ωάέήίόύώΆΈΉΊΌΎΏ]{2,}){2,}")


def check_fields(ctx: Context) -> None:
    """PSKE-B1-FIELDS: every record has what ΠΣΚΕ asks, as printed on the document."""
    required_invoice = {"kind": ("Είδος παραστατικού", "document kind"), "number": ("Αριθμός", "number"),
                        "date": ("Ημερομηνία", "date"), "supplier": ("Προμηθευτής", "supplier"),
                        "supplier_afm": ("ΑΦΜ προμηθευτή", "supplier AFM"),
                        "payment_type": ("Τύπος πληρωμής", "payment type"),
                        "payment_issuer": ("Εκδότης παραστατικού πληρωμής", "payment-document issuer")}
    linked: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for link in ctx.body.expense_links:
        linked[link.invoice] += link.value
    for i, invoice in enumerate(ctx.body.invoices):
        for name, (el, en) in required_invoice.items():
            if not getattr(invoice, name):
                ctx.add(_f("PSKE-B1-FIELDS", E, f"invoices[{i}].{name}", f"Λείπει: {el}.", f"Missing: {en}.", "B1"))
        afm_ok = invoice.supplier_afm == "000000000" and invoice.kind == DEPRECIATION_KIND
        if invoice.supplier_afm and not afm_ok and not is_valid_afm(invoice.supplier_afm):
            ctx.add(_f("PSKE-B1-FIELDS", E, f"invoices[{i}].supplier_afm",
                       f"Μη έγκυρος ΑΦΜ προμηθευτή «{invoice.supplier_afm}».",
                       f"Invalid supplier AFM «{invoice.supplier_afm}».", "B1"))
        if invoice.gross_value < invoice.net_value:
            ctx.add(_f("PSKE-B1-FIELDS", E, f"invoices[{i}].gross_value",
                       "Η αξία με ΦΠΑ είναι μικρότερη από την αξία χωρίς ΦΠΑ.",
                       "The gross value is below the net value.", "B1"))
        if linked[invoice.ref] > invoice.net_value + CENT / 2:
            ctx.add(_f("PSKE-B1-FIELDS", E, f"invoices[{i}].net_value",
                       f"Αιτούνται {_eur(linked[invoice.ref])} € από παραστατικό καθαρής αξίας "
                       f"{_eur(invoice.net_value)} €: η «Αξία χωρίς ΦΠΑ» είναι η αναγραφόμενη, όχι η αιτούμενη.",
                       f"€{_en(linked[invoice.ref])} requested from a document of net €{_en(invoice.net_value)}: "
                       "record the printed net value, not the requested one.", "B1 επισήμανση 6"))
    for i, payment in enumerate(ctx.body.payments):
        if not payment.issuer:
            ctx.add(_f("PSKE-B1-FIELDS", E, f"payments[{i}].issuer",
                       "Το πεδίο «Τράπεζα/Εκδότης παραστατικού» δεν μένει ποτέ κενό.",
                       "The payment's issuer (bank, or the payee for cash) is never empty.", "B1 επισήμανση 5"))
        if not payment.number or _DESCRIPTION.search(payment.number) or payment.date is None:
            ctx.add(_f("PSKE-B1-FIELDS", E, f"payments[{i}].number",
                       f"Αριθμός πληρωμής «{payment.number}»: καταχωρείται ο κωδικός συναλλαγής / αριθμός "
                       "απόδειξης, επιταγής ή καταθετηρίου και η ημερομηνία εκτέλεσης, όχι περιγραφή.",
                       f"Payment number «{payment.number}»: give the transaction code / receipt, cheque or deposit "
                       "number and the execution date, never a description.", "B1 επισήμανση 2"))
    for payment_ref, total in ctx.links_of_payment().items():
        linked_payment = ctx.payments.get(payment_ref)
        if linked_payment is not None and total > linked_payment.amount + CENT / 2:
            number, amount = linked_payment.number, linked_payment.amount
            ctx.add(_f("PSKE-B1-FIELDS", E, f"payments.{payment_ref}.amount",
                       f"Η πληρωμή «{number}» συνδέεται με {_eur(total)} € αλλά αναγράφει "
                       f"{_eur(amount)} €: το «Ποσό πληρωμής» είναι το συνολικό αναγραφόμενο.",
                       f"Payment «{number}» is linked for €{_en(total)} but shows €{_en(amount)}: "
                       "record its whole printed amount.", "B1 επισήμανση 7"))


def check_books(ctx: Context) -> None:
    """PSKE-B1-BOOKS: single-entry — the Income–Expense book date; double-entry — account and date."""
    single = ctx.body.project.books == "single"
    records: Iterable[tuple[str, InvoiceRecord | PaymentRecord]] = [
        *((f"invoices[{i}]", r) for i, r in enumerate(ctx.body.invoices)),
        *((f"payments[{i}]", r) for i, r in enumerate(ctx.body.payments) if not single),
    ]
    for path, record in records:
        books = record.books
        ok = books.income_expense_book_date is not None if single else bool(books.ledger_account and
                                                                            books.booking_date)
        if not ok:
            ctx.add(_f("PSKE-B1-BOOKS", E, f"{path}.books",
                       "Λείπει η ημερομηνία του βιβλίου Εσόδων–Εξόδων." if single else
                       "Λείπουν ο κωδικός λογαριασμού και η ημερομηνία καταχώρησης.",
                       "The Income–Expense book date is missing." if single else
                       "The ledger account code and booking date are missing.", "B1 (λογιστική εγγραφή)"))


def check_duplicates(ctx: Context) -> None:
    """PSKE-B2-DUPLICATE: one record per document — in this request and across the project's requests."""
    sections: list[tuple[str, Sequence[Record], dict[str, str]]] = [
        ("invoices", ctx.body.invoices, ctx.history.invoices), ("payments", ctx.body.payments, ctx.history.payments)]
    for label, records, seen_before in sections:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, record in enumerate(records):
            groups[identity(record)].append(i)
        for key, positions in groups.items():
            first = records[positions[0]]
            if label == "invoices" and _norm(getattr(first, "kind", "")) in REGISTERED_PER_USE:
                continue   # B2.1: «Εξαίρεση … Ενοικίαση επαγγελματικού χώρου, Αποσβέσεις»
            if len(positions) > 1:
                values = " + ".join(_eur(records[p].value) for p in positions)
                values_en = " + ".join(_en(records[p].value) for p in positions)
                ctx.add(_f("PSKE-B2-DUPLICATE", E, f"{label}[{positions[1]}]",
                           f"Το παραστατικό «{first.number}» καταχωρείται {len(positions)} φορές ({values} €): "
                           "καταχωρείται μία φορά, με τη συνολική του αξία, και συνδέεται με κάθε "
                           + ("δαπάνη." if label == "invoices" else "τιμολόγιο."),
                           f"Document «{first.number}» is registered {len(positions)} times (€{values_en}): register "
                           "it once, at its whole value, and link it to each "
                           + ("expense." if label == "invoices" else "invoice."),
                           "B2.1" if label == "invoices" else "B2.2"))
            for p in positions:
                record = records[p]
                if key in seen_before and not record.existing:
                    ctx.add(_f("PSKE-B2-DUPLICATE", E, f"{label}[{p}]",
                               f"Το παραστατικό «{record.number}» έχει ήδη καταχωρηθεί σε προηγούμενο αίτημα του "
                               "έργου: δεν καταχωρείται εκ νέου· αλλάζει μόνο η σύνδεσή του.",
                               f"Document «{record.number}» was registered in an earlier request of the project: "
                               "never register it again; change its links instead.", "B2"))


#: B2.1's exception: rent and depreciation records are registered for each use (a lease again for
#: another year), not once for their whole value.
REGISTERED_PER_USE = frozenset({_norm(RENT_KIND), _norm(DEPRECIATION_KIND)})

_MANY_NUMBERS = re.compile(r"\d+\s*(?:[,+&;]|\s-\s|\sΚΑΙ\s|\sAND\s)\s*\d+", re.IGNORECASE)


def check_aggregate(ctx: Context) -> None:
    """PSKE-B3-AGGREGATE: several documents are never merged into one record (no exception for payments)."""
    sections: list[tuple[str, Sequence[Record]]] = [("invoices", ctx.body.invoices), ("payments", ctx.body.payments)]
    for label, records in sections:
        for i, record in enumerate(records):
            merged = len(set(record.documents)) > 1 or bool(_MANY_NUMBERS.search(record.number))
            if merged:
                names = ", ".join(record.documents) or record.number
                ctx.add(_f("PSKE-B3-AGGREGATE", E, f"{label}[{i}]",
                           f"Η εγγραφή «{record.number}» ({_eur(record.value)} €) συγχωνεύει περισσότερα "
                           f"παραστατικά ({names}): κάθε παραστατικό καταχωρείται σε δική του εγγραφή.",
                           f"Record «{record.number}» (€{_en(record.value)}) merges several documents ({names}): "
                           "each document is a record of its own.", "B3.1" if label == "invoices" else "B3.2"))


def _invoices_for(ctx: Context, kind: str) -> list[tuple[int, InvoiceRecord]]:
    return [(i, r) for i, r in enumerate(ctx.body.invoices)
            if any(ctx.kind_of_expense(c) == kind for c in ctx.expenses_of_invoice(r.ref))]


def check_rent(ctx: Context) -> None:
    """PSKE-B4-RENT: the lease is the invoice record; its value is the requested rent incl. stamp duty."""
    leases: dict[str, tuple[str, tuple[str, ...]]] = {}
    for i, record in _invoices_for(ctx, "rent"):
        path = f"invoices[{i}]"
        if _norm(record.kind) != _norm(RENT_KIND):
            ctx.add(_f("PSKE-B4-RENT", E, f"{path}.kind", f"Είδος παραστατικού ενοικίου: «{RENT_KIND}».",
                       f"A rent record's kind is «{RENT_KIND}».", "B4"))
        if record.net_value != record.gross_value:
            ctx.add(_f("PSKE-B4-RENT", E, f"{path}.gross_value",
                       "Στο ενοίκιο «Αξία χωρίς ΦΠΑ» και «Αξία με ΦΠΑ» ισούνται (συνολικό αιτούμενο μίσθωμα).",
                       "For rent, net and gross are equal (the total requested rent).", "B4"))
        lease = record.lease
        if lease is None:
            continue
        expected = sum((p.monthly * p.months for p in lease.periods), ZERO)
        if money(expected) != record.net_value:
            ctx.add(_f("PSKE-B4-RENT", E, f"{path}.net_value",
                       f"Μίσθωμα: {' + '.join(f'{p.months}×{_eur(p.monthly)}' for p in lease.periods)} = "
                       f"{_eur(expected)} €, ενώ η εγγραφή γράφει {_eur(record.net_value)} €.",
                       f"Rent: {' + '.join(f'{p.months}×€{_en(p.monthly)}' for p in lease.periods)} = "
                       f"€{_en(expected)}, but the record shows €{_en(record.net_value)}.", "B4"))
        if _norm(record.number) != _norm(lease.filing_number) and not re.fullmatch(r"\d{1,2}/\d{4}", record.number):
            ctx.add(_f("PSKE-B4-RENT", E, f"{path}.number",
                       "Αριθμός παραστατικού ενοικίου: ο αριθμός ηλεκτρονικής υποβολής του μισθωτηρίου στο "
                       "taxisnet (ή ΜΜ/ΕΕΕΕ σε μηνιαίες εγγραφές).",
                       "A rent record's number is the lease's taxisnet filing number (or MM/YYYY for monthly "
                       "records).", "B4"))
        if lease.amended and len({p.monthly for p in lease.periods}) > 1:
            ctx.add(_f("PSKE-B4-RENT", E, f"{path}.lease",
                       "Τροποποίηση μισθωτηρίου (νέο μίσθωμα): νέα εγγραφή παραστατικού για τους νέους όρους.",
                       "The lease was amended (new monthly rent): the new terms are a new record.", "B4 επισήμανση"))
        terms = (_norm(lease.address), tuple(sorted(_norm(x) for x in lease.lessors)))
        previous = leases.setdefault(_norm(lease.filing_number), terms)
        if previous != terms:
            ctx.add(_f("PSKE-B4-RENT", E, f"{path}.lease",
                       "Άλλαξαν η διεύθυνση ή οι εκμισθωτές: νέα εγγραφή με νέο μισθωτήριο.",
                       "The address or the lessors changed: that is a new record, under the new lease.",
                       "B4 επισήμανση"))


def check_depreciation(ctx: Context) -> None:
    """PSKE-B5-DEPRECIATION: one record a year, at the year's depreciation, never the acquisition value."""
    beneficiary = _norm(ctx.body.investor.name)
    years: dict[int, int] = defaultdict(int)
    for i, record in _invoices_for(ctx, "depreciation"):
        path = f"invoices[{i}]"
        problems: list[tuple[str, str]] = []
        match = re.fullmatch(r"ΑΠΟΣΒΕΣΕΙΣ ΕΤΟΥΣ (\d{4})", record.number.upper())
        if _norm(record.kind) != _norm(DEPRECIATION_KIND):
            problems.append((f"είδος «{DEPRECIATION_KIND}»", f"kind «{DEPRECIATION_KIND}»"))
        if not match:
            problems.append(("αριθμός «ΑΠΟΣΒΕΣΕΙΣ ΕΤΟΥΣ ΕΕΕΕ»", "number «ΑΠΟΣΒΕΣΕΙΣ ΕΤΟΥΣ YYYY»"))
        else:
            years[int(match.group(1))] += 1
        if _norm(record.supplier) != _norm(DEPRECIATION_SUPPLIER) or record.supplier_afm != "000000000":
            problems.append((f"προμηθευτής «{DEPRECIATION_SUPPLIER}» με ΑΦΜ 000000000",
                             f"supplier «{DEPRECIATION_SUPPLIER}» with AFM 000000000"))
        if record.net_value != record.gross_value:
            problems.append(("αξία χωρίς ΦΠΑ = αξία με ΦΠΑ", "net = gross"))
        for el, en in problems:
            ctx.add(_f("PSKE-B5-DEPRECIATION", E, path, f"Εγγραφή αποσβέσεων: {el}.",
                       f"Depreciation record: {en}.", "B5"))
        payments = [ctx.payments[link.payment] for link in ctx.body.payment_links
                    if link.invoice == record.ref and link.payment in ctx.payments]
        matching = [p for p in payments if _norm(p.kind_label) == _norm(DEPRECIATION_PAYMENT_KIND)
                    and _norm(p.number) == _norm(record.number) and p.amount == record.net_value
                    and _norm(p.issuer) == beneficiary]
        if not matching:
            ctx.add(_f("PSKE-B5-DEPRECIATION", E, path,
                       f"Λείπει η εγγραφή πληρωμής «{DEPRECIATION_PAYMENT_KIND}» με τον ίδιο αριθμό και ποσό "
                       f"({_eur(record.net_value)} €) και εκδότη την επωνυμία του δικαιούχου.",
                       f"The matching payment record («{DEPRECIATION_PAYMENT_KIND}», same number and amount "
                       f"€{_en(record.net_value)}, issuer = the beneficiary) is missing.", "B5"))
    for year, count in years.items():
        if count > 1:
            ctx.add(_f("PSKE-B5-DEPRECIATION", E, "invoices",
                       f"Οι αποσβέσεις του {year} καταχωρούνται συγκεντρωτικά σε μία εγγραφή ({count} βρέθηκαν).",
                       f"The depreciation of {year} is one record ({count} found).", "B5"))


def check_payroll(ctx: Context) -> None:
    """PSKE-B6-PAYROLL: one record per employee per month (and per bonus), its whole cost, all paid."""
    seen: dict[tuple[str, str, str], int] = {}
    paid = ctx.paid_by_invoice()
    for i, record in _invoices_for(ctx, "payroll"):
        path = f"invoices[{i}]"
        if _norm(record.kind) != _norm(PAYROLL_KIND):
            ctx.add(_f("PSKE-B6-PAYROLL", E, f"{path}.kind", f"Είδος παραστατικού μισθοδοσίας: «{PAYROLL_KIND}».",
                       f"A payroll record's kind is «{PAYROLL_KIND}».", "B6"))
        payroll = record.payroll
        if payroll is None:
            ctx.add(_f("PSKE-B6-PAYROLL", E, path,
                       "Η μισθοδοσία καταχωρείται ανά εργαζόμενο και μήνα (εργαζόμενος, ΑΦΜ, μήνας, αποδοχές, "
                       f"εισφορές, ΦΜΥ): η εγγραφή «{record.number}» ({_eur(record.net_value)} €) δεν τα δίνει.",
                       "Payroll is one record per employee and month (employee, AFM, month, pay, contributions, "
                       f"tax): record «{record.number}» (€{_en(record.net_value)}) does not say them.", "B6"))
            continue
        key = (payroll.afm, payroll.period, payroll.component)
        if key in seen:
            ctx.add(_f("PSKE-B6-PAYROLL", E, path,
                       f"Δεύτερη εγγραφή για {payroll.employee} {payroll.period} ({payroll.component}).",
                       f"A second record for {payroll.employee} {payroll.period} ({payroll.component}).", "B6"))
        seen[key] = i
        if _norm(record.supplier) != _norm(payroll.employee) or record.supplier_afm != payroll.afm:
            ctx.add(_f("PSKE-B6-PAYROLL", E, f"{path}.supplier",
                       "«Προμηθευτής» και «ΑΦΜ» μισθοδοσίας: το ονοματεπώνυμο και ο ΑΦΜ του εργαζομένου.",
                       "A payroll record's supplier and AFM are the employee's name and AFM.", "B6"))
        if not is_valid_afm(payroll.afm):
            ctx.add(_f("PSKE-B6-PAYROLL", E, f"{path}.payroll.afm", f"Μη έγκυρος ΑΦΜ εργαζομένου «{payroll.afm}».",
                       f"Invalid employee AFM «{payroll.afm}».", "B6"))
        if record.net_value != payroll.cost or record.gross_value != payroll.cost:
            ctx.add(_f("PSKE-B6-PAYROLL", E, f"{path}.net_value",
                       f"Αξία μισθοδοσίας = αποδοχές {_eur(payroll.net_pay)} + εισφορές "
                       f"{_eur(payroll.employee_contributions + payroll.employer_contributions)} + ΦΜΥ/αλληλεγγύη "
                       f"{_eur(payroll.income_tax + payroll.solidarity)} = {_eur(payroll.cost)} €, όχι "
                       f"{_eur(record.net_value)} €.",
                       f"Payroll value = pay €{_en(payroll.net_pay)} + contributions "
                       f"€{_en(payroll.employee_contributions + payroll.employer_contributions)} + tax "
                       f"€{_en(payroll.income_tax + payroll.solidarity)} = €{_en(payroll.cost)}, not "
                       f"€{_en(record.net_value)}.", "B6"))
        if paid.get(record.ref, ZERO) + CENT / 2 < payroll.cost:
            ctx.add(_f("PSKE-B6-PAYROLL", E, path,
                       f"{payroll.employee} {payroll.period}: εξοφλημένα {_eur(paid.get(record.ref, ZERO))} € από "
                       f"{_eur(payroll.cost)} €· πρέπει να έχουν πληρωθεί όλες οι συνιστώσες (αποδοχές, εισφορές, "
                       "ΦΜΥ, αλληλεγγύη).",
                       f"{payroll.employee} {payroll.period}: €{_en(paid.get(record.ref, ZERO))} paid of "
                       f"€{_en(payroll.cost)}; every component (pay, contributions, tax) must be paid.", "B6"))


WITHHOLDING_RATES = (Decimal("0.20"), Decimal("0.03"))


def check_withholding(ctx: Context) -> None:
    """PSKE-B7-WITHHOLDING: «παρακράτηση φόρου 20% ή 3%» «(επί της καθαρής του αξίας)»: printed net and
    gross; paid in two records — supplier and tax office. PSKE-B7-DELIVERABLES: «η προσωρινή δήλωση
    παρακρατούμενων φόρων», «η ταυτότητα πληρωμής» and the tax's own payment document."""
    withholding = False
    for i, record in enumerate(ctx.body.invoices):
        if record.withheld <= 0:
            continue
        withholding = True
        expected = {rate: money(record.net_value * rate) for rate in WITHHOLDING_RATES}
        if record.withheld not in expected.values():
            ctx.add(_f("PSKE-B7-WITHHOLDING", W, f"invoices[{i}].withheld",
                       f"Παραστατικό «{record.number}»: παρακράτηση {_eur(record.withheld)} € που δεν είναι ούτε 20% "
                       f"({_eur(expected[WITHHOLDING_RATES[0]])} €) ούτε 3% ({_eur(expected[WITHHOLDING_RATES[1]])} €) "
                       f"της καθαρής αξίας {_eur(record.net_value)} €: ελέγξτε τα αναγραφόμενα ποσά.",
                       f"Invoice «{record.number}»: €{_en(record.withheld)} withheld is neither 20% "
                       f"(€{_en(expected[WITHHOLDING_RATES[0]])}) nor 3% (€{_en(expected[WITHHOLDING_RATES[1]])}) "
                       f"of its net €{_en(record.net_value)}: check the printed amounts.", "B7"))
        links = [(ctx.payments.get(link.payment), link.amount) for link in ctx.body.payment_links
                 if link.invoice == record.ref]
        to_supplier = sum((amount for p, amount in links if p is not None and p.payee == "supplier"), ZERO)
        to_tax = sum((amount for p, amount in links if p is not None and p.payee == "tax_office"), ZERO)
        expected_supplier = record.gross_value - record.withheld
        if to_supplier != expected_supplier or to_tax != record.withheld:
            ctx.add(_f("PSKE-B7-WITHHOLDING", E, f"invoices[{i}]",
                       f"Παραστατικό «{record.number}» με παρακράτηση {_eur(record.withheld)} €: πληρωμή σε δύο "
                       f"εγγραφές — προμηθευτής {_eur(expected_supplier)} € και ΔΟΥ {_eur(record.withheld)} € "
                       f"(βρέθηκαν {_eur(to_supplier)} € και {_eur(to_tax)} €).",
                       f"Invoice «{record.number}» with €{_en(record.withheld)} withheld: paid in two records — "
                       f"supplier €{_en(expected_supplier)} and tax office €{_en(record.withheld)} (found "
                       f"€{_en(to_supplier)} and €{_en(to_tax)}).", "B7"))
    if not withholding:
        return
    kinds = {d.kind for d in ctx.body.deliverables}
    for kind, el, en in (("withholding_return", "η προσωρινή δήλωση παρακρατούμενων φόρων",
                          "the provisional withholding-tax return"),
                         ("withholding_payment_id", "η ταυτότητα πληρωμής του φόρου", "the tax's payment identity")):
        if kind not in kinds:
            ctx.add(_f("PSKE-B7-DELIVERABLES", E, "deliverables",
                       f"Λείπει για την πληρωμή του παρακρατούμενου φόρου: {el}.",
                       f"Missing for the payment of the withheld tax: {en}.", "B7"))


def check_no_delete(ctx: Context) -> None:
    """PSKE-B8-NO-DELETE: earlier records are never deleted nor re-entered; cuts change link quantities."""
    for ref in ctx.body.deleted_records:
        ctx.add(_f("PSKE-B8-NO-DELETE", E, "deleted_records",
                   f"Η εγγραφή «{ref}» προηγούμενου σταδίου δεν διαγράφεται: τροποποιείται η ποσότητα ή η τιμή "
                   "μονάδας της σύνδεσης με τη δαπάνη.",
                   f"Record «{ref}» of an earlier stage is never deleted: change the quantity or unit price of its "
                   "link to the expense instead.", "B8"))
    sections: list[tuple[str, Sequence[Record], dict[str, str]]] = [
        ("invoices", ctx.body.invoices, ctx.history.invoices), ("payments", ctx.body.payments, ctx.history.payments)]
    for label, records, earlier in sections:
        for i, record in enumerate(records):
            if not record.existing:
                continue
            key = identity(record)
            if key not in earlier:
                ctx.add(_f("PSKE-B8-NO-DELETE", E, f"{label}[{i}].existing",
                           f"Η εγγραφή «{record.number}» δηλώνεται ως υπάρχουσα αλλά δεν βρέθηκε σε προηγούμενο "
                           "αίτημα του έργου με τα ίδια στοιχεία: τα στοιχεία της δεν αλλάζουν.",
                           f"Record «{record.number}» is declared as existing but no earlier request of the project "
                           "holds it with these details: its details never change.", "B8"))
                continue
            before = ctx.history.values.get(key)
            if before is not None and before != record.value:
                ctx.add(_f("PSKE-B8-NO-DELETE", E, f"{label}[{i}]",
                           f"Η εγγραφή «{record.number}» καταχωρήθηκε σε προηγούμενο στάδιο με αξία {_eur(before)} € "
                           f"και τώρα δηλώνεται με {_eur(record.value)} €: τα στοιχεία της δεν αλλάζουν· οι "
                           "περικοπές γίνονται στην ποσότητα ή την τιμή μονάδας της σύνδεσης με τη δαπάνη.",
                           f"Record «{record.number}» was registered at an earlier stage at €{_en(before)} and is "
                           f"now stated at €{_en(record.value)}: its details never change; cuts are made on the "
                           "quantity or unit price of its link to the expense.", "B8"))
            if isinstance(record, InvoiceRecord):
                _check_relink(ctx, i, record, key)


def _check_relink(ctx: Context, i: int, record: InvoiceRecord, key: str) -> None:
    """B8: an earlier invoice re-linked now can claim at most what its net value leaves after what was
    certified of it before (the request's links carry the change, never a new record)."""
    before = ctx.history.invoice_certified.get(key, ZERO)
    now = sum((link.value for link in ctx.body.expense_links if link.invoice == record.ref), ZERO)
    room = max(ZERO, record.net_value - before)
    if now > room:
        ctx.add(_f("PSKE-B8-NO-DELETE", E, f"invoices[{i}]",
                   f"Το παραστατικό «{record.number}» (καθαρή αξία {_eur(record.net_value)} €) πιστοποιήθηκε κατά "
                   f"{_eur(before)} € σε προηγούμενο στάδιο· η νέα σύνδεση ζητά {_eur(now)} € ενώ απομένουν "
                   f"{_eur(room)} €.",
                   f"Invoice «{record.number}» (net €{_en(record.net_value)}) had €{_en(before)} certified at an "
                   f"earlier stage; its new link asks €{_en(now)} where €{_en(room)} is left.", "B8"))
        ctx.cut("PSKE-B8-NO-DELETE", now, room, "Επανασύνδεση πέραν της αξίας του παραστατικού.",
                "Re-linked beyond the invoice's value.", invoice=record.ref, ceiling=True)


def check_links(ctx: Context) -> None:
    """PSKE-B9-OVERRUN: final check of the links — expense totals vs approved, invoices fully paid."""
    approved = {e.code: e.approved for e in ctx.body.project.annex.expenses}
    for code, requested in ctx.requested_by_expense().items():
        total = requested + ctx.history.requested.get(code, ZERO)
        if code in approved and total > approved[code]:
            ctx.add(_f("PSKE-B9-OVERRUN", W, f"expenses.{code}",
                       f"[Δαπάνες – Παραστατικά] Δαπάνη «{code}»: συνδεδεμένα {_eur(total)} € > εγκεκριμένα "
                       f"{_eur(approved[code])} € (πράσινη ένδειξη ΠΣΚΕ): συνήθης λόγος περικοπής.",
                       f"[Expenses – Invoices] expense «{code}»: €{_en(total)} linked > €{_en(approved[code])} "
                       "approved (ΠΣΚΕ shows it green): a usual reason for a cut.", "B9"))
    paid = ctx.paid_by_invoice()
    for i, record in enumerate(ctx.body.invoices):
        if record.kind == DEPRECIATION_KIND:
            continue
        if abs(paid.get(record.ref, ZERO) - record.gross_value) > CENT / 2:
            ctx.add(_f("PSKE-B9-OVERRUN", W, f"invoices[{i}]",
                       f"[Παραστατικά – Πληρωμές] «{record.number}»: συνδεδεμένες πληρωμές "
                       f"{_eur(paid.get(record.ref, ZERO))} € έναντι αξίας {_eur(record.gross_value)} €.",
                       f"[Invoices – Payments] «{record.number}»: €{_en(paid.get(record.ref, ZERO))} of payments "
                       f"linked against a value of €{_en(record.gross_value)}.", "B9"))
    for i, link in enumerate(ctx.body.payment_links):
        if link.invoice not in ctx.invoices or link.payment not in ctx.payments:
            ctx.add(_f("PSKE-B9-OVERRUN", W, f"payment_links[{i}]",
                       "Σύνδεση με εγγραφή που δεν υπάρχει στο αίτημα.", "A link to a record not in the request.",
                       "B9"))
    for i, expense_link in enumerate(ctx.body.expense_links):
        if expense_link.invoice not in ctx.invoices:
            ctx.add(_f("PSKE-B9-OVERRUN", W, f"expense_links[{i}]",
                       "Σύνδεση δαπάνης με παραστατικό που δεν υπάρχει στο αίτημα.",
                       "An expense linked to an invoice not in the request.", "B9"))


def check_categories(ctx: Context) -> None:
    """PSKE-B10-CATEGORY: expenses in the right category; requested per category ≤ approved."""
    annex = ctx.body.project.annex
    categories = {c.code: c for c in annex.categories}
    category_of = {e.code: e.category for e in annex.expenses}
    per_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for expense in annex.expenses:
        if expense.category not in categories:
            ctx.add(_f("PSKE-B10-CATEGORY", E, f"project.annex.expenses.{expense.code}",
                       f"Η δαπάνη «{expense.code}» δηλώνεται σε κατηγορία «{expense.category}» που δεν υπάρχει στο "
                       "Τεχνικό Παράρτημα.",
                       f"Expense «{expense.code}» sits in category «{expense.category}», which the Technical Annex "
                       "does not have.", "B10"))
    for code, value in _with_history(ctx).items():
        per_category[category_of.get(code, "")] += value
    for code, total in per_category.items():
        category = categories.get(code)
        if category is not None and total > category.approved:
            basis_el, basis_en = ctx.history.basis(c for c, cat in category_of.items() if cat == code)
            ctx.add(_f("PSKE-B10-CATEGORY", E, f"categories.{code}",
                       f"Κατηγορία «{category.name}»: αιτούνται {_eur(total)} € > εγκεκριμένα "
                       f"{_eur(category.approved)} €· απαιτείται πρώτα αίτημα τροποποίησης φυσικού-οικονομικού "
                       f"αντικειμένου. Προηγούμενα αιτήματα: {basis_el}.",
                       f"Category «{category.name}»: €{_en(total)} requested > €{_en(category.approved)} approved; "
                       f"a physical/financial amendment request must come first. Earlier requests: {basis_en}.",
                       "B10"))


RULES: list[Callable[[Context], None]] = [
    check_entity, check_eligible, check_approved, check_payment, check_category_limits, check_fixed_assets,
    check_deliverables, check_fields, check_books, check_duplicates, check_aggregate, check_rent,
    check_depreciation, check_payroll, check_withholding, check_no_delete, check_links, check_categories,
    check_minimum,  # last: it counts the cuts the others found
]


def validate_request(body: PaymentRequestBody, history: History | None = None) -> Outcome:
    ctx = Context(body=body, history=history or History(), invoices={r.ref: r for r in body.invoices},
                  payments={p.ref: p for p in body.payments}, expenses={}, out=Outcome())
    for rule in RULES:
        rule(ctx)
    ctx.out.certified = list(ctx._left)
    return ctx.out
