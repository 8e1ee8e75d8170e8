"""The drop folder (S3): offices' zipped dossiers arrive under ``incoming/{tenant}/{afm}/``, by a
presigned POST from the API or by their own S3 tooling."""

from __future__ import annotations

from typing import IO, Any

from .aws import client


class DropFolder:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def presigned_upload(self, key: str, expires_s: int, max_bytes: int) -> tuple[str, dict[str, str]]:
        """(URL, form fields) of a presigned POST for ``key``, its size bounded by the policy."""
        post: dict[str, Any] = client("s3").generate_presigned_post(
            Bucket=self.bucket, Key=key, ExpiresIn=expires_s, Conditions=[["content-length-range", 1, max_bytes]])
        return str(post["url"]), {str(k): str(v) for k, v in post["fields"].items()}

    @staticmethod
    def size(bucket: str, key: str, version: str | None = None) -> int:
        extra = {"VersionId": version} if version else {}
        return int(client("s3").head_object(Bucket=bucket, Key=key, **extra)["ContentLength"])

    @staticmethod
    def download(bucket: str, key: str, into: IO[bytes], version: str | None = None) -> None:
        """Streamed into a file, never held whole in memory; ``version``: exactly the object the
        event named, not whatever was uploaded to the same key since."""
        client("s3").download_fileobj(bucket, key, into, ExtraArgs={"VersionId": version} if version else None)
