"""ERGANI II as an upstream: the official JSON of each document, `POST Documents/{code}`, and the
receipt (`protocol`, `submitDate`).

Force majeure (seed 001 §4 of the ΥΑ; ergani-api.md §1.4): a card event the gateway held through an
ERGANI outage and now sends later than 15 minutes gets `f_aitiologia` = `003` («ΠΡΟΒΛΗΜΑ ΣΥΝΔΕΣΗΣ
ΜΕ ΤΟ ΠΣ ΕΡΓΑΝΗ»); nothing else is ever justified on the employer's behalf.

Reconciliation: ERGANI cannot be asked what it holds, so an attempt that may have arrived is sent
again. That is safe by ERGANI's own semantics — card events resolve to the earliest start and the
latest end of each interval, ΨΟΧΕ declarations to the latest per day — at the cost of a second
protocol (docs/architecture.md 39).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ... import clock
from ...connectors.base import SendResult
from ...models.submission import Receipt, Submission
from ...settings import Settings
from ...store.secrets import TenantSecrets
from ..base import DocumentKind, Payload
from .connector import ErganiConnector
from .model import WorkCardDoc, official
from .rules import CARD_WINDOW

FORCE_MAJEURE = "003"


class ErganiTransmission:
    upstream = "ergani"
    #: An ERGANI outage is a force-majeure incident for every employer whose events it holds.
    records_incidents = True

    def __init__(self, connector: ErganiConnector, secrets: TenantSecrets | None = None) -> None:
        self.connector = connector
        self.secrets = secrets

    @classmethod
    def from_settings(cls, settings: Settings) -> ErganiTransmission:
        return cls(ErganiConnector.from_settings(settings),
                   TenantSecrets(settings.tenant_secrets_prefix, settings.tenant_secrets_ttl_s))

    def connector_for(self, tenant: str) -> ErganiConnector:
        """The tenant's own ERGANI account when it has one in Secrets Manager (``user_id`` = the
        username, ``subscription_key`` = the password), else the deployment's."""
        credentials = self.secrets.get(tenant, self.upstream) if self.secrets is not None and tenant else None
        return self.connector if credentials is None else self.connector.with_credentials(credentials)

    def build(self, kind: DocumentKind, document: Any, submission: Submission) -> Payload:
        data = official(document)
        justified = False
        if isinstance(document, WorkCardDoc) and submission.outage is not None:
            now = clock.now()
            for card, raw in zip(document.Cards.Card, data["Cards"]["Card"], strict=True):
                for detail, out in zip(card.Details.CardDetails, raw["Details"]["CardDetails"], strict=True):
                    if detail.f_aitiologia is None and now - detail.f_date > CARD_WINDOW:
                        out["f_aitiologia"] = FORCE_MAJEURE
                        justified = True
        target = getattr(kind, "target", None)
        code = str(target(document) if target is not None else getattr(kind, "code", ""))
        body = json.dumps(data, ensure_ascii=False).encode()
        return Payload(body, "application/json", outage_indicator=int(FORCE_MAJEURE) if justified else None,
                       tenant=submission.tenant, target=code)

    def send(self, payload: Payload) -> SendResult:
        return self.connector_for(payload.tenant).submit(payload.target, payload.body)

    def lookup(self, kind: DocumentKind, document: Any, submission: Submission, now: datetime) -> Receipt | None:
        return None  # no read-back API: sent again (see the module's note)

    def attachments(self, result: SendResult, payload: Payload, submission: Submission) -> dict[str, tuple[bytes, str]]:
        """The protocol's official PDF (`GET Documents/{code}?protocol=&submittedDate=`)."""
        protocol, submitted = result.fields.get("protocol"), str(result.fields.get("submit_date") or "")
        try:
            day = datetime.strptime(submitted, "%d/%m/%Y %H:%M")
        except ValueError:
            return {}
        pdf = self.connector_for(submission.tenant).document_pdf(payload.target, str(protocol), day) \
            if protocol else None
        return {"protocol.pdf": (pdf, "application/pdf")} if pdf else {}

    def receipt(self, result: SendResult, payload: Payload, submission: Submission, now: datetime) -> Receipt:
        fields = result.fields
        return Receipt(protocol=fields.get("protocol"), submit_date=fields.get("submit_date"),
                       late_justification=FORCE_MAJEURE if payload.outage_indicator else None, received_at=now)
