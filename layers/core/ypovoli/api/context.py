"""What every route needs: the request, its tenant, the tenant's ΑΦΜ, the body as JSON or as a model,
the query — and the answers, in one shape for every non-2xx of the JSON API.

The error shape (``ErrorResponse``): ``{"status", "findings", "request_id"}`` — ``status`` says what
became of the request (``invalid`` for 400/413/422, ``unauthorized``, ``forbidden``, ``not_found``,
``conflict``, ``busy``, ``error``; on a 409 for an earlier submission, that submission's status and
its ``id``), ``findings`` every reason (never empty), ``request_id`` the id in the logs and in the
``X-Request-Id`` header. ``code``, ``message_el`` and ``message_en`` repeat the first finding, for the
clients that read them before the shape was one. the upstreams' own shapes stay on the drop-in
routes only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from chalice.app import Chalice, ChaliceAuthorizer, Request, Response
from pydantic import BaseModel, ValidationError

from ..caching import TtlCache
from ..codes import words
from ..findings import Finding, Severity
from ..rules.input import REQUEST_SOURCE, body_finding, findings_from_validation_error, unusable_characters
from ..services.deps import Deps
from ..services.transmit import Transmitter
from ..settings import get_settings
from ..store.pages import BadCursor

M = TypeVar("M", bound=BaseModel)

FORBIDDEN = words("FORBIDDEN")


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False, default=str), status_code=status,
                    headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})


#: The id of the request being answered (set by the API's middleware): every error body carries it.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

#: What an error's HTTP status says became of the request, where the route says nothing more precise.
ERROR_STATUS = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "invalid",
                409: "conflict", 413: "invalid", 415: "invalid", 422: "invalid", 429: "busy", 503: "busy"}


def error(http: int, code: str, message_el: str, message_en: str, findings: Sequence[Finding] = (),
          headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """The one error shape of the JSON API (``extra``: ``status``, ``id`` where they apply)."""
    if not findings:
        findings = [Finding(code=code, severity=Severity.ERROR, path="request", message_el=message_el,
                            message_en=message_en, source=REQUEST_SOURCE)]
    body = {"status": ERROR_STATUS.get(http, "error"), **extra, "code": code, "message_el": message_el,
            "message_en": message_en, "findings": [f.model_dump(mode="json") for f in findings],
            "request_id": REQUEST_ID.get()}
    return answer(http, body, headers)


def invalid(http: int, findings: Sequence[Finding], **extra: Any) -> Response:
    """400 / 413 / 422: the request could not be used; the first finding names why, all are listed."""
    extra = {"status": "invalid", **extra}
    if not findings:
        return error(http, "INVALID", "Το αίτημα δεν έγινε δεκτό.", "The request was not accepted.", **extra)
    first = findings[0]
    return error(http, first.code, first.message_el, first.message_en, findings, **extra)


#: Every id we hand out (uuid4, or the drop folder's 32 hex digits): anything else is nobody's, and is
#: answered like an absent id before it reaches a key (DynamoDB refuses keys over 1 KiB with a 500).
_ID = re.compile(r"[0-9A-Za-z-]{1,64}")


def well_formed_id(value: str) -> bool:
    return bool(_ID.fullmatch(value))


def forbidden() -> Response:
    """403 for "not yours" and for "absent" alike: existence never leaks either way."""
    return error(403, *FORBIDDEN)


def unmanaged(path: str) -> Response:
    """403 for a document or request whose ΑΦΜ (at ``path``) the caller's tenant does not manage: the
    same body whether the ΑΦΜ is another office's or nobody's, naming the field and how an ΑΦΜ is added."""
    el = (f"Το ΑΦΜ στο πεδίο {path} δεν είναι ανάμεσα στα ΑΦΜ που διαχειρίζεται ο λογαριασμός σας. Ο διαχειριστής "
          "της ypovoli το προσθέτει με «ypovoli afms add <λογαριασμός> <ΑΦΜ>».")
    en = (f"The ΑΦΜ in {path} is not one of the ΑΦΜ your account manages. Your ypovoli operator adds it with "
          "«ypovoli afms add <tenant> <ΑΦΜ>».")
    return error(403, FORBIDDEN[0], el, en, [Finding(code=FORBIDDEN[0], severity=Severity.ERROR, path=path,
                                                     message_el=el, message_en=en, source=REQUEST_SOURCE)])


def not_found(code: str, message_el: str, message_en: str) -> Response:
    return error(404, code, message_el, message_en)


class ManagedAfms(set[str]):
    """A set of ΑΦΜ that, asked about one it lacks, reloads once before it says no."""

    def __init__(self, afms: frozenset[str], refresh: Callable[[], frozenset[str]]) -> None:
        super().__init__(afms)
        self._refresh: Callable[[], frozenset[str]] | None = refresh

    def __contains__(self, afm: object) -> bool:
        if super().__contains__(afm):
            return True
        if self._refresh is None:
            return False
        fresh, self._refresh = self._refresh(), None
        self.update(fresh)
        return super().__contains__(afm)


class Api:
    """One app copy's context: its request, its caches, its dependencies."""

    def __init__(self, app: Chalice, api_key_auth: ChaliceAuthorizer, aade_key_auth: ChaliceAuthorizer,
                 deps: Callable[[], Deps]) -> None:
        self.app = app
        self.api_key_auth = api_key_auth
        self.aade_key_auth = aade_key_auth
        self._deps = deps
        #: Digest → tenant, and tenant → managed ΑΦΜ: read on every request, changed rarely. A revoked
        #: key or a removed ΑΦΜ takes effect within the TTL (as with API Gateway's authorizer cache).
        self.key_cache: TtlCache[str, str | None] = TtlCache(60)
        self.afm_cache: TtlCache[str, frozenset[str]] = TtlCache(30)

    @property
    def deps(self) -> Deps:
        return self._deps()

    @cached_property
    def transmitter(self) -> Transmitter:
        return Transmitter(self.deps)

    def request(self) -> Request:
        request = self.app.current_request
        assert request is not None
        return request

    def tenant(self) -> str:
        return str(self.request().context["authorizer"]["tenant"])

    def managed_afms(self, tenant: str, fresh: bool = False) -> set[str]:
        """The tenant's ΑΦΜ, as cached; asked about one it does not hold, the answer looks in the table
        once more — a business registered a moment ago through another copy of the API is managed.
        ``fresh``: read the table now (a listing of every ΑΦΜ cannot tell what a stale copy lacks)."""
        if fresh:
            self.afm_cache.forget(tenant)
        def load(key: str) -> frozenset[str]:
            item = self.deps.index.get_tenant(key)
            return frozenset(item.get("afms", [])) if item else frozenset()

        def refresh() -> frozenset[str]:
            self.afm_cache.forget(tenant)
            return self.afm_cache.get(tenant, load)

        return ManagedAfms(self.afm_cache.get(tenant, load), refresh)

    def header(self, name: str) -> str | None:
        headers: Any = self.request().headers or {}
        value = headers.get(name) or headers.get(name.lower())
        return str(value) if value else None

    def query(self) -> dict[str, str]:
        return dict(self.request().query_params or {})

    def int_query(self, name: str, default: int, low: int, high: int) -> int | Response:
        """A whole-number query parameter, brought within [low, high]; the 400 if it is no number."""
        try:
            value = int(self.query().get(name, str(default)))
        except ValueError:
            return invalid(400, [body_finding("REQUEST-QUERY", f"Το {name} πρέπει να είναι ακέραιος {low}–{high}.",
                                              f"{name} must be an integer {low}–{high}.")])
        return max(low, min(high, value))

    def page_query(self) -> tuple[int, str | None] | Response:
        """``?limit=`` (1–200, default 50) and ``?cursor=`` of a listing, or the 400 for a limit that is no
        number."""
        limit = self.int_query("limit", 50, 1, 200)
        if isinstance(limit, Response):
            return limit
        return limit, self.query().get("cursor") or None

    def page(self, listing: Callable[[int, str | None], tuple[list[Any], str | None]],
             body: Callable[[list[Any]], BaseModel]) -> Response:
        """Every listing's answer: one page of ``listing(limit, cursor)`` as ``body(items)``, with ``next``
        (the path of the next page) and ``next_cursor`` — both absent on the last page, so a client that
        never pages sees the shape it always saw."""
        asked = self.page_query()
        if isinstance(asked, Response):
            return asked
        limit, cursor = asked
        try:
            items, next_cursor = listing(limit, cursor)
        except BadCursor:
            return invalid(400, [body_finding("REQUEST-QUERY", "Άγνωστος δείκτης σελίδας (cursor) για αυτή τη λίστα.",
                                              "Unknown page cursor (cursor) for this listing.")])
        data = body(items).model_dump(mode="json")
        data.pop("next", None)
        data.pop("next_cursor", None)
        if next_cursor:
            data["next"] = self.next_page_path(limit, next_cursor)
            data["next_cursor"] = next_cursor
        return answer(200, data)

    def next_page_path(self, limit: int, cursor: str) -> str:
        """This request's path and query, at the page after ``cursor``."""
        request = self.request()
        params: dict[str, str] = dict(request.uri_params or {})
        path = re.sub(r"\{(\w+)\}", lambda m: quote(params.get(m[1], ""), safe=""), str(request.path))
        query = {k: v for k, v in self.query().items() if k not in ("limit", "cursor")}
        return f"{path}?{urlencode({**query, 'limit': str(limit), 'cursor': cursor})}"

    def raw_body(self) -> bytes:
        body = self.request().raw_body or b""
        return body.encode() if isinstance(body, str) else body

    def json_body(self) -> tuple[Any, bytes, Response | None]:
        """The body parsed as JSON (decimals, never floats), or the 413/400 saying why not."""
        raw = self.raw_body()
        limit = get_settings().max_body_bytes
        if len(raw) > limit:
            return None, raw, invalid(413, [body_finding(
                "REQUEST-SIZE", f"Το σώμα του αιτήματος ξεπερνά τα {limit} bytes.",
                f"The request body is over {limit} bytes.")])
        try:
            payload = json.loads(raw, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as exc:
            return None, raw, invalid(400, [body_finding(
                "REQUEST-BODY", f"Το σώμα δεν είναι έγκυρο JSON ({exc}).", f"The body is not valid JSON ({exc}).")])
        except RecursionError:
            return None, raw, invalid(400, [body_finding(
                "REQUEST-BODY", "Το JSON είναι φωλιασμένο πολύ βαθιά.", "The JSON is nested too deeply.")])
        bad = unusable_characters(payload)
        if bad:
            return None, raw, invalid(422, bad)
        return payload, raw, None

    def object_body(self, what_el: str, what_en: str) -> tuple[dict[str, Any], bytes, Response | None]:
        """The body as one JSON object (``what``: what it should be), or the 400/413 saying why not."""
        payload, raw, refused = self.json_body()
        if refused is not None:
            return {}, raw, refused
        if not isinstance(payload, dict):
            return {}, raw, invalid(400, [body_finding(
                "REQUEST-BODY", f"Αναμενόταν ένα αντικείμενο JSON ({what_el}).",
                f"Expected one JSON object ({what_en}).")])
        return payload, raw, None

    def tenant_of(self, afm: str) -> str | None:
        """The caller's tenant if it manages ``afm``; ``None`` (answer 403) otherwise."""
        tenant = self.tenant()
        return tenant if afm in self.managed_afms(tenant) else None

    def owned_body(self, model: type[M], source: str) -> tuple[M, str] | Response:
        """The body as ``model`` (which has an ``afm``) and the tenant, when the tenant manages that
        ΑΦΜ; otherwise the 400/413/422 or the 403 to answer."""
        req, refused = self.model_body(model, source)
        if refused is not None or req is None:
            return refused or forbidden()
        tenant = self.tenant()
        if str(getattr(req, "afm", "")) not in self.managed_afms(tenant):
            return unmanaged("afm")
        return req, tenant

    def month_query(self) -> str | Response:
        """``?month=YYYY-MM``, or the 400 saying what it must look like."""
        from ..services.reports import valid_month

        month = self.query().get("month", "")
        if not valid_month(month):
            return invalid(400, [body_finding("REQUEST-QUERY", "Η παράμετρος month πρέπει να είναι της μορφής YYYY-MM.",
                                              "The month parameter must look like YYYY-MM.")])
        return month

    def model_body(self, model: type[M], source: str) -> tuple[M | None, Response | None]:
        """The body as ``model``, or the 400/413/422 saying why it is not one."""
        payload, _, refused = self.json_body()
        if refused is not None:
            return None, refused
        try:
            return model.model_validate(payload), None
        except ValidationError as exc:
            return None, invalid(422, findings_from_validation_error(exc, "REQUEST-BODY", "body", source))
