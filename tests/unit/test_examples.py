"""The shipped samples (examples/) are valid as shipped, and the README runs nothing from tests/."""

from __future__ import annotations

import json
import re

from ypovoli.kinds.mydata_invoice.model import Invoice
from ypovoli.kinds.pske.model import PaymentRequestBody

from tests.factories import ROOT

EXAMPLES = ROOT / "examples"


def test_the_json_invoice_parses_as_the_invoice_model() -> None:
    Invoice.model_validate(json.loads((EXAMPLES / "invoice.json").read_text(encoding="utf-8")))


def test_the_invoices_doc_validates_against_the_official_xsd() -> None:
    from ypovoli.kinds.mydata_invoice.aade.xsd import schema_errors

    assert schema_errors((EXAMPLES / "invoices-doc.xml").read_bytes()) == []


def test_the_pske_request_parses() -> None:
    PaymentRequestBody.model_validate(json.loads((EXAMPLES / "pske-request.json").read_text(encoding="utf-8")))


def test_the_readme_runs_nothing_from_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    assert not [line for block in blocks for line in block.splitlines() if "tests." in line or "tests/" in line]
