"""A clean ΠΣΚΕ payment request (no findings) that each test bends into one of seed 003's cases."""

from __future__ import annotations

import copy
from typing import Any

SUPPLIER_AFM = "094019245"   # valid check digit
ABG_AFM = "800987652"        # «ΑΒΓ», the seed's supplier
EMPLOYEE_A, EMPLOYEE_B = "123456783", "100000015"
BENEFICIARY = "ΑΛΦΑ ΤΕΧΝΙΚΗ ΑΕ"

INVESTOR: dict[str, Any] = {
    "name": BENEFICIARY, "legal_form": "ΑΕ",
    "shareholders": [{"name": "Γ. Παπαδόπουλος", "share_pct": "60"}, {"name": "Ε. Ιωάννου", "share_pct": "40"}],
    "seat": "Λεωφ. Κηφισίας 1, Αθήνα", "implementation_sites": ["Λεωφ. Κηφισίας 1, Αθήνα"],
    "legal_representatives": ["Γ. Παπαδόπουλος"], "project_manager": "Μ. Νικολάου",
    "financing_scheme": "Ενίσχυση 50% – ίδια συμμετοχή 50%",
}

PROJECT: dict[str, Any] = {
    "code": "ΚΡ-12345", "action": "Ψηφιακό Βήμα", "books": "double",
    "annex": {
        "investor": INVESTOR,
        "categories": [
            {"code": "EQ", "name": "Εξοπλισμός", "approved": "20000.00"},
            {"code": "SRV", "name": "Υπηρεσίες τρίτων", "approved": "12000.00", "limit": "15000.00"},
            {"code": "RENT", "name": "Ενοίκια", "approved": "6000.00"},
            {"code": "DEP", "name": "Αποσβέσεις", "approved": "5000.00"},
            {"code": "PAY", "name": "Μισθολογικό κόστος", "approved": "8000.00"},
        ],
        "expenses": [
            {"code": "E1", "description": "APC Smart UPS", "category": "EQ", "kind": "equipment",
             "approved": "1415.00"},
            {"code": "E2", "description": "Microtik CRS", "category": "EQ", "kind": "equipment", "approved": "319.80"},
            {"code": "E3", "description": "Υπηρεσίες ΑΒΓ", "category": "SRV", "kind": "general",
             "approved": "10000.00"},
            {"code": "E4", "description": "Ενοίκιο επαγγελματικού χώρου", "category": "RENT", "kind": "rent",
             "approved": "6000.00"},
            {"code": "E5", "description": "Αποσβέσεις παγίων", "category": "DEP", "kind": "depreciation",
             "approved": "5000.00"},
            {"code": "E6", "description": "Μισθοδοσία", "category": "PAY", "kind": "payroll", "approved": "8000.00"},
            {"code": "E7", "description": "Σύμβουλος", "category": "SRV", "kind": "studies", "approved": "1000.00"},
        ],
        "allowed_payment_methods": ["transfer", "e_transfer", "deposit", "cheque", "bank_cheque", "other"],
        "minimum_implementation_pct": "1",
    },
}

BOOKS = {"ledger_account": "12.00.00", "booking_date": "2018-05-10"}
PAY_BOOKS = {"ledger_account": "38.03.00", "booking_date": "2018-05-20"}


def invoice(ref: str, number: str, net: str, gross: str, **extra: Any) -> dict[str, Any]:
    data = {"ref": ref, "kind": "ΤΙΜΟΛΟΓΙΟ", "payment_type": "ΕΜΒΑΣΜΑ ΤΡΑΠΕΖΗΣ", "number": number,
            "date": "2018-05-10", "supplier": "ΔΙΚΤΥΑΚΗ ΟΕ", "payment_issuer": "ΤΡΑΠΕΖΑ ΠΕΙΡΑΙΩΣ",
            "supplier_afm": SUPPLIER_AFM, "net_value": net, "gross_value": gross, "books": BOOKS}
    data.update(extra)
    return data


def payment(ref: str, number: str, amount: str, kind: str = "transfer", **extra: Any) -> dict[str, Any]:
    data = {"ref": ref, "kind": kind, "number": number, "date": "2018-05-20", "issuer": "ΤΡΑΠΕΖΑ ΠΕΙΡΑΙΩΣ",
            "amount": amount, "books": PAY_BOOKS}
    data.update(extra)
    return data


def clean_request() -> dict[str, Any]:
    """Invoice 12345 (seed §Β2.1): one record of net 1,734.80 linked to both expenses, paid in full."""
    return copy.deepcopy({
        "afm": "800123456", "project": copy.deepcopy(PROJECT), "request_type": "ΕΝΔΙΑΜΕΣΟ",
        "investor": copy.deepcopy(INVESTOR),
        "invoices": [invoice("inv-12345", "12345", "1734.80", "2151.15", fixed_asset_register=True)],
        "payments": [payment("pay-1", "TX998877", "2151.15")],
        "expense_links": [{"expense": "E1", "invoice": "inv-12345", "unit_price": "1415.00"},
                          {"expense": "E2", "invoice": "inv-12345", "unit_price": "319.80"}],
        "payment_links": [{"invoice": "inv-12345", "payment": "pay-1", "amount": "2151.15"}],
        "deliverables": [{"kind": "accounting_entries", "file": "Λογιστικά/εγγραφές.pdf"},
                         {"kind": "bank_statements", "file": "extrait/extrait.pdf"},
                         {"kind": "solemn_declarations", "file": "Γενικά παραδοτέα/ΥΔ.pdf"}],
    })
