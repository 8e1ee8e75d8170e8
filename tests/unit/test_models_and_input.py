from __future__ import annotations

import pytest
from ypovoli.kinds.mydata_invoice.kind import KIND

from tests.factories import invoice

parse_invoice = KIND.parse


def test_unknown_field_becomes_a_schema_finding_with_its_path() -> None:
    data = invoice()
    data["invoiceHeader"]["colour"] = "blue"
    model, findings = parse_invoice(data)
    assert model is None
    assert [(f.code, f.path) for f in findings] == [("MYDATA-SCHEMA", "invoice.invoiceHeader.colour")]
    assert findings[0].message_el and findings[0].message_en


@pytest.mark.parametrize(("path", "value"), [
    (("invoiceDetails", 0, "netValue"), "abc"),
    (("invoiceDetails", 0, "netValue"), "-1.00"),
    (("invoiceDetails", 0, "netValue"), "1.001"),
    (("invoiceDetails", 0, "vatCategory"), 11),
    (("invoiceHeader", "issueDate"), "23/11/2026"),
    (("invoiceDetails",), []),
])
def test_wrong_types_and_ranges_are_findings(path: tuple, value: object) -> None:
    data = invoice()
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    model, findings = parse_invoice(data)
    assert model is None and findings and all(f.code == "MYDATA-SCHEMA" for f in findings)


def test_amounts_are_decimals_never_floats() -> None:
    data = invoice()
    data["invoiceDetails"][0]["netValue"] = 100
    model, _ = parse_invoice(data)
    assert model is not None
    assert str(model.invoiceDetails[0].netValue) == "100"
    assert not isinstance(model.invoiceDetails[0].vatAmount, float)
