"""The drop-in myDATA endpoint: AADE's SendInvoices, RequestTransmittedDocs and CancelInvoice with
AADE's headers, shapes and plain-text technical errors — the one place where the JSON API's error
shape does not apply, since an ERP that speaks myDATA reads AADE's."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Request, Response

from ...api.context import Api, error
from ...findings import Finding, Severity
from ...rules.input import REQUEST_SOURCE

MAX_XML_BODY = 10 * 1024 * 1024
NO_MARK = "Please pass mark in the request parameters or body"  # AADE's own plain-text 400
XML_TYPES = ["application/xml", "text/xml", "application/octet-stream", "application/json"]


def text(status: int, body: str) -> Response:
    """AADE answers its technical errors as plain text, not as a ResponseDoc."""
    return Response(body=body, status_code=status, headers={"Content-Type": "text/plain"})


def xml(body: bytes) -> Response:
    return Response(body=body.decode("utf-8"), status_code=200, headers={"Content-Type": "application/xml"})


KEY_HEADER = "Ocp-Apim-Subscription-Key"


def unknown_key(request: Request) -> Response:
    """401 in the API's error shape, naming the header as the caller spelled it (AADE's spelling beside
    it when it differs only in case): the key it carried is not a ypovoli API key."""
    original: dict[str, Any] = request.to_original_event().get("headers") or {}
    sent = next((name for name in original if name.lower() == KEY_HEADER.lower()), KEY_HEADER)
    named = sent if sent == KEY_HEADER else f"{sent} ({KEY_HEADER})"
    finding = Finding(
        code="UNAUTHORIZED", severity=Severity.ERROR, path=f"headers.{sent}",
        message_el=f"Το κλειδί στην κεφαλίδα {named} δεν είναι έγκυρο κλειδί API της ypovoli. Στη διαδρομή drop-in "
                   "myDATA βάλτε εκεί το κλειδί API της ypovoli (όχι το κλειδί της ΑΑΔΕ), και το όνομα χρήστη σας "
                   "στην aade-user-id.",
        message_en=f"The key in the {named} header is not a valid ypovoli API key. On the drop-in myDATA routes "
                   "put your ypovoli API key there (not AADE's key), and your user name in aade-user-id.",
        source=REQUEST_SOURCE)
    return error(401, finding.code, finding.message_el, finding.message_en, [finding])


def mydata_dropin_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    def aade_request() -> tuple[Request, Response | None]:
        """The current request, or the 401 when its key is unknown (the authorizer let it through with no
        tenant, so that the answer can name the header the caller used) or ``aade-user-id`` is missing
        (AADE requires it)."""
        request = api.request()
        if not (request.context.get("authorizer") or {}).get("tenant"):
            return request, unknown_key(request)
        return request, None if request.headers.get("aade-user-id") else text(401, "aade-user-id header missing")

    def mark_of(request: Request) -> int | None:
        try:
            return int(dict(request.query_params or {})["mark"])
        except (KeyError, ValueError):
            return None

    @bp.route("/v1/mydata/SendInvoices", methods=["POST"], authorizer=api.aade_key_auth, content_types=XML_TYPES)
    def mydata_send_invoices() -> Response:
        _, refused = aade_request()
        if refused is not None:
            return refused
        raw = api.raw_body()
        if len(raw) > MAX_XML_BODY:
            return text(413, "Request body too large")
        tenant = api.tenant()
        from .dropin import send_invoices  # the drop-in loads with its first call

        return xml(send_invoices(api.deps, tenant, api.managed_afms(tenant), raw, api.transmitter.attempt))

    @bp.route("/v1/mydata/RequestTransmittedDocs", methods=["GET"], authorizer=api.aade_key_auth)
    def mydata_request_transmitted_docs() -> Response:
        request, refused = aade_request()
        if refused is not None:
            return refused
        params = api.query()
        mark = mark_of(request)
        try:
            next_row = int(params["nextRowKey"]) if params.get("nextRowKey") else None
        except ValueError:
            mark = None
        if mark is None:
            return text(400, NO_MARK)
        tenant = api.tenant()
        from .dropin import request_transmitted_docs

        return xml(request_transmitted_docs(api.deps, tenant, api.managed_afms(tenant), mark, next_row))

    @bp.route("/v1/mydata/RequestDocs", methods=["GET"], authorizer=api.aade_key_auth)
    def mydata_request_docs() -> Response:
        """AADE's RequestDocs lists what *others* issued to you: only AADE knows that. Answered with what
        to use instead, not a bare 404."""
        _, refused = aade_request()
        if refused is not None:
            return refused
        finding = Finding(
            code="NOT_FOUND", severity=Severity.ERROR, path="request",
            message_el="Η RequestDocs (παραστατικά που εξέδωσαν άλλοι προς εσάς) απαντιέται μόνο από την ΑΑΔΕ· "
                       "η ypovoli γνωρίζει ό,τι στείλατε μέσω αυτής: χρησιμοποιήστε τη RequestTransmittedDocs, ή "
                       "καλέστε τη RequestDocs απευθείας στην ΑΑΔΕ.",
            message_en="RequestDocs (documents others issued to you) is answered by AADE alone; ypovoli knows what "
                       "you sent through it: use RequestTransmittedDocs, or call RequestDocs at AADE directly.",
            source=REQUEST_SOURCE)
        return error(404, finding.code, finding.message_el, finding.message_en, [finding])

    @bp.route("/v1/mydata/CancelInvoice", methods=["POST"], authorizer=api.aade_key_auth,
              content_types=[*XML_TYPES, "application/x-www-form-urlencoded"])
    def mydata_cancel_invoice() -> Response:
        request, refused = aade_request()
        if refused is not None:
            return refused
        mark = mark_of(request)
        if mark is None:
            return text(400, NO_MARK)
        tenant = api.tenant()
        from .dropin import cancel_invoice
        from .transmission import port_of

        return xml(cancel_invoice(api.deps, port_of(api.deps, tenant), tenant, api.managed_afms(tenant), mark))

    return bp
