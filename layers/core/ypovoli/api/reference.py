"""The readable reference: ``GET /docs`` (Swagger UI over ``/openapi.json``) and ``GET /v1/codes`` (every
finding code with its severity and bilingual meaning).

Swagger UI's files come from the ``swagger-ui-py`` package in the layer, served by this app: an office's
network may have no Internet, and a reference that loads a script from a CDN would run someone else's
code beside an API key. Only the two files the page needs are served, by name; nothing else of the
package is reachable.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from chalice.app import Blueprint, Response

from ..codes import catalog_json, words
from .context import Api, answer, not_found

#: The files the page loads, and their types: a name outside this list is a 404.
ASSETS = {"swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8"}

# Relative addresses: behind API Gateway the page lives under the stage (``/Prod/docs``), locally at
# ``/docs``; ``docs/…`` and ``openapi.json`` resolve beside it in both.
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ypovoli — Υποβολή · API reference</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<style>body{margin:0} .topbar{display:none}</style>
</head>
<body>
<main id="swagger-ui"></main>
<script src="docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  docExpansion: "none", defaultModelsExpandDepth: 0, tryItOutEnabled: false});
</script>
</body>
</html>
"""


@cache
def _static_dir() -> Path:
    # find_spec does not import the package (whose adapters would pull in web frameworks' glue).
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed (it is a runtime dependency of the core layer)")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@cache
def asset(name: str) -> str:
    return (_static_dir() / name).read_text(encoding="utf-8")


def reference_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/docs", methods=["GET"])
    def docs_page() -> Response:
        return Response(body=PAGE, status_code=200, headers={"Content-Type": "text/html; charset=utf-8",
                                                             "Cache-Control": "public, max-age=300"})

    @bp.route("/docs/{name}", methods=["GET"])
    def docs_asset(name: str) -> Response:
        if name not in ASSETS:
            return not_found(*words("NOT_FOUND"))
        return Response(body=asset(name), status_code=200,
                        headers={"Content-Type": ASSETS[name], "Cache-Control": "public, max-age=86400"})

    @bp.route("/v1/codes", methods=["GET"])
    def codes() -> Response:
        return answer(200, catalog_json(), {"Cache-Control": "public, max-age=300"})

    return bp
