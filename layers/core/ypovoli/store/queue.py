"""The transmit queue: only a pump. Losing a message delays a send, it never loses a submission —
the outbox in DynamoDB is the truth and the sweeper's pump re-enqueues what is due."""

from __future__ import annotations

import json

from .aws import client


class TransmitQueue:
    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, tenant: str, submission_id: str, delay_s: int = 0) -> None:
        client("sqs").send_message(
            QueueUrl=self.url, DelaySeconds=max(0, min(delay_s, 900)),
            MessageBody=json.dumps({"tenant": tenant, "id": submission_id}),
        )

    def send_many(self, entries: list[tuple[str, str]]) -> int:
        """Batch-send; returns how many SQS accepted (the rest wait for the next pump)."""
        sent = 0
        for start in range(0, len(entries), 10):
            chunk = entries[start : start + 10]
            result = client("sqs").send_message_batch(QueueUrl=self.url, Entries=[
                {"Id": str(i), "MessageBody": json.dumps({"tenant": t, "id": s})} for i, (t, s) in enumerate(chunk)
            ])
            sent += len(result.get("Successful", []))
        return sent
