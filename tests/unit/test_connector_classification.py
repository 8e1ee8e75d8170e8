"""The production myDATA connector's classification of every way AADE can answer, fed with AADE's
own answers (tests/fixtures/aade/): what is final, what is retried, what must be reconciled first."""

from __future__ import annotations

from pathlib import Path

import pytest
from ypovoli.connectors.base import Outcome
from ypovoli.kinds.mydata_invoice.connector import classify

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "aade"


def answer(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_success_carries_the_receipt_fields() -> None:
    result = classify(200, answer("send-invoices-success.xml"))
    assert result.outcome is Outcome.SUCCESS
    assert result.fields["mark"] == 400001926482113
    assert result.fields["uid"] == "0B1C56E8A8F2E5B1E2A84F4B3F5A1C2D9E7F6A5B"
    assert result.fields["qr_url"].startswith("https://mydataapidev.aade.gr/TimologioQR/")


def test_rejected_keeps_every_code_and_message() -> None:
    result = classify(200, answer("send-invoices-validation-error.xml"))
    assert result.outcome is Outcome.REJECTED
    assert [code for code, _ in result.errors] == ["203", "202"]
    assert "203" in result.error and "net value plus taxes" in result.error


def test_xml_syntax_error_is_final_too() -> None:
    result = classify(200, answer("send-invoices-xml-syntax-error.xml"))
    assert result.outcome is Outcome.REJECTED and result.errors[0][0] == "101"


def test_technical_error_is_retried_without_reconciling() -> None:
    result = classify(200, answer("send-invoices-technical-error.xml"))
    assert result.outcome is Outcome.TRANSIENT and result.errors == [("206", result.errors[0][1])]


@pytest.mark.parametrize(("status", "body", "expected"), [
    (429, b'{"statusCode": 429, "message": "Rate limit is exceeded."}', Outcome.TRANSIENT),
    (401, b"Access denied due to invalid subscription key.", Outcome.CONFIGURATION),
    (403, b"Forbidden", Outcome.CONFIGURATION),
    (500, b"Internal Server Error", Outcome.AMBIGUOUS),
    (503, b"Service Unavailable", Outcome.AMBIGUOUS),
])
def test_http_failures(status: int, body: bytes, expected: Outcome) -> None:
    assert classify(status, body).outcome is expected


def test_a_bad_400_without_a_response_doc_may_have_been_kept_so_it_is_reconciled() -> None:
    """mydata-api.md §1.6: AADE answers its own faults as HTTP 400 with plain text (firebed #17)."""
    result = classify(400, answer("aade-fault-400.txt"))
    assert result.outcome is Outcome.AMBIGUOUS and "without ResponseDoc" in result.error


def test_an_empty_response_doc_is_ambiguous() -> None:
    assert classify(200, b"<ResponseDoc/>").outcome is Outcome.AMBIGUOUS
