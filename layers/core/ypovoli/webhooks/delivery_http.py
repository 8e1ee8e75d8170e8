"""One webhook POST, bounded and pinned (issue 18 §5, §6).

A receiver is tenant-controlled and may be hostile: it can trickle one byte at a time (a per-read
timeout never fires), answer gigabytes, or re-point its DNS name at an internal address between our
check and our connect. So the name is resolved **once**, every address it gave is checked, and the
connection goes to that checked address (TLS still verifies the certificate for the name); a
watchdog ends the whole exchange — connect, TLS, request, status line, headers — at one total
deadline; and at most ``MAX_RESPONSE_BYTES`` of the answer is read (its status is all we need).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection

from .targets import TargetRefused, check_url, public

MAX_RESPONSE_BYTES = 64 * 1024

Resolver = Callable[..., list[Any]]


class DeadlineExceeded(Exception):
    """The receiver did not finish answering within the delivery's total deadline."""


@dataclass(frozen=True)
class Target:
    """Where one delivery goes: the checked address, and the name TLS and ``Host`` must carry."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def resolve_target(url: str, allow_private: bool, resolver: Resolver = socket.getaddrinfo) -> Target:
    """Check ``url`` (see :func:`check_url`) and pick the address to connect to. In AWS (private
    targets not allowed) only port 443 is accepted: a webhook is HTTPS to a public receiver, and a
    free port turns the gateway into a port scanner."""
    check_url(url, allow_private, resolve=False)   # scheme, credentials, port 443, literal addresses
    parts = urlsplit(url.strip())
    host = str(parts.hostname)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = resolver(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise TargetRefused(f"the host does not resolve ({exc})") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise TargetRefused("the host does not resolve")
    if not allow_private and not all(public(a) for a in addresses):
        raise TargetRefused("the host resolves to a private, loopback or reserved address")
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return Target(parts.scheme, host, port, path, addresses[0])


def post(target: Target, body: bytes, headers: dict[str, str], deadline_s: float,
         connect_timeout_s: float = 3.0) -> int:
    """POST ``body`` to ``target`` and return the status code, or raise :class:`DeadlineExceeded`
    (or an ``OSError`` / urllib3 error for a refused or broken connection)."""
    started = time.monotonic()
    timeout = min(connect_timeout_s, deadline_s)
    conn: HTTPConnection
    if target.scheme == "https":
        conn = HTTPSConnection(target.address, target.port, timeout=timeout, server_hostname=target.host,
                               assert_hostname=target.host, cert_reqs="CERT_REQUIRED")
    else:
        conn = HTTPConnection(target.address, target.port, timeout=timeout)
    expired = threading.Event()

    def abort() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(deadline_s, abort)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.request("POST", target.path, body=body, headers={**headers, "Host": target.host_header},
                     preload_content=False)
        response = conn.getresponse()
        status = int(response.status)
        response.read(MAX_RESPONSE_BYTES)  # drained up to the cap, the rest never read
        if expired.is_set():
            raise DeadlineExceeded(f"Timeout: the receiver did not answer within {deadline_s:g} s")
        return status
    except DeadlineExceeded:
        raise
    except Exception:
        if expired.is_set() or time.monotonic() - started >= deadline_s:
            raise DeadlineExceeded(f"Timeout: the receiver did not answer within {deadline_s:g} s") from None
        raise
    finally:
        watchdog.cancel()
        conn.close()
