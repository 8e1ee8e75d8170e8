"""Status-change events and their webhook deliveries, in the index table.

An event is written in the same transaction as the status change it describes (the outbox pattern
again), so a change can never happen without its notification, nor a notification without its
change. Delivery state lives on the event item: its first attempt read, the next ones claimed with a
lease like an outbox entry, retried through the ``Due`` index under ``HOOK#{shard}``, and every
attempt appended to its log.
"""

from __future__ import annotations

import json
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from ..models.events import Delivery, DeliveryAttempt, Event
from . import keys
from .aws import TableStore
from .items import conditional, item, plain, values
from .pages import Listing, query_page

#: Events are kept this long after they happen (the dossier keeps the submission for good).
RETENTION = timedelta(days=90)


def deflated(payload: str) -> bytes:
    """The webhook body as the item keeps it (``payload_z``, binary): DynamoDB bills a write by the
    kilobyte, and a ``transmitted`` event's JSON (~0.8 KB) took its item past one — two units per
    write, four in the status transaction, and again at each delivery's claim and record (issue 17 §3).
    Deflated it is ~0.45 KB and the item stays inside one."""
    return zlib.compress(payload.encode(), 6)


def payload_of(data: dict[str, Any]) -> bytes:
    """The webhook body of an event item: ``payload_z`` inflated, or the plain ``payload`` of an item
    written before events were kept deflated."""
    if "payload_z" in data:
        return zlib.decompress(bytes(data["payload_z"]))
    return str(data["payload"]).encode()


def event_put(table: str, tenant: str, event: Event, shards: int, deliver: bool = True) -> dict[str, Any]:
    """The ``Put`` that records ``event`` inside a status-change transaction. ``deliver=False``: the
    tenant has no webhook, so the event is recorded as the deliverer would have finished it
    (``no_endpoint``), off the due index — no message, no invocation, no claim for nothing."""
    shard = keys.shard_of(event.id, shards)
    # The event's type, status and time are in its (deflated) body, the tenant and its id in the keys:
    # not repeated as attributes, so that a `transmitted` event stays inside one write unit while it is
    # claimed too (its lease and token added), and both writes of a delivery cost one unit each.
    data: dict[str, Any] = {
        "PK": keys.tenant_pk(tenant), "SK": keys.event_sk(event.sort_key),
        "submission_id": event.subject_id, "payload_z": deflated(event.model_dump_json()),
        "delivery": "pending", "attempts": 0, "next_attempt_at": keys.ts(event.occurred_at),
        "log": [], "shard": shard,
        "GSI2PK": keys.hook_pk(shard),   # nudged after the commit: the pump's net comes later
        "GSI2SK": keys.timed_sk(event.occurred_at + keys.NUDGED_GRACE, tenant, event.sort_key),
        "expires_at": int((event.occurred_at + RETENTION).timestamp()),
    }
    if not deliver:
        for name in ("GSI2PK", "GSI2SK", "next_attempt_at"):
            data.pop(name)
        data["delivery"] = "no_endpoint"
        attempt = DeliveryAttempt(at=event.occurred_at, error=NO_ENDPOINT)
        data["log"] = [attempt.model_dump(mode="json", exclude_none=True)]
    return {"Put": {"TableName": table, "Item": item(data), "ConditionExpression": "attribute_not_exists(PK)"}}


#: The log entry of an event its tenant had no webhook for.
NO_ENDPOINT = "no webhook configured"


@dataclass(frozen=True)
class HookClaim:
    tenant: str
    event_key: str
    #: ``None`` for a first attempt taken without a lease (:meth:`EventLog.take_first`).
    token: str | None
    attempt: int
    payload: bytes


def _delivery(data: dict[str, Any]) -> Delivery:
    event = json.loads(payload_of(data))
    next_at = data.get("next_attempt_at")
    return Delivery(
        event_id=str(data.get("event_id") or str(data["SK"]).rsplit("#", 1)[-1]),
        type=str(event.get("type", "submission.status_changed")),
        submission_id=str(data.get("submission_id", "")), status=event["data"].get("status"),
        occurred_at=event["occurred_at"], delivery=data["delivery"], attempts=int(data.get("attempts", 0)),
        next_attempt_at=datetime.strptime(str(next_at), "%Y-%m-%dT%H:%M:%S.%f%z") if next_at and
        data["delivery"] == "pending" else None,
        log=[DeliveryAttempt.model_validate(entry) for entry in data.get("log", [])],
    )


class EventLog(TableStore):
    def _key(self, tenant: str, event_key: str) -> dict[str, Any]:
        return item({"PK": keys.tenant_pk(tenant), "SK": keys.event_sk(event_key)})

    def take_first(self, tenant: str, event_key: str, now: datetime) -> HookClaim | Literal[False] | None:
        """An event's first attempt, read instead of leased (issue 17 §3): a lease is a write, billed
        like one, and on the first attempt it guards against little — the message that brings it is
        SQS's to one consumer at a time, and the pump's net for it comes a minute later
        (``keys.NUDGED_GRACE``). A consistent read (a fifth of a write's price) tells whether it is
        still to do; its :meth:`finish` then records it only if no other attempt was recorded
        meanwhile. Two copies of one nudge taken at the same moment may both post it — delivery is
        at least once, receivers deduplicate by event id — but only one is logged.

        ``None``: nothing to do (delivered, given up, gone, or not due); ``False``: not a first
        attempt (a retry, or one leased): :meth:`claim` it."""
        got = self._ddb.get_item(TableName=self.table, Key=self._key(tenant, event_key), ConsistentRead=True)
        if "Item" not in got:
            return None
        data = plain(got["Item"])
        if data.get("delivery") != "pending" or str(data.get("next_attempt_at", "")) > keys.ts(now):
            return None
        if int(data.get("attempts", 0)) or "claim_token" in data:
            return False
        return HookClaim(tenant, event_key, None, 1, payload_of(data))

    def claim(self, tenant: str, event_key: str, now: datetime, lease: timedelta) -> HookClaim | None:
        token = uuid.uuid4().hex[:16]   # 64 random bits tell one lease from another; fewer bytes per write
        got = conditional(
            self._ddb.update_item,
            TableName=self.table, Key=self._key(tenant, event_key),
            ConditionExpression="attribute_exists(PK) AND #d = :pending AND next_attempt_at <= :now"
                                " AND (attribute_not_exists(lease_until) OR lease_until < :now)",
            UpdateExpression="SET lease_until = :lease, claim_token = :token, attempts = attempts + :one",
            ExpressionAttributeNames={"#d": "delivery"},
            ExpressionAttributeValues=values({":pending": "pending", ":now": keys.ts(now), ":one": 1,
                                              ":lease": keys.ts(now + lease), ":token": token}),
            ReturnValues="ALL_NEW",
        )
        if got is None:
            return None
        data = plain(got["Attributes"])
        return HookClaim(tenant, event_key, token, int(data["attempts"]), payload_of(data))

    def finish(self, claim: HookClaim, attempt: DeliveryAttempt, outcome: str,
               next_attempt_at: datetime | None = None, nudged: bool = False) -> bool:
        """Record one attempt; ``outcome`` pending (retry at ``next_attempt_at``; ``nudged``: a delayed
        nudge brings it, so the pump's net comes later), delivered, failed or no_endpoint. Only while our
        claim holds."""
        update = "SET #d = :outcome, #log = list_append(#log, :entry) REMOVE lease_until, claim_token"
        vals: dict[str, Any] = {":outcome": outcome, ":entry": [attempt.model_dump(mode="json", exclude_none=True)]}
        if claim.token is None:   # a first attempt without a lease: only if no attempt was recorded since
            condition = "#d = :pending AND attempts = :zero AND attribute_not_exists(claim_token)"
            update = update.replace("SET ", "SET attempts = :one, ", 1)
            vals.update({":pending": "pending", ":zero": 0, ":one": 1})
        else:
            condition = "claim_token = :t"
            vals[":t"] = claim.token
        if outcome == "pending" and next_attempt_at is not None:
            update = update.replace(" REMOVE", ", next_attempt_at = :next, GSI2SK = :sk REMOVE")
            vals[":next"] = keys.ts(next_attempt_at)
            vals[":sk"] = keys.timed_sk(next_attempt_at + (keys.NUDGED_GRACE if nudged else timedelta(0)),
                                        claim.tenant, claim.event_key)
        else:
            update += ", GSI2PK, GSI2SK"  # nothing left to do: off the due index
        return conditional(
            self._ddb.update_item,
            TableName=self.table, Key=self._key(claim.tenant, claim.event_key),
            ConditionExpression=condition, UpdateExpression=update,
            ExpressionAttributeNames={"#log": "log", "#d": "delivery"}, ExpressionAttributeValues=values(vals),
        ) is not None

    def deliveries(self, tenant: str, limit: int = 50, submission_id: str | None = None,
                   cursor: str | None = None) -> tuple[list[Delivery], str | None]:
        """One page of the tenant's deliveries, newest first, and the next page's cursor."""
        pk, prefix = keys.tenant_pk(tenant), keys.event_sk("")
        kwargs: dict[str, Any] = {
            "TableName": self.table, "ScanIndexForward": False,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": values({":pk": pk, ":prefix": prefix}),
        }
        if submission_id:
            kwargs["FilterExpression"] = "submission_id = :sid"
            kwargs["ExpressionAttributeValues"][":sid"] = {"S": submission_id}
        found, next_cursor = query_page(self._ddb, Listing(("PK", "SK"), {"PK": pk}, {"SK": prefix}), limit, cursor,
                                        **kwargs)
        return [_delivery(plain(i)) for i in found], next_cursor
