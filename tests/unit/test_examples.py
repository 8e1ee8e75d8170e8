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


def test_the_ergani_samples_parse_as_erganis_documents() -> None:
    from ypovoli.kinds.ergani.model import WorkCardDoc, WtoDoc

    WorkCardDoc.model_validate(json.loads((EXAMPLES / "workcard.json").read_text(encoding="utf-8")))
    for name in ("wto-week.json", "wto-daily.json", "leave.json", "overtime.json"):
        WtoDoc.model_validate(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def test_every_request_body_of_the_openapi_has_an_example_its_model_accepts() -> None:
    """Every body in /docs comes with an example; a JSON one validates as the route's model."""
    from pydantic import BaseModel
    from ypovoli.openapi import build_openapi

    document = build_openapi()
    schemas = document["components"]["schemas"]
    models: dict[str, type[BaseModel]] = {}
    stack: list[type[BaseModel]] = [BaseModel]
    while stack:
        for sub in stack.pop().__subclasses__():
            models.setdefault(sub.__name__, sub)
            stack.append(sub)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                ref = content["schema"].get("$ref", "").rsplit("/", 1)[-1]
                examples = [content["example"]] if "example" in content else schemas.get(ref, {}).get("examples", [])
                assert examples, (method, path, media)
                if ref:
                    for example in examples:
                        models[ref].model_validate(example)
