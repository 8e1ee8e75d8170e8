"""myDATA as an upstream: build the InvoicesDoc (with the outage indicator when it applies), send it
through the connector, reconcile by uid, and read AADE's receipt (MARK, uid, QR URL)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...connectors.base import SendResult
from ...models.submission import Receipt, Submission, UpstreamError
from ...settings import Channel, Settings
from ...store.secrets import TenantSecrets
from ..base import DocumentKind, Payload
from .aade.errors import ALREADY_HELD
from .aade.xml import serialize
from .aade.xsd import checked_doc
from .connector import MyDataConnector, MyDataPort
from .model import Invoice

if TYPE_CHECKING:
    from ...services.deps import Deps

#: transmissionFailure per channel (XSD v2.0.1 1..4; seed 004 TF1/TF2; mydata-api.md §2.2):
#: ERP → 3 «Απώλεια διασύνδεσης»; provider → 2, the provider↔AADE link being the one we observed.
OUTAGE_INDICATOR = {Channel.ERP: 3, Channel.PROVIDER: 2}


class MyDataTransmission:
    upstream = "mydata"
    records_incidents = False  # AADE's outages are evidenced per document (seed 004), not as incidents

    def __init__(self, connector: MyDataPort, channel: Channel, xsd_version: str,
                 secrets: TenantSecrets | None = None) -> None:
        self.connector = connector
        self.channel = channel
        self.xsd_version = xsd_version
        self.secrets = secrets

    @classmethod
    def from_settings(cls, settings: Settings) -> MyDataTransmission:
        return cls(MyDataConnector.from_settings(settings), settings.mydata_channel, settings.mydata_xsd_version,
                   TenantSecrets(settings.tenant_secrets_prefix, settings.tenant_secrets_ttl_s))

    def connector_for(self, tenant: str) -> MyDataPort:
        """The tenant's own AADE account when it has one in Secrets Manager, else the deployment's."""
        credentials = self.secrets.get(tenant, self.upstream) if self.secrets is not None and tenant else None
        return self.connector if credentials is None else self.connector.with_credentials(credentials)

    def indicator(self, document: Invoice, submission: Submission) -> int | None:
        """The issuer's own declaration wins (seed 004: it is theirs to prove); else ours, only when we
        saw the outage."""
        if document.transmissionFailure is not None:
            return document.transmissionFailure
        return OUTAGE_INDICATOR[self.channel] if submission.outage is not None else None

    def build(self, kind: DocumentKind, document: Any, submission: Submission) -> Payload:
        assert isinstance(document, Invoice)
        indicator = self.indicator(document, submission)
        built, errors = checked_doc([document.model_copy(update={"transmissionFailure": indicator})],
                                    self.xsd_version)
        return Payload(serialize(built), "application/xml", errors, indicator, tenant=submission.tenant)

    def send(self, payload: Payload) -> SendResult:
        return self.connector_for(payload.tenant).send_invoices(payload.body)

    def lookup(self, kind: DocumentKind, document: Any, submission: Submission, now: datetime) -> Receipt | None:
        assert isinstance(document, Invoice)
        found = self.connector_for(submission.tenant).find_transmitted(submission.natural_key,
                                                                       document.invoiceHeader.issueDate)
        if found is None:
            return None
        return Receipt(mark=found.mark, uid=found.uid, qr_url=found.qr_url, reconciled=True,
                       transmission_failure=self.indicator(document, submission), received_at=now)

    def holds_already(self, errors: list[UpstreamError]) -> bool:
        """AADE's «UID already sent» (228, 233): it holds a document under this UID — the transmitter
        looks it up and keeps its MARK rather than calling ours rejected."""
        return any(error.code in ALREADY_HELD for error in errors)

    def attachments(self, result: SendResult, payload: Payload, submission: Submission) -> dict[str, tuple[bytes, str]]:
        return {}  # AADE's receipt is the answer itself (kept as the attempt's response)

    def receipt(self, result: SendResult, payload: Payload, submission: Submission, now: datetime) -> Receipt:
        fields = result.fields
        return Receipt(mark=fields.get("mark"), uid=fields.get("uid") or submission.natural_key,
                       qr_url=fields.get("qr_url"), authentication_code=fields.get("authentication_code"),
                       transmission_failure=payload.outage_indicator, received_at=now)


def port_of(deps: Deps, tenant: str) -> MyDataPort:
    """The myDATA connector under ``tenant``'s credentials, for what is not a transmission (the
    cancellations): from the process's one myDATA transmission."""
    transmission = deps.transmission("mydata")
    assert isinstance(transmission, MyDataTransmission)
    return transmission.connector_for(tenant)
