"""An attempt's exchange keeps the request's and the answer's bytes exactly, inside JSON."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from ypovoli.store.dossiers import attempt_key, body_bytes, body_record


def test_utf8_bodies_are_kept_as_text_readable_in_the_record() -> None:
    xml = "<?xml version='1.0' encoding='UTF-8'?><a>Υποβολή \"ok\"</a>".encode()
    record = body_record(xml, "application/xml")
    assert record == {"content_type": "application/xml", "text": xml.decode()}
    assert body_bytes(json.loads(json.dumps(record))) == xml


def test_other_bytes_are_kept_in_base64() -> None:
    greek_8859_7 = "<?xml version='1.0' encoding='ISO-8859-7'?><a>Υποβολή</a>".encode("iso-8859-7")
    record = body_record(greek_8859_7, "application/xml")
    assert "text" not in record and body_bytes(record) == greek_8859_7


@given(st.binary(max_size=300))
def test_any_bytes_survive_the_json_round_trip(data: bytes) -> None:
    assert body_bytes(json.loads(json.dumps(body_record(data, "application/octet-stream")))) == data


def test_no_body_reads_as_none() -> None:
    assert body_bytes(None) is None and body_bytes({}) is None


def test_an_attempt_is_one_object_under_the_dossier() -> None:
    prefix = "tenants/acme/123/mydata_invoice/2026/12/x/"
    assert attempt_key(prefix, 3) == f"{prefix}attempts/3.json"


def test_the_console_lists_a_dossier_in_the_order_it_was_written() -> None:
    from ypovoli.services.console import _dossier_order
    from ypovoli.store.dossiers import content_type

    names = ["receipt.json", "attempts/10.json", "report.json", "protocol.pdf", "attempts/9.json",
             "original.xml", "attempts/1.request.xml", "attempts/1.response.xml"]
    assert sorted(names, key=_dossier_order) == [
        "original.xml", "report.json", "attempts/1.request.xml", "attempts/1.response.xml", "attempts/9.json",
        "attempts/10.json", "protocol.pdf", "receipt.json"]
    assert content_type("protocol.pdf") == "application/pdf" and content_type("x.bin") == "application/octet-stream"
