"""The files an office has for ΠΣΚΕ (``ypovoli validate`` / ``submit``, ``services/offline.py``): a
payment request as ``POST /v1/dossiers`` takes it, checked without the project's earlier requests, and
the zipped Αίτημα Ελέγχου folder as the drop folder reads it (:func:`validate_zip`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...findings import Finding
from ...services.offline import FileKind
from ...settings import Settings
from .history import History
from .kind import KIND


def _is_request(payload: Any) -> bool:
    return isinstance(payload, dict) and "project" in payload and "investor" in payload


def check_request(payload: Any, _now: datetime, _settings: Settings) -> list[Finding]:
    request, findings = KIND.parse(payload)
    return findings if request is None else KIND.evaluate(request, History()).findings


def validate_zip(data: bytes, zip_name: str, afm: str) -> list[Finding]:
    """A zipped Αίτημα Ελέγχου folder as the drop folder reads it (hostile-zip checks, layout, register),
    then its register through the ΠΣΚΕ rules — without the project's earlier requests."""
    import io

    from .dropzone import check_upload, split_zip_name

    project_code, request_type = split_zip_name(zip_name)
    checked = check_upload(io.BytesIO(data), zip_name, len(data), afm, project_code, request_type, None)
    findings = list(checked.findings)
    if checked.register is not None and checked.register.body is not None:
        findings += KIND.evaluate(checked.register.body, History()).findings
    return findings


FILES = [FileKind(KIND.name, "/v1/dossiers", _is_request, check=check_request)]
