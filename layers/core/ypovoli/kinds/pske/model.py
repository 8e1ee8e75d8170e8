"""ΠΣΚΕ payment requests (Αίτημα Ελέγχου, seed 003): the approved project and one request's records.

Names follow the ΠΣΚΕ screens («Παραστατικά», «Πληρωμές», «Δαπάνες») in English. Amounts are
decimals with at most two places; every model refuses unknown fields, so a typo is a finding, not
a silently ignored value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ...findings import Finding
from ...models.page import Page

Euro = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Text = Annotated[str, Field(max_length=500)]

#: Kinds of document the rules recognise (ΠΣΚΕ «Είδος παραστατικού τιμολόγησης»).
RENT_KIND = "ΑΠΟΔΕΙΞΗ ΕΙΣΠΡΑΞΗΣ ΕΝΟΙΚΙΟΥ/ΜΙΣΘΩΤΗΡΙΟ"
DEPRECIATION_KIND = "ΜΗΤΡΩΟ ΠΑΓΙΩΝ (ΑΠΟΣΒΕΣΕΙΣ)"
DEPRECIATION_SUPPLIER = "ΜΗΤΡΩΟ ΠΑΓΙΩΝ"
DEPRECIATION_PAYMENT_KIND = "ΛΟΙΠΑ (ΝΑ ΚΑΤΑΓΡΑΦΕΙ ΣΤΙΣ ΠΑΡΑΤΗΡΗΣΕΙΣ)"
PAYROLL_KIND = "ΜΙΣΘΟΔΟΤΙΚΗ ΚΑΤΑΣΤΑΣΗ"


class Strict(BaseModel):
    # defer_build: functions that never check a ΠΣΚΕ request (transmitter, sweeper, webhooks) import
    # this module through the shared stores but never pay for building its validators.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def _percent(value: object) -> object:
    """«60», «60.00», «60,00 %»: a percentage as people write it, read as the number it is."""
    if isinstance(value, str):
        return value.strip().removesuffix("%").strip().replace(",", ".")
    return value


class Shareholder(Strict):
    name: Text
    share_pct: Annotated[Decimal, BeforeValidator(_percent), Field(ge=0, le=100)]


class Investor(Strict):
    """The six items A1 compares with the approved Technical Annex."""

    name: Text
    legal_form: Text
    shareholders: list[Shareholder] = Field(default_factory=list)
    seat: Text
    implementation_sites: list[Text] = Field(default_factory=list)
    legal_representatives: list[Text] = Field(default_factory=list)
    project_manager: Text
    financing_scheme: Text


class Category(Strict):
    code: Text
    name: Text
    approved: Euro
    #: The call's own ceiling for the category (A6), when it has one.
    limit: Euro | None = None


ExpenseKind = Literal["general", "equipment", "software", "licence", "know_how", "website", "promotion",
                      "studies", "rent", "depreciation", "payroll", "insurance_contributions", "building_works"]
FIXED_ASSET_KINDS = frozenset({"equipment", "software", "licence", "know_how"})


class ApprovedExpense(Strict):
    code: Text
    description: Text
    category: Text
    kind: ExpenseKind = "general"
    approved: Euro
    eligible: bool = True


class TechnicalAnnex(Strict):
    investor: Investor
    categories: list[Category] = Field(min_length=1)
    expenses: list[ApprovedExpense] = Field(min_length=1)
    allowed_payment_methods: list[Text] = Field(min_length=1)
    #: Implementation below this share of the approved budget fails the request (A3).
    minimum_implementation_pct: Decimal = Field(default=Decimal(50), ge=0, le=100)
    #: Limits per expense kind set by the call (A6), e.g. {"website": 5000}.
    kind_limits: dict[str, Euro] = Field(default_factory=dict)
    #: The call's lower budget limit in euros («κατώτατο όριο Π/Υ», A3), when it sets one.
    minimum_budget: Euro | None = None
    #: Loans finance the business plan: their contracts are deliverables (A8.12).
    financed_by_loan: bool = False


class Project(Strict):
    code: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9Α-Ωα-ω.\-/]+$")
    action: Text
    books: Literal["single", "double"] = "double"
    annex: TechnicalAnnex


class Books(Strict):
    """B1-BOOKS: where the document sits in the books."""

    income_expense_book_date: dt.date | None = None
    ledger_account: Text | None = None
    booking_date: dt.date | None = None


class RentPeriod(Strict):
    months: int = Field(ge=1, le=12)
    monthly: Euro


class Lease(Strict):
    filing_number: Text
    address: Text
    lessors: list[Text] = Field(min_length=1)
    periods: list[RentPeriod] = Field(min_length=1)
    #: The monthly rent changed by an amendment of the lease (not a graduated rent of the same one).
    amended: bool = False


class Payroll(Strict):
    employee: Text
    afm: str
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    component: Literal["salary", "easter_bonus", "christmas_bonus", "leave_allowance", "summer_leave_bonus"] = "salary"
    net_pay: Euro
    employee_contributions: Euro
    employer_contributions: Euro
    income_tax: Euro = Decimal(0)
    solidarity: Euro = Decimal(0)

    @property
    def cost(self) -> Decimal:
        return (self.net_pay + self.employee_contributions + self.employer_contributions + self.income_tax
                + self.solidarity)


class Record(Strict):
    """What invoice and payment records share."""

    ref: str = Field(min_length=1, max_length=60)
    number: Text = ""
    date: dt.date | None = None
    books: Books = Field(default_factory=Books)
    #: The document numbers this one record stands for, when it stands for more than one (B3).
    documents: list[Text] = Field(default_factory=list)
    #: Registered in an earlier request of the project (re-linked now, never re-entered: B8).
    existing: bool = False
    #: Its file inside the zipped dossier (drop folder), e.g. «Εξοπλισμός/12345.pdf».
    file: Text = ""

    @property
    def value(self) -> Decimal:
        raise NotImplementedError


class InvoiceRecord(Record):
    """«Παραστατικό τιμολόγησης»: values **as printed on the document** (B1)."""

    kind: Text = ""
    payment_type: Text = ""
    supplier: Text = ""
    payment_issuer: Text = ""
    supplier_afm: str = ""
    net_value: Euro
    gross_value: Euro
    withheld: Euro = Decimal(0)
    fixed_asset_register: bool = False
    lease: Lease | None = None
    payroll: Payroll | None = None

    @property
    def value(self) -> Decimal:
        return self.net_value


PaymentKind = Literal["transfer", "e_transfer", "deposit", "cheque", "bank_cheque", "debit_card", "credit_card",
                      "cash", "other"]


class PaymentRecord(Record):
    """«Παραστατικό πληρωμής»: the **total printed amount** (B1), never only the matching part."""

    kind: PaymentKind
    kind_label: Text = ""
    issuer: Text = ""
    amount: Euro
    payee: Literal["supplier", "tax_office", "social_security", "employee", "lessor", "beneficiary"] = "supplier"
    #: For deposits: who stood at the bank counter (A8).
    depositor: Literal["legal_representative", "other", "supplier"] | None = None
    authorisation: bool = False
    #: Transfer slip names both accounts and both holders (A8).
    both_accounts_named: bool = True

    @property
    def value(self) -> Decimal:
        return self.amount


class ExpenseLink(Strict):
    """«Δαπάνες – Παραστατικά»: what of an invoice is requested for an approved expense."""

    expense: str
    invoice: str
    quantity: Decimal = Field(default=Decimal(1), gt=0)
    unit_price: Euro

    @property
    def value(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class PaymentLink(Strict):
    """«Παραστατικά – Πληρωμές»: what of a payment pays an invoice."""

    invoice: str
    payment: str
    amount: Euro


DeliverableKind = Literal["accounting_entries", "bank_statements", "solemn_declarations", "transfer_slips",
                          "deposit_authorisation", "wcag_certificate", "e4_apd", "lease", "lease_gsis_filing",
                          "lease_acceptance", "previous_leases", "promotion_samples", "loan_contracts", "permits",
                          "withholding_return", "withholding_payment_id", "card_statement",
                          "corporate_card_proof", "aid_payment_certificates", "other"]


class Deliverable(Strict):
    kind: DeliverableKind
    file: Text = ""
    expense: str | None = None
    #: A photocopy rather than the original (promotion material must be original samples: A8.8).
    photocopy: bool = False


class PaymentRequestBody(Strict):
    """``POST /v1/dossiers``: the project as approved, and this request."""

    afm: str
    project: Project
    request_type: str = Field(min_length=2, max_length=40)
    investor: Investor
    invoices: list[InvoiceRecord] = Field(default_factory=list, max_length=5000)
    payments: list[PaymentRecord] = Field(default_factory=list, max_length=5000)
    expense_links: list[ExpenseLink] = Field(default_factory=list, max_length=20000)
    payment_links: list[PaymentLink] = Field(default_factory=list, max_length=20000)
    deliverables: list[Deliverable] = Field(default_factory=list, max_length=5000)
    #: Records of earlier requests this one removes (never allowed: B8).
    deleted_records: list[str] = Field(default_factory=list)


class Cut(BaseModel):
    """A euro amount the auditor is likely to cut, and why (the report's heart)."""

    code: str
    expense: str | None = None
    invoice: str | None = None
    requested: Decimal
    certifiable: Decimal
    cut: Decimal
    reason_el: str
    reason_en: str


class AuditLetter(Strict):
    """The authority's audit letter for one request (Επιστολή / Πόρισμα ελέγχου): what it certified, per
    expense and per invoice. Later requests of the project count these figures instead of ypovoli's
    prediction (A3, A4, A6, B10)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "reference": "ΕΦΔ 1234/2026", "date": "2026-11-30", "expenses": {"E1": "1000.00", "E2": "319.80"},
        "invoices": {"inv-12345": "1319.80"}}]})

    #: The letter's protocol number, as the authority wrote it.
    reference: Text = ""
    date: dt.date | None = None
    expenses: dict[str, Euro] = Field(min_length=1, max_length=500,
                                      description="expense code → the amount the audit letter certified")
    invoices: dict[str, Euro] = Field(default_factory=dict, max_length=5000,
                                      description="invoice ref (as in the request) → the amount certified of it")


class DossierView(BaseModel):
    """``GET /v1/dossiers/{id}`` (SPEC §3): status accepted | invalid (| pending, before an upload arrives)."""

    id: str
    afm: str
    kind: Literal["pske_request", "pske_upload"]
    status: Literal["accepted", "invalid", "pending"]
    project_code: str = ""
    request_type: str = ""
    created_at: dt.datetime
    findings: list[Finding] = Field(default_factory=list)
    cuts: list[Cut] = Field(default_factory=list)
    total_cut: Decimal = Decimal(0)
    report_url: str | None = None


class DossierList(Page):
    """The ΑΦΜ's ΠΣΚΕ dossiers, newest first."""

    items: list[DossierView]


class UploadRequest(Strict):
    afm: str
    project_code: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9Α-Ωα-ω.\-/]+$")
    request_type: str = Field(min_length=2, max_length=40)
    filename: str = Field(min_length=5, max_length=200, pattern=r"(?i)^[^/\\]+\.zip$")


class UploadTicket(BaseModel):
    url: str
    fields: dict[str, str]


class UploadResponse(BaseModel):
    id: str
    upload: UploadTicket
    expires_in: int
