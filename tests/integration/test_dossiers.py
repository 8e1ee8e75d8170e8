"""ΠΣΚΕ dossiers through the API and the drop folder, on moto: reports kept, history across
requests, tenants apart, hostile and disordered zips refused with findings."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import boto3
from ypovoli_local.handlers import LambdaContext, load_function

from tests import zips
from tests.factories import ISSUER, OTHER_AFM, event
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.pske_factory import clean_request


def request(**changes: Any) -> dict[str, Any]:
    data = clean_request()
    data["afm"] = ISSUER
    data.update(changes)
    return data


def relinked(e1: str) -> dict[str, Any]:
    """The project's final request re-linking the first request's invoice to E1 for ``e1``."""
    data = request(request_type="ΤΕΛΙΚΟ")
    data["invoices"][0]["existing"] = data["payments"][0]["existing"] = True
    data["expense_links"] = [{"expense": "E1", "invoice": "inv-12345", "unit_price": e1}]
    return data


def test_accepted_request_is_filed_with_reports_and_registered_in_history(world: World) -> None:
    status, body = call("POST", "/v1/dossiers", body=request())
    assert status == 201, body
    assert body["status"] == "accepted" and body["findings"] == [] and body["report_url"]
    status, got = call("GET", f"/v1/dossiers/{body['id']}")
    assert status == 200 and got["status"] == "accepted" and got["project_code"] == "ΚΡ-12345"
    names = {k.rsplit("/", 1)[-1] for k in world.s3_keys() if body["id"] in k}
    assert names == {"original.json", "report.json", "report.html"}
    html = world.deps.dossiers.get(next(k for k in world.s3_keys() if k.endswith("report.html")))
    assert html is not None and "Αίτημα Ελέγχου ΚΡ-12345" in html.decode()
    # The same documents in a later request of the project: PSKE-B2 sees the earlier one.
    world.clock.advance(timedelta(minutes=1))
    status, again = call("POST", "/v1/dossiers", body=request(request_type="ΤΕΛΙΚΟ"))
    assert status == 422 and again["status"] == "invalid" and again["id"] != body["id"]
    # … and the approved values are used up by the first request (A4 cut, B9 overrun).
    assert {f["code"] for f in again["findings"]} == {"PSKE-B2-DUPLICATE", "PSKE-A4-APPROVED", "PSKE-B9-OVERRUN"}
    listed = call("GET", f"/v1/dossiers?afm={ISSUER}")[1]["items"]
    assert [d["status"] for d in listed] == ["invalid", "accepted"]


def test_invalid_request_keeps_its_report_with_cuts_in_euros(world: World) -> None:
    data = request()
    data["expense_links"][0]["unit_price"] = "1500.00"
    data["invoices"][0].update(net_value="1819.80", gross_value="2256.55")
    data["payments"][0]["amount"] = "2256.55"
    data["payment_links"][0]["amount"] = "2256.55"
    data["deleted_records"] = ["old-1"]
    status, body = call("POST", "/v1/dossiers", body=data)
    assert status == 422 and body["status"] == "invalid"
    assert body["total_cut"] == "85.00" and body["cuts"][0]["expense"] == "E1"
    status, page = 0, None
    api = load_function("api")
    from ypovoli_local.front import gateway_call, new_gateway

    status, headers, page = gateway_call(new_gateway(api.app), "GET", f"/v1/dossiers/{body['id']}/report",
                                         {"x-api-key": KEYS["acme"]}, None)
    text = page.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "PSKE-A4-APPROVED" in text and "85,00 €" in text and "PSKE-B8-NO-DELETE" in text


def test_dossiers_are_tenant_scoped_and_bad_bodies_are_4xx(world: World) -> None:
    _, body = call("POST", "/v1/dossiers", body=request())
    assert call("GET", f"/v1/dossiers/{body['id']}", key=KEYS["other"])[0] == 403
    assert call("GET", f"/v1/dossiers/{body['id']}/report", key=KEYS["other"])[0] == 403
    assert call("GET", "/v1/dossiers/nope")[0] == 403
    assert call("GET", f"/v1/dossiers?afm={ISSUER}", key=KEYS["other"])[0] == 403
    assert call("POST", "/v1/dossiers", key=KEYS["other"], body=request())[0] == 403
    status, bad = call("POST", "/v1/dossiers", body={"afm": ISSUER, "project": {}})
    assert status == 422 and {f["code"] for f in bad["findings"]} == {"PSKE-SCHEMA"} and "id" not in bad
    assert call("POST", "/v1/dossiers", raw=b"[1, 2")[0] == 400
    assert call("POST", "/v1/dossiers", body=[1, 2])[0] == 400


def drop(world: World, key: str, data: bytes) -> None:
    bucket = world.resources.physical["DropBucket"]
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=data)
    sample = event("sqs_s3_drop.json")
    body = json.loads(sample["Records"][0]["body"])
    body["Records"][0]["s3"]["bucket"]["name"] = bucket
    body["Records"][0]["s3"]["object"]["key"] = key
    body["Records"][0]["s3"]["object"]["eTag"] = str(len(data))
    sample["Records"][0]["body"] = json.dumps(body)
    result = load_function("dropzone").handler(sample, LambdaContext("DropzoneFunction"))
    assert result == {"batchItemFailures": []}


def upload(world: World, data: bytes, filename: str = "ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ.zip") -> dict[str, Any]:
    status, ticket = call("POST", "/v1/dossiers/uploads", body={
        "afm": ISSUER, "project_code": "ΚΡ-12345", "request_type": "ΕΝΔΙΑΜΕΣΟ", "filename": filename})
    assert status == 201, ticket
    assert ticket["upload"]["fields"]["key"].startswith(f"incoming/acme/{ISSUER}/{ticket['id']}/")
    assert call("GET", f"/v1/dossiers/{ticket['id']}")[1]["status"] == "pending"
    drop(world, ticket["upload"]["fields"]["key"], data)
    status, got = call("GET", f"/v1/dossiers/{ticket['id']}")
    assert status == 200
    return dict(got)


def test_drop_folder_zip_with_register_is_checked_and_cross_checked(world: World) -> None:
    register = request()
    register["invoices"][0]["file"] = "Εξοπλισμός/12345.pdf"
    got = upload(world, zips.dossier(register))
    assert got["status"] == "accepted", got["findings"]
    assert {f["code"] for f in got["findings"]} == set() and got["report_url"]
    # The same event again (S3 delivers at least once): nothing is filed or registered twice.
    key = next(k for k in boto3.client("s3").list_objects_v2(Bucket=world.resources.physical["DropBucket"])
               .get("Contents", []) for k in [k["Key"]])
    drop(world, key, zips.dossier(register))
    assert call("GET", f"/v1/dossiers/{got['id']}")[1]["status"] == "accepted"
    assert len([k for k in world.s3_keys() if k.endswith("original.zip")]) == 1


def test_drop_folder_reports_structure_missing_files_and_extras(world: World) -> None:
    register = request()
    register["invoices"][0]["file"] = "Εξοπλισμός/missing.pdf"
    data = zips.dossier(register, extra={"Εξοπλισμός/σημειώσεις.docx": b"notes", "loose.txt": b"x"})
    got = upload(world, data)
    found = {f["code"] for f in got["findings"]}
    assert got["status"] == "invalid"
    assert {"PSKE-A9-REGISTER", "PSKE-A9-UNLISTED"} <= found
    members = {n: b"x" for n in ("Αίτημα Ελέγχου/α.pdf", "Εξοπλισμός/1.pdf")}
    got = upload(world, zips.build(members, root="x"), filename="ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ.zip")
    missing = [f["path"] for f in got["findings"] if f["code"] == "PSKE-A9-STRUCTURE"]
    assert missing == ["upload/Γενικά παραδοτέα", "upload/Λογιστικά", "upload/extrait"]
    assert {f["code"] for f in got["findings"]} >= {"PSKE-A9-REGISTER"}  # info: no register, layout only


def test_drop_folder_wrong_name_and_hostile_zips_are_refused_nothing_filed_half(world: World) -> None:
    got = upload(world, zips.dossier(), filename="φάκελος.zip")
    assert "PSKE-A9-STRUCTURE" in {f["code"] for f in got["findings"]} and got["status"] == "invalid"
    for data, code in ((zips.bomb(), "ZIP-BOMB"), (zips.with_symlink(), "ZIP-SYMLINK"),
                       (zips.build({"../../x": b"x"}), "ZIP-TRAVERSAL"), (b"not a zip", "ZIP-UNREADABLE"),
                       (zips.encrypted(), "ZIP-ENCRYPTED"), (zips.nested_twice(), "ZIP-NESTED")):
        got = upload(world, data)
        assert got["status"] == "invalid" and code in {f["code"] for f in got["findings"]}, (code, got["findings"])
    kept = [k for k in world.s3_keys() if k.endswith("original.zip")]
    assert len(kept) == 1  # the misnamed but readable folder is kept with its report; hostile zips are not


def test_csv_register_uses_the_project_of_an_earlier_request(world: World) -> None:
    data = request()
    data["invoices"], data["payments"], data["expense_links"], data["payment_links"] = [], [], [], []
    data["deliverables"] = []
    status, _ = call("POST", "/v1/dossiers", body=data)  # registers the project's annex
    assert status == 201
    csv_text = "\n".join([
        "record;ref;kind;number;date;supplier;payment_issuer;supplier_afm;net_value;gross_value;amount;"
        "payment_type;issuer;expense;invoice;payment;unit_price;file;fixed_asset_register;ledger_account;booking_date",
        "invoice;inv;ΤΙΜΟΛΟΓΙΟ;12345;10/05/2018;ΔΙΚΤΥΑΚΗ ΟΕ;ΤΡΑΠΕΖΑ ΠΕΙΡΑΙΩΣ;094019245;1.734,80;2.151,15;;"
        "ΕΜΒΑΣΜΑ;;;;;;Εξοπλισμός/12345.pdf;ναι;12.00.00;10/05/2018",
        "payment;pay;transfer;TX998877;20/05/2018;;;;;;2.151,15;;ΤΡΑΠΕΖΑ ΠΕΙΡΑΙΩΣ;;;;;;;38.03.00;20/05/2018",
        "expense_link;;;;;;;;;;;;;E1;inv;;1.415,00;;",
        "expense_link;;;;;;;;;;;;;E2;inv;;319,80;;",
        "payment_link;;;;;;;;;;2.151,15;;;;inv;pay;;;",
        "deliverable;;accounting_entries;;;;;;;;;;;;;;;Λογιστικά/εγγραφές.pdf;",
        "deliverable;;bank_statements;;;;;;;;;;;;;;;extrait/extrait.pdf;",
    ])
    members = {name: b"%PDF" for name in zips.FOLDERS}
    members.update({"Εξοπλισμός/12345.pdf": b"%PDF", "Εξοπλισμός/TX998877.pdf": b"%PDF",
                    "register.csv": ("\ufeff" + csv_text).encode("utf-8")})
    got = upload(world, zips.build(members, root="ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ"))
    assert got["status"] == "accepted" and got["findings"] == [], got["findings"]
    # Without the ledger columns the same register is refused (B1-BOOKS) and warned (A7).
    bare = "\n".join(";".join(line.split(";")[:-2]) for line in csv_text.splitlines())
    members["register.csv"] = bare.encode("cp1253", errors="replace")
    got = upload(world, zips.build(members, root="ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ"))
    assert {f["code"] for f in got["findings"]} >= {"PSKE-B1-BOOKS", "PSKE-A7-FIXED-ASSETS"}


def test_pske_history_keeps_what_was_certified_and_relinks_are_checked_against_it(world: World) -> None:
    """Issue 12 §4 on moto: the first request's E1 link (1,415.00) is cut to its approved 1,000.00 (A4);
    the project's history keeps 1,000.00 certified, so after the annex is amended to 1,415.00 a later
    request may re-link the same invoice (B8: «Αυτό που δύναται να τροποποιηθεί είναι η
    αντιστοίχιση/σύνδεση») for the 415.00 left — and not a cent more."""
    from ypovoli.kinds.pske.store import PskeStore

    first = request()
    first["project"]["annex"]["expenses"][0]["approved"] = "1000.00"
    status, body = call("POST", "/v1/dossiers", body=first)
    assert status == 201 and body["status"] == "accepted" and body["total_cut"] == "415.00", body
    history = world.deps.store(PskeStore).history(ISSUER, "ΚΡ-12345")
    assert history.certified == {"E1": 1000, "E2": Decimal("319.80")}
    assert list(history.invoice_certified.values()) == [Decimal("1319.80")]

    world.clock.advance(timedelta(minutes=1))
    status, over = call("POST", "/v1/dossiers", body=relinked("415.01"))
    assert status == 422 and {"PSKE-A4-APPROVED", "PSKE-B8-NO-DELETE"} <= {f["code"] for f in over["findings"]}
    assert over["total_cut"] == "0.01"   # two rules, one cent: cut once
    status, ok = call("POST", "/v1/dossiers", body=relinked("415.00"))
    assert status == 201 and not {"PSKE-A4-APPROVED", "PSKE-B8-NO-DELETE"} & {f["code"] for f in ok["findings"]}
    assert world.deps.store(PskeStore).history(ISSUER, "ΚΡ-12345").certified["E1"] == Decimal("1415.00")


def test_the_audit_letter_s_figures_replace_the_prediction_for_later_requests(world: World) -> None:
    """Issue 31 §3: ypovoli predicted the first request's E1 at 1,415.00 (no cut); the authority's letter
    certified 1,000.00 of it. A later request re-linking the invoice for 415.00 is then within E1's
    approved 1,415.00 by the letter, and its findings say whose figures they used."""
    from ypovoli.kinds.pske.store import PskeStore

    first = request()
    status, body = call("POST", "/v1/dossiers", body=first)
    assert status == 201 and body["total_cut"] == "0", body

    world.clock.advance(timedelta(minutes=1))
    status, predicted = call("POST", "/v1/dossiers", body=relinked("100.00"))
    [a4] = [f for f in predicted["findings"] if f["code"] == "PSKE-A4-APPROVED"]
    assert "ypovoli's prediction" in a4["message_en"] and "no audit letter" in a4["message_en"]

    # Nothing of another tenant's; nothing unknown; nothing for a request that was never registered.
    letter = {"reference": "ΕΦΔ 77/2026", "date": "2026-11-30", "expenses": {"E1": "1000.00", "E2": "319.80"},
              "invoices": {"inv-12345": "1319.80"}}
    assert call("POST", f"/v1/dossiers/{body['id']}/audit", key=KEYS["other"], body=letter)[0] == 403
    status, wrong = call("POST", f"/v1/dossiers/{body['id']}/audit", body={**letter, "expenses": {"E99": "1.00"}})
    assert status == 422 and wrong["code"] == "PSKE-AUDIT-LETTER" and "E99" in wrong["message_en"]
    status, kept = call("POST", f"/v1/dossiers/{body['id']}/audit", body=letter)
    assert status == 200 and kept["audit"]["expenses"]["E1"] == "1000.00", kept
    assert world.deps.store(PskeStore).history(ISSUER, "ΚΡ-12345").certified["E1"] == Decimal("1000.00")

    world.clock.advance(timedelta(minutes=1))
    status, fine = call("POST", "/v1/dossiers", body=relinked("415.00"))
    assert status == 201 and "PSKE-A4-APPROVED" not in {f["code"] for f in fine["findings"]}, fine
    world.clock.advance(timedelta(minutes=1))
    status, over = call("POST", "/v1/dossiers", body=relinked("415.01"))
    [a4] = [f for f in over["findings"] if f["code"] == "PSKE-A4-APPROVED"]
    # 1,000.00 by the first request's letter + 415.00 predicted for the second (no letter yet): said so.
    assert "partly from audit letters, partly ypovoli's prediction" in a4["message_en"]
    assert "€1,415.00 certifiable" in a4["message_en"]


def test_a_pske_request_with_findings_or_cuts_is_open_in_the_compliance_view(world: World) -> None:
    """Issue 33 §3: a request with PSKE-A4-APPROVED and a cut is what is open on the business — shown
    in the compliance view with the likely cut as its exposure, the latest request of each project."""
    first = request()
    first["project"]["annex"]["expenses"][0]["approved"] = "1000.00"
    status, body = call("POST", "/v1/dossiers", body=first)
    assert status == 201 and body["total_cut"] == "415.00", body
    status, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    assert status == 200, view
    [item] = [i for i in view["items"] if i["kind"] == "pske_request"]
    assert item["code"] == "PSKE-A4-APPROVED" and item["exposure_eur"] == "415.00"
    assert item["submission_id"] == body["id"] and "415,00 €" in item["message_el"] and "€415.00" in item["message_en"]
    assert view["total_exposure_eur"] == "415.00"
    assert not [i for i in call("GET", f"/v1/businesses/{OTHER_AFM}/compliance", key=KEYS["other"])[1]["items"]
                if i["kind"] == "pske_request"]
