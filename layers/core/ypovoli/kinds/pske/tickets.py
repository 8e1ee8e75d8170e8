"""Opening a ΠΣΚΕ upload: the pending request and the drop folder's presigned POST that the zip goes
through — the API's ``POST /v1/dossiers/uploads`` and the console's upload form alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ...store.dossiers import dossier_prefix

if TYPE_CHECKING:
    from ...services.deps import Deps
    from .model import DossierView, UploadRequest

#: How long a presigned upload (and a report's link) stays usable.
UPLOAD_EXPIRES_S = 900
#: The largest zip the drop folder takes (the presigned POST's policy, and the dropzone's own check).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
#: The kind of a request that arrives as a zip.
UPLOAD_KIND = "pske_upload"


@dataclass(frozen=True)
class Ticket:
    view: DossierView
    url: str
    fields: dict[str, str]


def open_upload(deps: Deps, tenant: str, request: UploadRequest, now: datetime,
                redirect: str | None = None) -> Ticket:
    """The request kept as pending, and where its zip goes (``redirect``: where S3 sends the browser
    once the zip is stored; it may name the request's id as ``{id}``)."""
    from .model import DossierView
    from .store import PskeStore

    dossier_id = str(uuid.uuid4())
    view = DossierView(id=dossier_id, afm=request.afm, kind=UPLOAD_KIND, status="pending",
                       project_code=request.project_code, request_type=request.request_type, created_at=now)
    deps.store(PskeStore).create_pending(tenant, view, dossier_prefix(tenant, request.afm, UPLOAD_KIND, now,
                                                                      dossier_id))
    key = f"incoming/{tenant}/{request.afm}/{dossier_id}/{request.filename}"
    url, fields = deps.drops.presigned_upload(key, UPLOAD_EXPIRES_S, MAX_UPLOAD_BYTES,
                                              redirect.format(id=dossier_id) if redirect else None)
    return Ticket(view, url, fields)
