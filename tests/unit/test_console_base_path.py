"""Issue 34 §2: the console finds its base path as API Gateway gives it (the stage in
requestContext.path), or a reverse proxy's X-Forwarded-Prefix, and never anything but a plain path."""

from __future__ import annotations

from ypovoli.api.console import base_path


def test_the_stage_of_api_gateway_s_own_url_is_the_base() -> None:
    assert base_path({"path": "/Prod/console/sign-in"}, "/console/sign-in", "") == "/Prod"
    assert base_path({"path": "/console/sign-in"}, "/console/sign-in", "") == ""   # a custom domain


def test_a_forwarded_prefix_is_taken_only_as_a_plain_path() -> None:
    assert base_path({"path": "/console"}, "/console", "/Prod") == "/Prod"
    for forged in ("https://evil.example", "//evil.example", "/a b", "/x\r\nSet-Cookie: y", "/../up"):
        assert base_path({"path": "/console"}, "/console", forged) == "", forged
