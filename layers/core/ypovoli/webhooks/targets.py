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

SOURCE = "ypovoli API reference (GET /docs): webhooks"


class TargetRefused(ValueError):
    pass


#: IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64 well-known and local-use).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 form smuggles (issue 18 §6): IPv4-mapped ``::ffff:a.b.c.d``,
    IPv4-compatible ``::a.b.c.d``, 6to4 ``2002:AABB:CCDD::``, Teredo ``2001::/32`` (server and
    obfuscated client) and NAT64 ``64:ff9b::a.b.c.d`` — each checked as the IPv4 address it reaches."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    packed = int(ip)
    if packed >> 32 == 0 and packed > 1:  # IPv4-compatible (deprecated, still routable by some stacks)
        found.append(ipaddress.IPv4Address(packed & 0xFFFFFFFF))
    if any(ip in net for net in _NAT64):
        found.append(ipaddress.IPv4Address(packed & 0xFFFFFFFF))
    return found


def public(address: str) -> bool:
    """A global unicast address, and so is every IPv4 address an IPv6 form carries."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        return all(v4.is_global and not v4.is_multicast for v4 in _embedded_ipv4(ip))
    return True


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
    if port not in (None, 443):
        raise TargetRefused("only port 443 is accepted")
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
    if any(not public(a) for a in addresses):
        raise TargetRefused("the host resolves to a private, loopback or reserved address")
    return parts.geturl()


def url_finding(reason: str) -> Finding:
    return Finding(
        code="WEBHOOK-URL", severity=Severity.ERROR, path="url",
        message_el=f"Η διεύθυνση webhook δεν γίνεται δεκτή: {reason}.",
        message_en=f"The webhook URL is not accepted: {reason}.", source=SOURCE,
    )
