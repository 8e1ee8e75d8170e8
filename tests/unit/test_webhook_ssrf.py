"""SSRF closed for the IPv6 forms that carry an IPv4 address (issue 18 §6): each is checked as the
address it reaches, so the metadata endpoint 169.254.169.254 cannot be reached by any spelling."""

from __future__ import annotations

import pytest
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
