"""Over HTTP against the local stack: a ΠΣΚΕ request through the API, and a zipped folder through a
presigned upload into the drop folder (S3 → SQS → dropzone), read back as a report."""

from __future__ import annotations

import time
from typing import Any

import pytest
import urllib3

from tests import zips
from tests.e2e.conftest import Stack
from tests.factories import ISSUER
from tests.pske_factory import clean_request

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def test_payment_request_through_the_api(stack: Stack) -> None:
    data = clean_request()
    data["afm"] = ISSUER
    data["project"]["code"] = "ΚΡ-E2E-1"
    status, body = stack.call("POST", "/v1/dossiers", data)
    assert status == 201 and body["status"] == "accepted", body
    html = urllib3.request("GET", body["report_url"], timeout=10)
    assert html.status == 200 and "ΚΡ-E2E-1" in html.data.decode()


def test_zipped_folder_through_a_presigned_upload(stack: Stack) -> None:
    # A project of its own: the shared stack may hold «ΚΡ-12345» already (the API reference's example, which
    # the fuzzing test may send), and the same invoices again would be PSKE-B2-DUPLICATE.
    register: dict[str, Any] = clean_request()
    register["afm"], register["project"]["code"] = ISSUER, "ΚΡ-E2E-ZIP"
    register["invoices"][0]["file"] = "Εξοπλισμός/12345.pdf"
    status, ticket = stack.call("POST", "/v1/dossiers/uploads", {
        "afm": ISSUER, "project_code": "ΚΡ-E2E-ZIP", "request_type": "ΕΝΔΙΑΜΕΣΟ",
        "filename": "ΚΡ-E2E-ZIP_ΕΝΔΙΑΜΕΣΟ.zip"})
    assert status == 201, ticket
    fields = dict(ticket["upload"]["fields"])
    fields["file"] = ("ΚΡ-E2E-ZIP_ΕΝΔΙΑΜΕΣΟ.zip", zips.dossier(register, root="ΚΡ-E2E-ZIP_ΕΝΔΙΑΜΕΣΟ"),  # type: ignore[assignment]
                      "application/zip")
    posted = urllib3.request("POST", ticket["upload"]["url"], fields=fields, timeout=30)
    assert posted.status in (200, 201, 204), posted.data
    deadline = time.monotonic() + 30
    while True:
        status, got = stack.call("GET", f"/v1/dossiers/{ticket['id']}")
        if got["status"] != "pending" or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert got["status"] == "accepted", got
    assert got["report_url"] and got["kind"] == "pske_upload"
