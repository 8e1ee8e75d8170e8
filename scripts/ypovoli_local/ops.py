"""Operating a deployment (issue 18 §8): dead-letter queues, tenants' upstream credentials, and the
webhook receiver's replay guard. The CLI (``ypovoli dlq …``, ``ypovoli credentials …``,
``ypovoli receive-webhooks``) is a thin shell over these; they work on AWS and on the local stack
alike (``AWS_ENDPOINT_URL`` pointing at its moto server)."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

#: The queues a deployment has, by short name: each has ``{stack}-{name}`` and ``{stack}-{name}-dlq``.
QUEUES = ("transmit", "webhooks", "drop")


@dataclass(frozen=True)
class Redriven:
    queue: str
    moved: int
    left: int


def queue_urls(sqs: Any, stack: str, name: str) -> tuple[str, str]:
    """(source, dead-letter) queue URLs of ``name`` in ``stack``."""
    source = sqs.get_queue_url(QueueName=f"{stack}-{name}")["QueueUrl"]
    dead = sqs.get_queue_url(QueueName=f"{stack}-{name}-dlq")["QueueUrl"]
    return str(source), str(dead)


def depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def _group(body: str) -> str | None:
    """The tenant of a nudge ``{"tenant", "id"}``: it stays its message group (fair queues)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    tenant = data.get("tenant") if isinstance(data, dict) else None
    return str(tenant) if isinstance(tenant, str) and tenant else None


def redrive(sqs: Any, stack: str, name: str, limit: int = 10_000, dry_run: bool = False) -> Redriven:
    """Move what waits in ``name``'s dead-letter queue back to its source queue. Safe to run twice:
    every handler is idempotent (the outbox and the event log decide what a message does), and a
    message leaves the DLQ only after the source queue accepted its copy."""
    source, dead = queue_urls(sqs, stack, name)
    if dry_run:
        return Redriven(name, 0, depth(sqs, dead))
    moved = 0
    while moved < limit:
        got = sqs.receive_message(QueueUrl=dead, MaxNumberOfMessages=min(10, limit - moved), VisibilityTimeout=60,
                                  WaitTimeSeconds=0)
        messages = got.get("Messages", [])
        if not messages:
            break
        entries = []
        for i, message in enumerate(messages):
            entry: dict[str, Any] = {"Id": str(i), "MessageBody": message["Body"]}
            if (group := _group(message["Body"])) is not None:
                entry["MessageGroupId"] = group
            entries.append(entry)
        sent = sqs.send_message_batch(QueueUrl=source, Entries=entries)
        done = {e["Id"] for e in sent.get("Successful", [])}
        deletions = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
                     if str(i) in done]
        if deletions:
            sqs.delete_message_batch(QueueUrl=dead, Entries=deletions)
        moved += len(deletions)
        if len(deletions) < len(messages):
            break  # the source refused some: stop, they stay in the DLQ for the next run
    return Redriven(name, moved, depth(sqs, dead))


class ReplayGuard:
    """Event ids a receiver has already acted on (bounded): a signed request sent again — by an
    attacker inside the signature's tolerance, or by ypovoli's at-least-once redelivery — is
    acknowledged and never acted on twice."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        if event_id in self._seen:
            self._seen.move_to_end(event_id)
            return False
        self._seen[event_id] = None
        if len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True


def _describe(kind: str, data: dict[str, object]) -> str:
    """One line per event type (KeyError for a body that is not one of ours)."""
    if kind == "compliance.flagged":
        return f"{data['afm']}  {data['code']} ({data['severity']}): {data['subject']}"
    if kind.startswith("incident."):
        return f"{data['afm']}  {kind} {data['upstream']} since {data['start']}"
    return f"{data['id']}  {data.get('previous_status')} → {data['status']}"


@dataclass(frozen=True)
class Received:
    status: int
    verdict: str  # signed | replay | bad-signature | unreadable
    line: str


def receive(secret: str, guard: ReplayGuard, headers: dict[str, str], body: bytes, now: int) -> Received:
    """What the bundled receiver does with one POST: verify the signature, refuse a replay by event
    id, describe the event. A replay answers 200 (a redelivery must stop being retried) but is not
    acted on."""
    from ypovoli.webhooks.signing import HEADER, verify

    lowered = {k.lower(): v for k, v in headers.items()}
    if not verify(secret, lowered.get(HEADER.lower(), ""), body, now):
        return Received(401, "bad-signature", body[:200].decode(errors="replace"))
    try:
        event = json.loads(body)
        data = event["data"]
        # The id the signature covers (the body's), never the unsigned header: a replay with a fresh
        # header would otherwise be acted on again.
        event_id = str(event.get("id") or "")
        line = _describe(str(event.get("type", "submission.status_changed")), data)
    except (ValueError, KeyError, TypeError):
        return Received(400, "unreadable", body[:200].decode(errors="replace"))
    if event_id and not guard.first_time(event_id):
        return Received(200, "replay", f"{event_id} already processed: ignored")
    return Received(204, "signed", line)
