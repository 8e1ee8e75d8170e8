"""The drop folder keeps what it checked and every upload ends in a report (issue 18 §1–2)."""

from __future__ import annotations

import json
from typing import Any

import boto3
from ypovoli_local.handlers import LambdaContext, load_function

from tests import zips
from tests.factories import ISSUER, event
from tests.integration.conftest import World
from tests.integration.test_api import call
from tests.pske_factory import clean_request


def ticket() -> dict[str, Any]:
    status, got = call("POST", "/v1/dossiers/uploads", body={
        "afm": ISSUER, "project_code": "ΚΡ-12345", "request_type": "ΕΝΔΙΑΜΕΣΟ", "filename": "ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ.zip"})
    assert status == 201, got
    return dict(got)


def put(world: World, key: str, data: bytes) -> str:
    """Upload, as an office's client would; the bucket keeps versions, the answer names this one."""
    answer = boto3.client("s3").put_object(Bucket=world.resources.physical["DropBucket"], Key=key, Body=data)
    return str(answer["VersionId"])


def notify(world: World, key: str, version: str | None, size: int) -> None:
    """The S3 event of one upload, as S3 sends it (with the version it created, or — as moto's do —
    none) through SQS."""
    sample = event("sqs_s3_drop.json")
    body = json.loads(sample["Records"][0]["body"])
    body["Records"][0]["s3"]["bucket"]["name"] = world.resources.physical["DropBucket"]
    body["Records"][0]["s3"]["object"].update(key=key, eTag=f"{version}-{size}")
    if version is not None:
        body["Records"][0]["s3"]["object"]["versionId"] = version
    else:
        body["Records"][0]["s3"]["object"].pop("versionId", None)
    sample["Records"][0]["body"] = json.dumps(body)
    assert load_function("dropzone").handler(sample, LambdaContext("DropzoneFunction")) == {"batchItemFailures": []}


def kept_zip(world: World, dossier_id: str) -> bytes:
    [key] = [k for k in world.s3_keys() if dossier_id in k and k.endswith("original.zip")]
    return bytes(boto3.client("s3").get_object(Bucket=world.deps.dossiers.bucket, Key=key)["Body"].read())


def test_the_version_checked_is_the_version_kept_when_a_second_upload_follows(world: World) -> None:
    """A clean zip, then 0.1 s later a hostile one to the same key: the first event's report is about
    the clean zip, and the zip kept in the dossier is byte for byte that one."""
    got = ticket()
    key = got["upload"]["fields"]["key"]
    clean = zips.dossier(register=clean_request())
    hostile = zips.build({"../../evil.sh": b"rm -rf /"})
    first = put(world, key, clean)
    second = put(world, key, hostile)
    assert first != second
    notify(world, key, first, len(clean))
    notify(world, key, second, len(hostile))  # the same dossier: filed once, never again
    _, dossier = call("GET", f"/v1/dossiers/{got['id']}")
    assert "ZIP-TRAVERSAL" not in {f["code"] for f in dossier["findings"]}, dossier["findings"]
    assert kept_zip(world, got["id"]) == clean


def test_an_event_without_a_version_pins_the_one_it_checked_and_keeps_exactly_that(
        world: World, monkeypatch: Any) -> None:
    """Issue 34 §3: moto's events name no version. The dropzone resolves it once (HEAD) and reads and
    copies that version; a hostile upload to the same key while the first is being checked changes
    nothing of what is filed."""
    from ypovoli.store.drops import DropFolder

    got = ticket()
    key = got["upload"]["fields"]["key"]
    clean = zips.dossier(register=clean_request())
    hostile = zips.build({"../../evil.sh": b"rm -rf /"})
    put(world, key, clean)
    real = DropFolder.download

    def download_then_overwritten(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        put(world, key, hostile)   # another upload lands between the check and the copy

    monkeypatch.setattr(DropFolder, "download", staticmethod(download_then_overwritten))
    notify(world, key, None, len(clean))
    _, dossier = call("GET", f"/v1/dossiers/{got['id']}")
    assert dossier["status"] == "accepted" and "ZIP-TRAVERSAL" not in {f["code"] for f in dossier["findings"]}
    assert kept_zip(world, got["id"]) == clean


def corrupt_deflate() -> bytes:
    data = bytearray(zips.dossier(register=clean_request()))
    marker = data.find(b"PK\x03\x04", 100)  # the second member's local header
    start = marker + 30 + int.from_bytes(data[marker + 26:marker + 28], "little") + 2
    data[start:start + 8] = b"\xff" * 8  # inside its compressed stream
    return bytes(data)


def unsupported_method() -> bytes:
    data = bytearray(zips.dossier())
    data[8:10] = (9).to_bytes(2, "little")  # the first member claims Deflate64
    central = data.find(b"PK\x01\x02")
    data[central + 10:central + 12] = (9).to_bytes(2, "little")
    return bytes(data)


def test_every_hostile_upload_ends_invalid_with_a_report_never_pending(world: World) -> None:
    for name, data in (("corrupt deflate", corrupt_deflate()), ("method 9", unsupported_method()),
                       ("truncated", zips.dossier()[:-40]),
                       ("register not an object", zips.dossier(extra={"register.json": b"[1, 2]"})),
                       ("annex not an object", zips.dossier(register={**clean_request(), "project": {
                           **clean_request()["project"], "annex": "none"}}))):
        got = ticket()
        key = got["upload"]["fields"]["key"]
        notify(world, key, put(world, key, data), len(data))
        _, dossier = call("GET", f"/v1/dossiers/{got['id']}")
        assert dossier["status"] == "invalid" and dossier["findings"], (name, dossier)
