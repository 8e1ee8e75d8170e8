"""A zipped Αίτημα Ελέγχου dropped in the drop bucket → checked → the dossier filed with its reports
(the registry's drop folder handler: ``functions/dropzone`` passes each object it is told of).

Two key shapes arrive: ``incoming/{tenant}/{afm}/{id}/{file}.zip`` from a presigned upload
(``POST /v1/dossiers/uploads`` made the pending dossier ``id``), and
``incoming/{tenant}/{afm}/{file}.zip`` dropped by an office's own S3 tooling (the id derives from
bucket, key and ETag). A dossier already filed is never filed again, so a duplicated event changes
nothing.
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import ClientError

from ... import clock
from ...dossier_zip import refuse
from ...findings import has_errors
from ...services.deps import Deps
from ...store.dossiers import dossier_prefix
from .dossiers import check_request, file_dossier
from .dropzone import check_upload, split_zip_name
from .model import DossierView
from .tickets import MAX_UPLOAD_BYTES
from .tickets import UPLOAD_KIND as KIND

logger = Logger()
metrics = Metrics()


def file_upload(deps: Deps, bucket: str, key: str, etag: str, version: str | None = None) -> str:
    """Check and file the upload the event names — that very version of the object (a second upload
    to the same key is another event, another version)."""
    from .store import PskeStore

    parts = key.split("/")
    if len(parts) not in (4, 5) or parts[0] != "incoming" or not parts[-1]:
        logger.warning("upload outside incoming/{tenant}/{afm}/: ignored", extra={"key": key})
        return "ignored"
    tenant, afm, filename = parts[1], parts[2], parts[-1]
    tenant_item = deps.index.get_tenant(tenant)
    if tenant_item is None or afm not in tenant_item.get("afms", []):
        logger.warning("upload for an AFM the tenant does not manage", extra={"key": key})
        return "ignored"
    now = clock.now()
    if len(parts) == 5:
        dossier_id = parts[3]
        found = deps.store(PskeStore).get_dossier(tenant, dossier_id)
        if found is None or found[0].afm != afm:
            logger.warning("upload for an unknown dossier", extra={"key": key})
            return "ignored"
        pending, _ = found
        project_code, request_type, created = pending.project_code, pending.request_type, pending.created_at
    else:
        dossier_id = hashlib.sha256(f"{bucket}/{key}/{etag}".encode()).hexdigest()[:32]
        project_code, request_type = split_zip_name(filename)
        found = deps.store(PskeStore).get_dossier(tenant, dossier_id)
        created = now
    if found is not None and found[0].status != "pending":
        return found[0].status  # filed already: a duplicated event does nothing twice

    size, version, checked_etag = deps.drops.head(bucket, key, version)
    prefix = dossier_prefix(tenant, afm, KIND, created, dossier_id)
    with tempfile.TemporaryFile() as scratch:  # streamed to disk, never held whole in memory
        if size <= MAX_UPLOAD_BYTES:
            try:
                deps.drops.download(bucket, key, scratch, version, checked_etag)
            except ClientError as exc:
                if not _changed(exc):
                    raise
                return _refuse_changed(deps, tenant, afm, dossier_id, project_code, request_type, created, prefix)
            scratch.seek(0)
            try:
                check = check_upload(scratch, filename, size, afm, project_code, request_type,
                                     deps.store(PskeStore).project(afm, project_code))
                findings = check.findings
                body = check.register.body if check.register else None
            except Exception as exc:
                logger.exception("upload could not be read", extra={"key": key})
                findings, body = [refuse("ZIP-UNREADABLE", "upload",
                                         f"Το αρχείο δεν διαβάζεται ({type(exc).__name__}).",
                                         f"The upload cannot be read ({type(exc).__name__}).")], None
        else:
            findings, body = [refuse("ZIP-LIMITS", "upload", f"Το αρχείο ξεπερνά τα {MAX_UPLOAD_BYTES} bytes.",
                                     f"The upload is over {MAX_UPLOAD_BYTES} bytes.")], None
    zip_errors = any(f.code.startswith("ZIP-") for f in findings)
    if not zip_errors:
        try:
            deps.dossiers.copy_in(bucket, key, f"{prefix}original.zip", version, checked_etag)
        except ClientError as exc:
            if not _changed(exc):
                raise
            return _refuse_changed(deps, tenant, afm, dossier_id, project_code, request_type, created, prefix)
    if body is not None and not zip_errors:
        view = check_request(deps, tenant, body, dossier_id=dossier_id, kind=KIND, extra_findings=findings,
                             created_at=created)
    else:
        view = DossierView.model_validate({
            "id": dossier_id, "afm": afm, "kind": KIND, "status": "invalid" if has_errors(findings) else "accepted",
            "project_code": project_code, "request_type": request_type, "created_at": created, "findings": findings,
        })
        file_dossier(deps, tenant, view, prefix, None)
    metrics.add_metric(name="DossierAccepted" if view.status == "accepted" else "DossierInvalid",
                       unit=MetricUnit.Count, value=1)
    logger.info("dossier filed", extra={"dossier_id": dossier_id, "status": view.status})
    return view.status


def _changed(exc: ClientError) -> bool:
    """S3's answer when the key holds another object than the one that was checked."""
    error = exc.response.get("Error", {})
    return str(error.get("Code")) in ("PreconditionFailed", "412") or \
        exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 412


def _refuse_changed(deps: Deps, tenant: str, afm: str, dossier_id: str, project_code: str, request_type: str,
                    created: Any, prefix: str) -> str:
    """The object changed between the check and the copy (another upload to the same key): nothing
    of it is filed — a dossier is what was checked, or nothing; the later upload has its own event."""
    findings = [refuse("ZIP-CHANGED", "upload",
                       "Το αρχείο αντικαταστάθηκε από νεότερη αποστολή στο ίδιο όνομα ενώ ελεγχόταν: δεν "
                       "αρχειοθετείται· η νεότερη αποστολή ελέγχεται χωριστά.",
                       "The upload was replaced by a newer one under the same name while it was checked: it is "
                       "not filed; the newer upload is checked on its own.")]
    view = DossierView.model_validate({
        "id": dossier_id, "afm": afm, "kind": KIND, "status": "invalid", "project_code": project_code,
        "request_type": request_type, "created_at": created, "findings": findings})
    file_dossier(deps, tenant, view, prefix, None)
    logger.warning("upload changed between check and copy", extra={"dossier_id": dossier_id})
    return view.status
