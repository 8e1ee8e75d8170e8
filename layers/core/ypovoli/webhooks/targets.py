"""Where a webhook may point. A webhook URL is tenant input that makes *us* open connections, so it
is checked like any other boundary: HTTPS only, no credentials in it, and no private, loopback,
link-local or reserved address — checked when it is set and again on every delivery (a name can
be re-pointed after it was accepted). The local stack allows loopback HTTP for its demo receiver.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from ..findings import Finding, Severity

SOURCE = "SPEC.md §4 (continuous digital notification)"


class TargetRefused(ValueError):
    pass


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


def check_url(url: str, allow_private: bool, resolve: bool = True) -> str:
    """Return the normalised URL, or raise :class:`TargetRefused` saying why (in English; the API
    wraps it in a bilingual finding)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TargetRefused("the URL must be absolute, https://host/path")
    if parts.scheme == "http" and not allow_private:
        raise TargetRefused("the URL must use https")
    if parts.username or parts.password:
        raise TargetRefused("credentials in the URL are not accepted; the signature authenticates us")
    if parts.fragment:
        raise TargetRefused("the URL must not have a fragment")
    try:
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"bad port: {exc}") from None
    if allow_private:
        return parts.geturl()
    host = parts.hostname
    try:
        literal = [str(ipaddress.ip_address(host))]
    except ValueError:
        literal = []
    if literal:
        addresses = literal
    elif resolve:
        try:
            infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise TargetRefused(f"the host does not resolve ({exc})") from None
        addresses = [str(info[4][0]) for info in infos]
    else:
        addresses = []
    if any(not _public(a) for a in addresses):
        raise TargetRefused("the host resolves to a private, loopback or reserved address")
    return parts.geturl()


def url_finding(reason: str) -> Finding:
    return Finding(
        code="WEBHOOK-URL", severity=Severity.ERROR, path="url",
        message_el=f"Η διεύθυνση webhook δεν γίνεται δεκτή: {reason}.",
        message_en=f"The webhook URL is not accepted: {reason}.", source=SOURCE,
    )
