"""The drop folder (S3): offices' zipped dossiers arrive under ``incoming/{tenant}/{afm}/``, by a
presigned POST from the API or by their own S3 tooling."""

from __future__ import annotations

from typing import IO, Any

from .aws import client


class DropFolder:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def presigned_upload(self, key: str, expires_s: int, max_bytes: int,
                         redirect: str | None = None) -> tuple[str, dict[str, str]]:
        """(URL, form fields) of a presigned POST for ``key``, its size bounded by the policy; with
        ``redirect``, S3 sends the browser there once the upload is stored (the console's form)."""
        fields: dict[str, Any] = {"success_action_redirect": redirect} if redirect else {}
        conditions: list[Any] = [["content-length-range", 1, max_bytes]]
        if redirect:
            conditions.append({"success_action_redirect": redirect})
        post: dict[str, Any] = client("s3").generate_presigned_post(
            Bucket=self.bucket, Key=key, ExpiresIn=expires_s, Fields=fields or None, Conditions=conditions)
        return str(post["url"]), {str(k): str(v) for k, v in post["fields"].items()}

    @staticmethod
    def head(bucket: str, key: str, version: str | None = None) -> tuple[int, str | None, str]:
        """(size, version, ETag) of the object — the version the event named, or, when it named none
        (moto's events, an unversioned bucket), the one there now: resolved once, then held to."""
        extra = {"VersionId": version} if version else {}
        got = client("s3").head_object(Bucket=bucket, Key=key, **extra)
        found = got.get("VersionId")
        return int(got["ContentLength"]), version or (str(found) if found and found != "null" else None), \
            str(got.get("ETag", ""))

    @staticmethod
    def download(bucket: str, key: str, into: IO[bytes], version: str | None = None, etag: str = "") -> None:
        """Streamed into a file, never held whole in memory; exactly the object that was looked at —
        ``version``, else its ``etag`` (S3 refuses, 412, if the key holds another object by now)."""
        extra = {"VersionId": version} if version else ({"IfMatch": etag} if etag else None)
        client("s3").download_fileobj(bucket, key, into, ExtraArgs=extra)
