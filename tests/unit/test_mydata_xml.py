"""The official XML both ways, the XSD, the uid, and hostile XML."""

from __future__ import annotations

import pytest
from ypovoli.kinds.mydata_invoice.aade.response import ResponseEntry, build_response_doc, parse_response_doc
from ypovoli.kinds.mydata_invoice.aade.uid import invoice_uid
from ypovoli.kinds.mydata_invoice.aade.xml import XmlInputError, build_invoices_doc, parse_invoices_doc, parse_xml
from ypovoli.kinds.mydata_invoice.aade.xsd import schema_errors
from ypovoli.kinds.mydata_invoice.model import Invoice

from tests.factories import invoice


def test_mydata_schema_built_xml_validates_against_both_versions() -> None:
    xml = build_invoices_doc([Invoice.model_validate(invoice())])
    assert schema_errors(xml, "v2.0.1") == []
    assert schema_errors(xml, "v1.0.12") == []


def test_mydata_schema_outage_indicator_position_is_valid() -> None:
    inv = Invoice.model_validate(invoice()).model_copy(update={"transmissionFailure": 3})
    xml = build_invoices_doc([inv])
    assert b"<transmissionFailure>3</transmissionFailure><issuer>" in xml
    assert schema_errors(xml) == []


def test_mydata_schema_catches_what_the_model_lets_through() -> None:
    xml = build_invoices_doc([Invoice.model_validate(invoice())]).replace(b"<currency>EUR", b"<currency>XXX")
    assert schema_errors(xml)


def test_json_xml_round_trip_is_lossless() -> None:
    data = invoice()
    data["invoiceDetails"][0].update(quantity="2.5", measurementUnit=1, itemDescr="Καφές <& «ελληνικός»>")
    original = Invoice.model_validate(data)
    back = parse_invoices_doc(build_invoices_doc([original]))[0]
    assert back == original
    assert invoice_uid(back) == invoice_uid(original)


def test_uid_is_upper_sha1_with_greek_series() -> None:
    uid = invoice_uid(Invoice.model_validate(invoice()))
    assert len(uid) == 40 and uid == uid.upper()
    other = invoice_uid(Invoice.model_validate(invoice(series="A")))  # Latin A, not Greek Α
    assert other != uid


@pytest.mark.parametrize("payload", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>',
    b"<unclosed>",
    b"",
])
def test_hostile_or_broken_xml_is_refused(payload: bytes) -> None:
    with pytest.raises(XmlInputError):
        parse_xml(payload)


def test_unknown_elements_are_refused_by_the_model() -> None:
    xml = build_invoices_doc([Invoice.model_validate(invoice())]).replace(
        b"<invoiceHeader>", b"<bogus>1</bogus><invoiceHeader>")
    with pytest.raises(ValueError, match="bogus"):
        parse_invoices_doc(xml)


def test_response_doc_round_trip() -> None:
    entries = [ResponseEntry("Success", 1, invoice_uid="AB", invoice_mark=4000, qr_url="http://x"),
               ResponseEntry("ValidationError", 2, errors=[("203", "gross")])]
    back = parse_response_doc(build_response_doc(entries))
    assert back[0].ok and back[0].invoice_mark == 4000 and back[0].qr_url == "http://x"
    assert back[1].errors == [("203", "gross")] and not back[1].ok


def test_the_rest_of_the_xsd_round_trips_losslessly_and_validates() -> None:
    body = invoice()
    body["invoiceHeader"]["otherCorrelatedEntities"] = [
        {"type": 3, "entityData": {"vatNumber": "094019245", "country": "GR", "branch": 0}}]
    body["invoiceDetails"][0].update(
        dienergia={"applicationId": "AP-1", "applicationDate": "2026-11-20", "doy": "1101", "shipId": "SH-9"},
        movePurposeLine=1)
    body["paymentMethods"]["paymentMethodDetails"][0]["ProvidersSignature"] = {
        "SigningAuthor": "PRV-1", "Signature": "c2lnbmF0dXJl"}
    original = Invoice.model_validate(body)
    document = build_invoices_doc([original])
    assert schema_errors(document) == []
    [back] = parse_invoices_doc(document)
    assert back == original
    assert b"<dienergia>" in document and b"<ProvidersSignature>" in document


def test_mydata_schema_at_intake_catches_what_only_the_xsd_knows() -> None:
    from ypovoli.kinds.mydata_invoice.kind import schema_findings

    body = invoice()
    body["invoiceHeader"]["otherCorrelatedEntities"] = [
        {"type": 99, "entityData": {"vatNumber": "094019245", "country": "GR", "branch": 0}}]
    findings = schema_findings(Invoice.model_validate(body), "v2.0.1")
    assert [f.code for f in findings] == ["MYDATA-SCHEMA"] and "type" in findings[0].message_en
