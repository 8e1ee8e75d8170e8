"""Chalice's own answers — 415 for a content type a route does not take, 405 for a method, 400 for a body
it could not read — in the API's one error shape, saying what to do (which types or methods the route
takes), instead of Chalice's ``{"Code", "Message"}``.

And a GET (or HEAD, DELETE, OPTIONS) has no body, so its Content-Type says nothing: some clients send
one on every request (a public client library sends ``text/xml`` on its GETs). Chalice would check it against the
route's body types and answer 415; the real services ignore it, and so does this API.
"""

from __future__ import annotations

from typing import Any

from chalice.app import CaseInsensitiveMapping, Request, Response

from ..codes import words
from ..findings import Finding, Severity
from ..rules.input import REQUEST_SOURCE
from .context import error

BODILESS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


def ignore_bodiless_content_type(request: Request) -> None:
    """Forget the Content-Type of a request that carries no body, before Chalice checks it."""
    headers: Any = request.headers
    if request.method in BODILESS and headers is not None and "content-type" in headers:
        request.headers = CaseInsensitiveMapping({k: v for k, v in headers.items() if k.lower() != "content-type"})


def _finding(code: str, path: str, el: str, en: str) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, path=path, message_el=el, message_en=en, source=REQUEST_SOURCE)


def in_our_shape(routes: dict[str, dict[str, Any]], request: Request, response: Response) -> Response:
    """``response`` unchanged unless it is one of Chalice's own error answers; then the same status
    in the API's error shape, with a finding that says what the route takes."""
    body = response.body
    if response.status_code < 400 or not isinstance(body, dict) or set(body) != {"Code", "Message"}:
        return response
    context: dict[str, Any] = request.context or {}
    resource = str(context.get("resourcePath") or request.path)
    entries = routes.get(resource, {})
    headers = {k: str(v) for k, v in (response.headers or {}).items() if k.lower() in ("allow", "retry-after")}
    status = response.status_code
    said = str(body.get("Message") or "")
    if status == 415:
        entry = entries.get(request.method)
        takes = ", ".join(entry.content_types) if entry is not None else "application/json"
        request_headers: Any = request.headers or {}
        sent = str(request_headers.get("content-type") or "—")
        finding = _finding(
            "REQUEST-CONTENT-TYPE", "headers.Content-Type",
            f"Η διαδρομή {request.method} {resource} δέχεται Content-Type {takes}· στάλθηκε «{sent[:80]}».",
            f"{request.method} {resource} takes Content-Type {takes}; the request sent «{sent[:80]}».")
        return error(415, finding.code, finding.message_el, finding.message_en, [finding], status="invalid")
    if status == 405:
        allowed = ", ".join(sorted(entries)) or str(headers.get("Allow", ""))
        finding = _finding(
            "METHOD_NOT_ALLOWED", "request",
            f"Η διαδρομή {resource} δεν δέχεται {request.method}· δέχεται {allowed}.",
            f"{resource} does not take {request.method}; it takes {allowed}.")
        return error(405, finding.code, finding.message_el, finding.message_en, [finding],
                     headers={"Allow": allowed}, status="invalid")
    if status in (400, 413, 422):
        finding = _finding("REQUEST-SIZE" if status == 413 else "REQUEST-BODY", "body",
                           f"Το αίτημα δεν διαβάστηκε: {said[:300]}", f"The request could not be read: {said[:300]}")
        return error(status, finding.code, finding.message_el, finding.message_en, [finding], status="invalid")
    code = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 429: "THROTTLED"}.get(status, "INTERNAL")
    return error(status, *words(code), headers=headers or None)
