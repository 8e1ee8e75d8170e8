"""What API Gateway itself answers before the app runs — an unknown path, a missing or unknown key —
in the JSON API's one error shape. template.yaml's ``GatewayResponses`` carry these very bodies (a test
compares them) and the local front answers them too, so neither ever echoes a credential back.

``request_id`` is API Gateway's ``$context.requestId``, which it fills in its response templates; the
local front puts its own id there (and in ``X-Request-Id``)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..codes import words
from ..rules.input import REQUEST_SOURCE

#: What API Gateway replaces with the request's id in a response template.
REQUEST_ID_VARIABLE = "$context.requestId"


def _shape(status: str, code: str, el: str, en: str) -> dict[str, object]:
    finding = {"code": code, "severity": "error", "path": "request", "message_el": el, "message_en": en,
               "source": REQUEST_SOURCE}
    return {"status": status, "code": code, "message_el": el, "message_en": en, "findings": [finding],
            "request_id": REQUEST_ID_VARIABLE}


NOT_FOUND = _shape("not_found", *words("NOT_FOUND"))
UNAUTHORIZED = _shape("unauthorized", *words("UNAUTHORIZED"))
THROTTLED = _shape("busy", *words("THROTTLED"))
GATEWAY_ERROR = _shape("error", *words("INTERNAL"))
TOO_LARGE = _shape("invalid", "REQUEST-SIZE", "Το σώμα του αιτήματος ξεπερνά τα 10 MiB (όριο του API Gateway).",
                   "The request body is over 10 MiB (the API Gateway limit).")
METHOD_NOT_ALLOWED = _shape("invalid", *words("METHOD_NOT_ALLOWED"))
#: A chunked body whose chunk sizes cannot be read (the local front's; API Gateway's own is a bare 400).
BAD_CHUNKS = _shape("invalid", "REQUEST-BODY", "Το σώμα «chunked» του αιτήματος δεν διαβάζεται.",
                    "The request's chunked body cannot be read.")

#: template.yaml's GatewayResponses, by API Gateway's response type: (status code, body).
GATEWAY_RESPONSES = {"MISSING_AUTHENTICATION_TOKEN": (404, NOT_FOUND), "UNAUTHORIZED": (401, UNAUTHORIZED),
                     "THROTTLED": (429, THROTTLED), "REQUEST_TOO_LARGE": (413, TOO_LARGE),
                     "DEFAULT_5XX": (None, GATEWAY_ERROR)}


def body(answer: Mapping[str, object], request_id: str) -> bytes:
    """The answer as the local front sends it: API Gateway's template, with this request's id."""
    return json.dumps({**answer, "request_id": request_id}, ensure_ascii=False).encode()


def template(answer: Mapping[str, object]) -> str:
    """The answer as template.yaml's response template (API Gateway fills in ``request_id``)."""
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
