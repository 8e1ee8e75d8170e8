"""The repayable advance (Επιστρεπτέα Προκαταβολή; seed 001, ΓΔΟΥ 85/29-11-2022 art. 1 and 3;
SPEC §3 «Retail and SME routes», §5.5 ADVANCE-RETENTION, ADVANCE-RETURN). Pure: a request in, the
clause, the share and the euros out.

The seed's edges, read as SPEC §3 reads them: «ξεπερνάει το 70%» is strictly more; «τουλάχιστον σε
30% και ως 70%» includes both ends; «33,3%» is 0.333, not a third; the lump-sum discount needs the
documents filed «το αργότερο μέχρι και την 23η Σεπτεμβρίου 2022» (that day counts); amounts are
rounded to the cent («στρογγυλοποίηση στο δεύτερο δεκαδικό ψηφίο»), half-up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ...findings import Finding, Severity
from ...rules.common import money

SEED = "ΓΔΟΥ 85/29-11-2022 (Επιστρεπτέα Προκαταβολή; https://www.minfin.gov.gr)"
STARTED_BEFORE = dt.date(2019, 1, 1)
BRANCH_WINDOW = (dt.date(2019, 4, 1), dt.date(2020, 12, 31))
LUMP_SUM_FILED_BY = dt.date(2022, 9, 23)
LUMP_SUM_FACTOR = Decimal("0.85")
SHARES = {"a.aa": Decimal("0.25"), "a.bb": Decimal("0.333"), "a.cc": Decimal("0.5"),
          "b.aa": Decimal("0.25"), "b.bb": Decimal("0.333"), "retention_not_met": Decimal(1)}
CLAUSES = {
    "a.aa": ("περ. α΄ υποπερ. αα: επιστροφή 25% (μείωση εσόδων άνω του 70% και ζημίες)",
             "para. (a)(aa): 25% repaid (revenue fell more than 70%, and a loss)"),
    "a.bb": ("περ. α΄ υποπερ. ββ: επιστροφή 33,3% (μείωση εσόδων από 30% έως 70% και ζημίες)",
             "para. (a)(bb): 33.3% repaid (revenue fell 30% to 70%, and a loss)"),
    "a.cc": ("περ. α΄ υποπερ. γγ: επιστροφή 50% (όλες οι λοιπές επιχειρήσεις της περ. α΄)",
             "para. (a)(cc): 50% repaid (every other business of para. (a))"),
    "b.aa": ("περ. β΄ υποπερ. αα: επιστροφή 25% (μείωση εσόδων άνω του 30% και ζημίες)",
             "para. (b)(aa): 25% repaid (revenue fell more than 30%, and a loss)"),
    "b.bb": ("περ. β΄ υποπερ. ββ: επιστροφή 33,3% (όλες οι λοιπές επιχειρήσεις της περ. β΄)",
             "para. (b)(bb): 33.3% repaid (every other business of para. (b))"),
    "retention_not_met": ("δεν τηρήθηκε η υποχρέωση διατήρησης εργαζομένων: επιστρέφεται ολόκληρο το ποσό",
                          "the employee-retention obligation was not met: the whole amount is repaid"),
}

Amount = Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
Headcount = Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=4)]


class AdvanceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "afm": "100000003", "amount_received": "10000.00", "started_on": "2015-03-01", "branches_opened_on": [],
        "revenue_2019": "100000.00", "revenue_2020": "50000.00", "pre_tax_result_2020": "-1200.00", "ktel": False,
        "headcount_reference": "5", "headcount_computed": "4.5", "lump_sum": True,
        "documents_filed_on": "2022-09-20"}]})

    afm: str = Field(pattern=r"^[0-9]{9}$")
    amount_received: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
    started_on: dt.date
    branches_opened_on: list[dt.date] = Field(default_factory=list, max_length=500)
    #: Code 500 of the E3 form (revenue from sales of goods and services), tax years 2019 and 2020.
    revenue_2019: Amount
    revenue_2020: Amount
    pre_tax_result_2020: Amount
    ktel: bool = False
    headcount_reference: Headcount
    headcount_computed: Headcount
    lump_sum: bool = False
    documents_filed_on: dt.date | None = None


class AdvanceAnswer(BaseModel):
    #: The kept calculation's id (read it back with `GET /v1/calculations/repayable-advance/{id}`).
    id: str = ""
    retention_met: bool
    clause: str
    clause_el: str
    clause_en: str
    share: Decimal
    amount_to_repay: Decimal
    lump_sum_amount: Decimal | None
    #: The revenue drop 2019 → 2020 as a fraction (1 − r2020 ÷ r2019), shown to 4 places; null without 2019 revenue.
    revenue_drop: Decimal | None
    findings: list[Finding]


def _f(code: str, severity: Severity, path: str, el: str, en: str) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=SEED)


def clause_of(req: AdvanceRequest) -> tuple[str, Fraction | None]:
    """Which sub-paragraph of art. 3 §4 applies (retention aside), and the revenue drop it used."""
    branch = any(BRANCH_WINDOW[0] <= d <= BRANCH_WINDOW[1] for d in req.branches_opened_on)
    drop = 1 - Fraction(req.revenue_2020) / Fraction(req.revenue_2019) if req.revenue_2019 > 0 else None
    loss = req.ktel or req.pre_tax_result_2020 < 0  # «Ειδικά οι εταιρείες Κ.Τ.Ε.Λ. … δεν απαιτείται … ζημίας»
    if req.started_on < STARTED_BEFORE and not branch and drop is not None:
        if drop > Fraction(7, 10) and loss:
            return "a.aa", drop
        if Fraction(3, 10) <= drop <= Fraction(7, 10) and loss:
            return "a.bb", drop
        return "a.cc", drop
    if drop is not None and drop > Fraction(3, 10) and loss:
        return "b.aa", drop
    return "b.bb", drop


def calculate(req: AdvanceRequest) -> AdvanceAnswer:
    clause, drop = clause_of(req)
    # «μικρότερο κατά λιγότερο από μία μονάδα … θεωρείται ότι τηρήθηκε» (art. 1)
    retention_met = req.headcount_reference - req.headcount_computed < 1
    findings: list[Finding] = []
    if not retention_met:
        findings.append(_f(
            "ADVANCE-RETENTION", Severity.ERROR, "headcount_computed",
            f"Ο υπολογιζόμενος αριθμός εργαζομένων ({req.headcount_computed}) υπολείπεται του αριθμού αναφοράς "
            f"({req.headcount_reference}) κατά μία μονάδα ή περισσότερο: δεν τηρήθηκε η υποχρέωση διατήρησης "
            "εργαζομένων και επιστρέφεται ολόκληρη η ενίσχυση.",
            f"The computed headcount ({req.headcount_computed}) falls short of the reference "
            f"({req.headcount_reference}) by one unit or more: the retention obligation was not met and the whole "
            "advance is repaid."))
        clause = "retention_not_met"
    share = SHARES[clause]
    amount = money(req.amount_received * share)
    lump: Decimal | None = None
    if req.lump_sum:
        discounted = retention_met and req.documents_filed_on is not None \
            and req.documents_filed_on <= LUMP_SUM_FILED_BY
        lump = money(amount * LUMP_SUM_FACTOR) if discounted else amount
    el, en = CLAUSES[clause]
    findings.append(_f("ADVANCE-RETURN", Severity.INFO, "amount_received",
                       f"Εφαρμόζεται {el}: επιστρεπτέο ποσό {amount} €.",
                       f"Applies: {en}; to repay €{amount}."))
    if req.lump_sum and lump == amount:
        findings.append(_f("ADVANCE-RETURN", Severity.INFO, "documents_filed_on",
                           "Χωρίς την έκπτωση 15% της εφάπαξ καταβολής: ισχύει μόνο αν τα δικαιολογητικά "
                           "υποβλήθηκαν έως τις 23.9.2022 και τηρήθηκε η υποχρέωση διατήρησης εργαζομένων.",
                           "No 15% lump-sum discount: it applies only when the documents were filed by 23 September "
                           "2022 and the retention obligation was met."))
    shown_drop = None
    if drop is not None:
        shown_drop = money(Decimal(drop.numerator) * 100 / Decimal(drop.denominator)) / 100
    return AdvanceAnswer(retention_met=retention_met, clause=clause, clause_el=el, clause_en=en, share=share,
                         amount_to_repay=amount, lump_sum_amount=lump, revenue_drop=shown_drop, findings=findings)
