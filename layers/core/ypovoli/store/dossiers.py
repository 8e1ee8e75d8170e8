"""The S3 dossier of every submission.

Layout: ``tenants/{tenant}/{afm}/{kind}/{yyyy}/{mm}/{id}/`` holding ``original.{json|xml}`` (the
bytes as received), ``report.json`` (the intake record: what ypovoli found — the findings, the
deadlines — and what it understood — ``document``, the normalized model every later step reads),
``attempts/{n}.json`` (one attempt's exchange with upstream: the request sent, the answer, its HTTP
status and times — the receipt's own source), and ``receipt.json`` only when a receipt came from a
reconciliation, with no answer of ours to hold it. The bucket is versioned: an object is never
silently replaced.

Two objects at intake and one per attempt: an S3 PUT costs as much as seven DynamoDB writes, and the
separate ``submission.json``, the usual ``receipt.json`` and a request apart from its answer only
repeated or split what ``report.json`` and the exchange hold (issue 17 §3, docs/architecture.md 59
and 68). Dossiers written before keep ``submission.json`` and ``attempts/{n}.request.*`` /
``.response.*``; :meth:`Dossiers.document` and :meth:`Dossiers.exchange` read either.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from .aws import client


def dossier_prefix(tenant: str, afm: str, kind: str, created_at: datetime, submission_id: str) -> str:
    return f"tenants/{tenant}/{afm}/{kind}/{created_at:%Y}/{created_at:%m}/{submission_id}/"


#: Retention class per kind, as an object tag the bucket's lifecycle rules select on (template.yaml):
#: each kind declares its class in the registry (``Line.retention``) and ``Deps`` hands them here.
RETENTION_TAG = "retention"


def retention_of(key: str, classes: Mapping[str, str]) -> str | None:
    """The retention class of the object at ``key``: its kind's (the key's fourth part), if any."""
    parts = key.split("/")
    kind = parts[3] if len(parts) > 4 and parts[0] == "tenants" else ""
    return classes.get(kind)


#: The intake record of a submission's dossier (its findings, and the normalized document).
INTAKE_RECORD = "report.json"

#: What a dossier's files are, by their ending.
CONTENT_TYPES = {".json": "application/json", ".xml": "application/xml", ".pdf": "application/pdf",
                 ".zip": "application/zip", ".html": "text/html; charset=utf-8", ".csv": "text/csv"}


def content_type(name: str) -> str:
    return next((t for end, t in CONTENT_TYPES.items() if name.endswith(end)), "application/octet-stream")


def attempt_key(prefix: str, attempt: int) -> str:
    """Where attempt ``attempt``'s exchange with upstream is kept in the dossier at ``prefix``."""
    return f"{prefix}attempts/{attempt}.json"


def body_record(body: bytes, content_type: str) -> dict[str, str]:
    """A request's or answer's bytes inside a JSON record, exactly: as text when they are UTF-8 (XML
    and JSON are, as ypovoli builds them and as the upstreams answer), else in base64."""
    try:
        return {"content_type": content_type, "text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"content_type": content_type, "base64": base64.b64encode(body).decode("ascii")}


def body_bytes(record: dict[str, Any] | None) -> bytes | None:
    """The bytes :func:`body_record` kept."""
    if not record:
        return None
    if "text" in record:
        return str(record["text"]).encode("utf-8")
    return base64.b64decode(str(record.get("base64", "")))


class Dossiers:
    def __init__(self, bucket: str, retention: Callable[[], Mapping[str, str]] | None = None) -> None:
        self.bucket = bucket
        #: kind → retention class (``registry.retention_classes``), asked for with the first object put:
        #: a function that only reads dossiers never loads the kinds' lines.
        self._retention = retention
        self._classes: Mapping[str, str] | None = None

    def put(self, key: str, body: bytes, content_type: str) -> None:
        if self._classes is None:
            self._classes = dict(self._retention()) if self._retention is not None else {}
        retention = retention_of(key, self._classes)
        extra = {"Tagging": f"{RETENTION_TAG}={retention}"} if retention else {}
        client("s3").put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type, **extra)

    def put_json(self, key: str, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        self.put(key, body, "application/json; charset=utf-8")

    def get(self, key: str) -> bytes | None:
        try:
            return bytes(client("s3").get_object(Bucket=self.bucket, Key=key)["Body"].read())
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise

    def get_json(self, key: str) -> Any:
        body = self.get(key)
        return None if body is None else json.loads(body)

    def document(self, prefix: str) -> Any:
        """The normalized document of the dossier at ``prefix``: ``report.json``'s ``document``, or the
        ``submission.json`` of a dossier written before the two were one."""
        report = self.get_json(f"{prefix}{INTAKE_RECORD}")
        if isinstance(report, dict) and "document" in report:
            return report["document"]
        return self.get_json(f"{prefix}submission.json")

    def exchange(self, prefix: str, attempt: int) -> dict[str, Any] | None:
        """Attempt ``attempt``'s exchange record, its ``request`` and ``response`` as bytes (``None``:
        not sent, or no answer); for a dossier written before the exchange was one object, made from
        its ``attempts/{n}.request.*`` and ``.response.*``."""
        record = self.get_json(attempt_key(prefix, attempt))
        if isinstance(record, dict):
            return {**record, "request": body_bytes(record.get("request")),
                    "response": body_bytes(record.get("response"))}
        listed = client("s3").list_objects_v2(Bucket=self.bucket, Prefix=f"{prefix}attempts/{attempt}.")
        parts = {o["Key"].rsplit("/", 1)[-1].split(".")[1]: o["Key"] for o in listed.get("Contents", [])}
        if "request" not in parts:
            return None
        return {"attempt": attempt, "request": self.get(parts["request"]),
                "response": self.get(parts["response"]) if "response" in parts else None}

    def names(self, prefix: str) -> list[str]:
        """Every object of the dossier at ``prefix``, by its name inside it (``attempts/1.json``)."""
        names: list[str] = []
        for page in client("s3").get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            names.extend(str(o["Key"])[len(prefix):] for o in page.get("Contents", []))
        return names

    def presigned_get(self, key: str, expires_s: int, content_type: str) -> str:
        return str(client("s3").generate_presigned_url(
            "get_object", ExpiresIn=expires_s,
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentType": content_type}))

    def copy_in(self, source_bucket: str, source_key: str, key: str, version: str | None = None,
                etag: str = "") -> None:
        """An object of another bucket (the drop folder) into the dossier, server-side — the version
        that was checked, or (no versions) the object with the ETag that was checked: S3 refuses the
        copy (412 PreconditionFailed) if the key holds another one by now."""
        source = {"Bucket": source_bucket, "Key": source_key, **({"VersionId": version} if version else {})}
        condition = {"CopySourceIfMatch": etag} if etag else {}
        client("s3").copy_object(Bucket=self.bucket, Key=key, CopySource=source, **condition)

    def delete_prefix(self, prefix: str) -> None:
        """Remove what an intake wrote before its transaction was refused (orphans, never dossiers)."""
        s3 = client("s3")
        listed = s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        objects = [{"Key": o["Key"]} for o in listed.get("Contents", [])]
        if objects:
            s3.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})
