"""SSRF closed (issue 18 §6): the IPv6 forms that carry an IPv4 address are each checked as the
address they reach, so the metadata endpoint 169.254.169.254 cannot be reached by any spelling; only
port 443; the name is resolved once and the connection pinned to the checked address. And a
receiver cannot hold a delivery (§5): one total deadline, a capped read."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from ypovoli.webhooks.delivery_http import DeadlineExceeded, post, resolve_target
from ypovoli.webhooks.targets import TargetRefused, check_url

METADATA = "169.254.169.254"  # a9fe:a9fe


@pytest.mark.parametrize("host", [
    "[64:ff9b::a9fe:a9fe]",            # NAT64 well-known prefix
    "[64:ff9b:1::a9fe:a9fe]",          # NAT64 local-use prefix
    "[2002:a9fe:a9fe::]",              # 6to4
    "[::a9fe:a9fe]",                   # IPv4-compatible
    "[::ffff:169.254.169.254]",        # IPv4-mapped
    "[2001:0:4136:e378:8000:63bf:56fe:5601]",  # Teredo (client a9.01.a9.fe obfuscated)
    METADATA, "127.0.0.1", "[::1]", "10.0.0.1",
], ids=lambda h: h)
def test_webhook_url_refuses_every_spelling_of_a_private_address(host: str) -> None:
    with pytest.raises(TargetRefused):
        check_url(f"https://{host}/hook", allow_private=False)


@pytest.mark.parametrize("host", ["[64:ff9b::808:808]", "8.8.8.8", "[2606:4700:4700::1111]"])
def test_webhook_url_accepts_public_addresses_in_any_spelling(host: str) -> None:
    assert check_url(f"https://{host}/hook", allow_private=False) == f"https://{host}/hook"


# ---- port 443 only, DNS resolved once and the connection pinned (issue 18 §6) ----------------------


def _resolver(*addresses: str) -> Any:
    calls: list[str] = []

    def resolve(host: str, port: int, **_: Any) -> list[Any]:
        calls.append(host)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize("url", ["https://8.8.8.8:8443/hook", "https://hooks.example:22/hook",
                                 "https://[2606:4700:4700::1111]:80/hook"])
def test_webhook_url_port_443_only_in_aws(url: str) -> None:
    with pytest.raises(TargetRefused, match="443"):
        check_url(url, allow_private=False)


def test_webhook_target_is_resolved_once_and_every_address_checked() -> None:
    resolver = _resolver("8.8.8.8")
    target = resolve_target("https://hooks.example/h?x=1", False, resolver)
    assert (target.address, target.host, target.port, target.path) == ("8.8.8.8", "hooks.example", 443, "/h?x=1")
    assert resolver.calls == ["hooks.example"]
    # A name answering a public and a private address (DNS rebinding's usual trick) is refused whole.
    with pytest.raises(TargetRefused, match="private"):
        resolve_target("https://hooks.example/h", False, _resolver("8.8.8.8", METADATA))
    with pytest.raises(TargetRefused, match="private"):
        resolve_target("https://hooks.example/h", False, _resolver("64:ff9b::a9fe:a9fe"))


class _Server:
    """A raw TCP receiver: answers as told, slowly if told, and records the request it got."""

    def __init__(self, answer: bytes, trickle_s: float = 0.0) -> None:
        self.answer, self.trickle_s = answer, trickle_s
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self.requests.append(conn.recv(65536))
                try:
                    if self.trickle_s:
                        for byte in self.answer:
                            conn.sendall(bytes([byte]))
                            time.sleep(self.trickle_s)
                    else:
                        conn.sendall(self.answer)
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def servers() -> Iterator[list[_Server]]:
    made: list[_Server] = []
    yield made
    for server in made:
        server.close()


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(servers: list[_Server]) -> None:
    server = _Server(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
    servers.append(server)
    target = resolve_target(f"http://hooks.example:{server.port}/in", True, _resolver("127.0.0.1"))
    assert post(target, b"{}", {"Content-Type": "application/json"}, deadline_s=5) == 204
    request = server.requests[0].decode()
    assert request.startswith("POST /in HTTP/1.1") and f"Host: hooks.example:{server.port}" in request


def test_a_trickling_receiver_is_cut_at_the_total_deadline(servers: list[_Server]) -> None:
    """Issue 18 §5: a byte every 0.2 s never trips a per-read timeout; the total deadline ends it."""
    server = _Server(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n", trickle_s=0.2)
    servers.append(server)
    target = resolve_target(f"http://127.0.0.1:{server.port}/", True)
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded, match="Timeout"):
        post(target, b"{}", {}, deadline_s=1.0)
    assert time.monotonic() - started < 10   # the answer would take 40 s


def test_only_the_cap_of_a_huge_answer_is_read(servers: list[_Server]) -> None:
    huge = b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n" + b"x" * 2_000_000
    server = _Server(huge)
    servers.append(server)
    target = resolve_target(f"http://127.0.0.1:{server.port}/", True)
    assert post(target, b"{}", {}, deadline_s=5) == 200
