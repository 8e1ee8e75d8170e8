"""The people's CLI against a running ypovoli (``ypovoli submit | status | upload-dossier``): where it
is and with which key — ``--url``/``--key``, else ``YPOVOLI_URL``/``YPOVOLI_KEY``, else a profile in
``~/.config/ypovoli/profiles.toml`` (``YPOVOLI_PROFILE_FILE``) — and the calls themselves, over
urllib3 (botocore already ships it)."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import urllib3

DEFAULT_PROFILE_FILE = Path.home() / ".config" / "ypovoli" / "profiles.toml"


class ClientError(Exception):
    """A one-line reason the command cannot go on (no URL, no key, an unreadable profile)."""


@dataclass(frozen=True)
class Target:
    url: str
    key: str


def profile_file() -> Path:
    return Path(os.environ.get("YPOVOLI_PROFILE_FILE") or DEFAULT_PROFILE_FILE)


def resolve(url: str | None, key: str | None, profile: str | None) -> Target:
    """The flags (and their environment variables) first, then the profile (``default`` unless named)."""
    chosen: dict[str, Any] = {}
    path = profile_file()
    if (not url or not key or profile) and path.is_file():
        try:
            profiles = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ClientError(f"cannot read the profile file {path}: {exc}") from None
        name = profile or "default"
        if name not in profiles and profile:
            raise ClientError(f"no profile [{name}] in {path} (it has: {', '.join(profiles) or 'none'})")
        chosen = dict(profiles.get(name, {}))
    elif profile:
        raise ClientError(f"no profile file at {path} (set YPOVOLI_PROFILE_FILE, or use --url and --key)")
    final_url, final_key = url or chosen.get("url"), key or chosen.get("key")
    if not final_url:
        raise ClientError("where is ypovoli? --url, YPOVOLI_URL, or url = … in a profile "
                          f"({path}); the local stack is http://127.0.0.1:8000")
    if not final_key:
        raise ClientError("no API key: --key, YPOVOLI_KEY, or key = … in a profile (make run prints the demo key)")
    return Target(str(final_url).rstrip("/"), str(final_key))


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    data: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.data or b"null")
        except ValueError:
            return None


class Client:
    def __init__(self, target: Target, timeout_s: float = 30.0) -> None:
        self.target = target
        self.http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5.0, read=timeout_s),
                                        retries=urllib3.Retry(total=2, connect=2, read=0, status=0))

    def call(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        sent = {"x-api-key": self.target.key, "Accept": "application/json", **(headers or {})}
        try:
            got = self.http.request(method, self.target.url + path, body=body, headers=sent)
        except urllib3.exceptions.HTTPError as exc:
            raise ClientError(f"cannot reach {self.target.url}: {exc}") from None
        return Answer(got.status, {k.lower(): v for k, v in got.headers.items()}, got.data)

    def submit(self, route: str, body: bytes) -> Answer:
        """One document to its route; retried safely: the same file gets the same Idempotency-Key."""
        key = hashlib.sha256(route.encode() + b"\0" + body).hexdigest()[:48]
        if route == "/v1/mydata/SendInvoices":
            # The drop-in route speaks AADE's headers: the ypovoli key where AADE's key goes.
            return self.call("POST", route, body, {"Content-Type": "application/xml", "Idempotency-Key": key,
                                                   "Ocp-Apim-Subscription-Key": self.target.key,
                                                   "aade-user-id": "ypovoli-cli"})
        return self.call("POST", route, body, {"Content-Type": "application/json", "Idempotency-Key": key})

    def upload(self, url: str, fields: dict[str, str], filename: str, data: bytes,
               progress: Callable[[int], None]) -> int:
        """The presigned POST to the drop folder, the file sent in pieces so ``progress`` can follow."""
        body, content_type = urllib3.encode_multipart_formdata(
            [*fields.items(), ("file", (filename, data, "application/zip"))])

        def pieces(size: int = 64 * 1024) -> Iterator[bytes]:
            for start in range(0, len(body), size):
                piece = body[start:start + size]
                yield piece
                progress(len(piece))

        try:
            got = self.http.request("POST", url, body=pieces(), headers={"Content-Type": content_type,
                                                                         "Content-Length": str(len(body))},
                                    chunked=False, preload_content=True)
        except urllib3.exceptions.HTTPError as exc:
            raise ClientError(f"the upload to {url.split('?')[0]} failed: {exc}") from None
        return int(got.status)


#: Where each kind of submission is read back, tried in turn for a bare id (``ypovoli status ID``).
READ_PATHS = ("/v1/invoices", "/v1/workcards", "/v1/work-schedules/WTOWeek", "/v1/work-schedules/WTODaily",
              "/v1/work-schedules/WTOOv", "/v1/work-schedules/WTOOvA",
              "/v1/leaves", "/v1/dossiers")


def find(client: Client, submission_id: str) -> tuple[str, Any] | None:
    """The submission or dossier with this id, and the path it was found under; ``None`` if none is
    this tenant's (the API answers "not yours" and "absent" alike)."""
    for path in READ_PATHS:
        got = client.call("GET", f"{path}/{submission_id}")
        if got.status == 200:
            return path, got.json()
        if got.status == 401:
            raise ClientError("the API key was refused (401): check --key / YPOVOLI_KEY")
    return None
