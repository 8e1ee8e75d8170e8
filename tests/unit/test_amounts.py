"""myDATA amounts (AADE's ``AmountType``: ``xs:decimal``, ``minInclusive`` 0, ``fractionDigits`` 2,
``totalDigits`` 15). The model says it as a multiple of a cent below 10¹³ (issue 17 §1: cheaper for
pydantic-core than counting digits); these tests hold that spelling to the XSD's own verdicts and to
pydantic's digit-counting spelling, and read the finding a client gets."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import BaseModel, Field, ValidationError
from ypovoli.kinds.mydata_invoice.aade.xsd import XSD_DIR
from ypovoli.kinds.mydata_invoice.model import Amount
from ypovoli.rules.input import findings_from_validation_error

Digits = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2, allow_inf_nan=False)]


class Ours(BaseModel):
    a: Amount


class Counted(BaseModel):
    a: Digits


def _xsd() -> etree.XMLSchema:
    """AADE's AmountType itself, from the XSD we ship, as a one-element schema."""
    simple = etree.parse(str(XSD_DIR / "v2.0.1" / "SimpleTypes-v2.0.1.xsd"))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    amount = next(t for t in simple.iter(f"{xs}simpleType") if t.get("name") == "AmountType")
    schema = etree.fromstring(
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="AmountType"/>'
        + etree.tostring(amount) + b"</xs:schema>")
    return etree.XMLSchema(schema)


XSD = _xsd()


def _verdicts(text: str) -> tuple[bool, bool, bool]:
    def accepts(model: type[BaseModel]) -> bool:
        try:
            model.model_validate_json(f'{{"a": "{text}"}}')
        except ValidationError:
            return False
        return True

    return accepts(Ours), accepts(Counted), XSD.validate(etree.fromstring(f"<a>{text}</a>".encode()))


@pytest.mark.parametrize("text", [
    "0", "0.00", "-0.00", "0.01", "1.1", "1.10", "1.100", "1.105", "0.001", "12.5", "9999999999999.99",
    "10000000000000", "10000000000000.00", "9999999999999.999", "-0.01", "123.4500", "1E+2", "1E+12", "1E+13",
])
def test_amount_as_a_multiple_of_a_cent_agrees_with_the_xsd(text: str) -> None:
    ours, counted, xsd = _verdicts(text)
    assert ours == counted, text
    if "E" not in text and abs(Decimal(text)) < 10**13:   # the XSD's decimal has no exponent; pydantic reads one
        assert ours == xsd, text
    elif "E" not in text:
        # totalDigits counts significant digits, so the XSD takes a whole 10¹³–10¹⁵ (fifteen digits, no
        # decimals); pydantic's max_digits=15 with decimal_places=2 never did (whole digits ≤ 13), nor do we.
        assert not ours and xsd, text


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1E+15"), max_value=Decimal("1E+15"),
                   places=None))
def test_amount_spellings_agree_on_any_decimal(value: Decimal) -> None:
    ours, counted, _ = _verdicts(format(value, "f"))
    assert ours == counted, value


def test_too_many_decimals_reads_as_euros_and_cents() -> None:
    with pytest.raises(ValidationError) as caught:
        Ours.model_validate_json('{"a": 12.345}')
    [finding] = findings_from_validation_error(caught.value, "MYDATA-INPUT", "invoice", "XSD AmountType")
    assert finding.path == "invoice.a"
    assert "0.01" in finding.message_en and "two decimal places" in finding.message_en
    assert "δεκαδικά" in finding.message_el


def test_too_large_says_the_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        Ours.model_validate_json('{"a": 12345678901234.5}')
    [finding] = findings_from_validation_error(caught.value, "MYDATA-INPUT", "invoice", "XSD AmountType")
    assert finding.message_en == "The value must be less than 10000000000000."


def test_the_published_schema_takes_every_cent() -> None:
    """/openapi.json does not say ``multipleOf: 0.01``: a JSON Schema validator checks it in binary
    floating point, where 0.07 is no multiple of 0.01, and a generated client would refuse it."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(Ours.model_json_schema()["properties"]["a"])
    assert all(validator.is_valid(v) for v in (0.07, 0.29, 12.34, 0, "0.07"))
    assert not validator.is_valid(-0.01)
