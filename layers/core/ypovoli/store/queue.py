"""SQS queues that only pump. Losing a message delays work, it never loses any: the outbox and the
event log in DynamoDB are the truth, and the sweeper's pump re-enqueues whatever is due.

Every message carries its tenant as ``MessageGroupId``: on a standard queue that makes SQS a *fair
queue* (issue 18 §5), which serves quiet tenants first while one tenant's backlog — or its slow
webhook receiver — occupies the consumers."""

from __future__ import annotations

import json
import logging

from .aws import client

logger = logging.getLogger(__name__)


class NudgeQueue:
    """Messages ``{"tenant", "id"}`` naming an outbox entry (transmit queue) or an event (webhook queue)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, tenant: str, item_id: str, delay_s: int = 0) -> None:
        client("sqs").send_message(
            QueueUrl=self.url, DelaySeconds=max(0, min(int(delay_s), 900)), MessageGroupId=tenant,
            MessageBody=json.dumps({"tenant": tenant, "id": item_id}),
        )

    def nudge(self, tenant: str, item_id: str, delay_s: int = 0) -> None:
        """Best effort: a failed send is logged and left to the pump."""
        if not self.url:
            return
        try:
            self.send(tenant, item_id, delay_s)
        except Exception:
            logger.warning("queue %s unavailable; the pump will pick %s up", self.url.rsplit("/", 1)[-1], item_id)

    def send_many(self, entries: list[tuple[str, str]]) -> int:
        """Batch-send; returns how many SQS accepted (the rest wait for the next pump)."""
        sent = 0
        for start in range(0, len(entries), 10):
            chunk = entries[start : start + 10]
            result = client("sqs").send_message_batch(QueueUrl=self.url, Entries=[
                {"Id": str(i), "MessageBody": json.dumps({"tenant": t, "id": s}), "MessageGroupId": t}
                for i, (t, s) in enumerate(chunk)
            ])
            sent += len(result.get("Successful", []))
        return sent
