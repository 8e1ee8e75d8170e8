"""The DynamoDB index: tenants, API-key digests, submissions, dedup keys and the outbox.

Writes that must agree are one ``TransactWriteItems``; every state change is conditional, so a
redelivered message, a second worker or a crash half-way can never apply an outcome twice.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from .. import clock
from ..findings import Finding
from ..models.events import StatusEvent
from ..models.reports import OutageDocument
from ..models.submission import FineExposure, OutageEvidence, Receipt, Submission, UpstreamError
from ..status import SENDABLE, Status
from . import keys
from .aws import TableStore
from .dossiers import dossier_prefix
from .events import event_put
from .items import batch_get, condition_failed, conditional, query_items
from .items import item as _item
from .items import plain as _plain
from .items import values as _values
from .outages import outage_put
from .pages import Listing, query_page

#: How often a transaction refused for a conflict (not a condition) is tried again before giving up.
CONFLICT_RETRIES = 3
#: How long what :meth:`Index.hooked` found serves :meth:`Index.hook_seen` (the nudge right after a write).
HOOK_SEEN_S = 5.0
#: What DynamoDB answers when it sheds load (botocore has already retried these by then).
THROTTLED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})


class Busy(Exception):
    """DynamoDB kept refusing the write for conflicts or throttling: nothing was written; retry later."""


class DuplicateSubmission(Exception):
    """The natural key is held. ``released``: by a document the upstream rejected — the key may be
    taken over by its correction (:meth:`Index.create_submission` with ``supersedes``)."""

    def __init__(self, tenant: str, submission_id: str, released: bool = False) -> None:
        super().__init__(submission_id)
        self.tenant = tenant
        self.submission_id = submission_id
        self.released = released


@dataclass(frozen=True)
class Claim:
    tenant: str
    submission_id: str
    token: str
    attempt: int
    #: An earlier attempt may have reached upstream (crash or timeout after sending): reconcile first.
    needs_reconcile: bool
    shard: int
    #: The submission as the claim left it (read in the same write: no second read for the attempt).
    submission: Submission
    #: The submission's status before this claim set ``transmitting``.
    previous_status: Status | None = None


@dataclass(frozen=True)
class DueEntry:
    tenant: str
    submission_id: str


def _dossier_of(data: dict[str, Any]) -> str:
    """The dossier prefix of a submission item, from the attributes that name it."""
    return dossier_prefix(str(data["tenant"]), str(data["afm"]), str(data["kind"]),
                          datetime.fromisoformat(str(data["created_at"])), str(data["id"]))


def _submission(data: dict[str, Any]) -> Submission:
    """A submission item as the model: its dossier prefix derived when the item does not spell it."""
    if "dossier" not in data:
        data = {**data, "dossier": _dossier_of(data)}
    return Submission.model_validate(data)


class Index(TableStore):
    def __init__(self, table: str, shards: int = 4) -> None:
        super().__init__(table, shards)
        self._hooks_seen: dict[str, tuple[bool, float]] = {}

    # ---- tenants and keys -------------------------------------------------------------------

    def put_tenant(self, tenant: str, name: str, afms: list[str]) -> None:
        """Create or update a tenant (its webhook, set through the API, is left as it is)."""
        self._ddb.transact_write_items(TransactItems=[
            {"Update": {
                "TableName": self.table, "Key": _item({"PK": keys.tenant_pk(tenant), "SK": keys.TENANT_SK}),
                "UpdateExpression": "SET #t = :t, #n = :n, afms = :a",
                "ExpressionAttributeNames": {"#t": "tenant", "#n": "name"},
                "ExpressionAttributeValues": _values({":t": tenant, ":n": name, ":a": sorted(set(afms))}),
            }},
            {"Put": {"TableName": self.table,
                     "Item": _item({"PK": keys.TENANTS_PK, "SK": keys.tenant_pk(tenant), "tenant": tenant})}},
        ])

    def list_tenants(self) -> list[str]:
        """Every tenant, from the registry partition (the monthly reports walk it; never a scan)."""
        return [str(i["tenant"]["S"]) for i in query_items(
            self._ddb, TableName=self.table, KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=_values({":pk": keys.TENANTS_PK}))]

    def set_webhook(self, tenant: str, url: str | None, secret: str | None) -> bool:
        """Set (or, with ``None``, remove) the tenant's webhook; ``False`` if the tenant is unknown."""
        key = _item({"PK": keys.tenant_pk(tenant), "SK": keys.TENANT_SK})
        if url is None:
            update, vals = "REMOVE webhook_url, webhook_secret", None
        else:
            update, vals = "SET webhook_url = :u, webhook_secret = :s", _values({":u": url, ":s": secret})
        kwargs: dict[str, Any] = {"TableName": self.table, "Key": key, "UpdateExpression": update,
                                  "ConditionExpression": "attribute_exists(PK)"}
        if vals:
            kwargs["ExpressionAttributeValues"] = vals
        done = conditional(self._ddb.update_item, **kwargs) is not None
        if done:
            self._hooks_seen[tenant] = (url is not None, time.monotonic())
        return done

    def hooked(self, tenant: str) -> bool:
        """Whether ``tenant`` has a webhook (half a read unit): an event of a tenant without one is
        recorded final instead of costing a message, an invocation and two writes to find that out.
        A webhook seen in the last :data:`HOOK_SEEN_S` seconds is not read again (a drop-in batch of a
        thousand reads it once; one removed meanwhile costs a delivery that finds no URL, as before);
        its absence is read every time, so a webhook just set is never missed."""
        if self.hook_seen(tenant):
            return True
        got = self._ddb.get_item(TableName=self.table, Key=_item({"PK": keys.tenant_pk(tenant), "SK": keys.TENANT_SK}),
                                 ProjectionExpression="webhook_url")
        hooked = bool(got.get("Item", {}).get("webhook_url"))
        self._hooks_seen[tenant] = (hooked, time.monotonic())
        return hooked

    def hook_seen(self, tenant: str) -> bool | None:
        """What :meth:`hooked` found for ``tenant`` in the last seconds (``None``: not looked at). After an
        event's write, whether to nudge its delivery: an event written deliverable and not nudged still
        reaches the pump's net, and a nudge for one written final is refused by its claim."""
        seen = self._hooks_seen.get(tenant)
        return seen[0] if seen and time.monotonic() - seen[1] < HOOK_SEEN_S else None

    def get_tenant(self, tenant: str) -> dict[str, Any] | None:
        key = _item({"PK": keys.tenant_pk(tenant), "SK": keys.TENANT_SK})
        got = self._ddb.get_item(TableName=self.table, Key=key, ConsistentRead=True)
        return _plain(got["Item"]) if "Item" in got else None

    def put_api_key(self, digest: str, tenant: str, created_at: datetime, gateway_key_id: str | None = None) -> None:
        """The key (its digest only) and the tenant's pointer to it, so its keys can be listed and
        rotated; ``gateway_key_id``: the API Gateway key registered in the usage plan, if any."""
        self._ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": self.table, "Item": _item({
                "PK": keys.apikey_pk(digest), "SK": keys.APIKEY_SK, "tenant": tenant,
                "created_at": keys.ts(created_at), "gateway_key_id": gateway_key_id})}},
            {"Put": {"TableName": self.table, "Item": _item({
                "PK": keys.tenant_pk(tenant), "SK": f"KEY#{digest}", "digest": digest,
                "created_at": created_at.isoformat(), "gateway_key_id": gateway_key_id})}},
        ])

    def tenant_for_key(self, digest: str) -> str | None:
        """The key's tenant, unless the key expired (a rotated key after its grace period)."""
        got = self._ddb.get_item(TableName=self.table, Key=_item({"PK": keys.apikey_pk(digest), "SK": keys.APIKEY_SK}))
        found = got.get("Item")
        if found is None:
            return None
        expires = found.get("expires_at_iso", {}).get("S")
        if expires and datetime.fromisoformat(expires) <= clock.now():
            return None
        return str(found["tenant"]["S"])

    def tenant_keys(self, tenant: str) -> list[dict[str, Any]]:
        """The tenant's keys: digest, creation, expiry (rotated ones), API Gateway key id."""
        return [_plain(i) for i in query_items(
            self._ddb, TableName=self.table, KeyConditionExpression="PK = :pk AND begins_with(SK, :k)",
            ExpressionAttributeValues=_values({":pk": keys.tenant_pk(tenant), ":k": "KEY#"}))]

    def expire_key(self, tenant: str, digest: str, at: datetime) -> None:
        for key in ({"PK": keys.apikey_pk(digest), "SK": keys.APIKEY_SK}, {"PK": keys.tenant_pk(tenant),
                                                                           "SK": f"KEY#{digest}"}):
            conditional(self._ddb.update_item, TableName=self.table, Key=_item(key),
                        ConditionExpression="attribute_exists(PK) AND attribute_not_exists(expires_at_iso)",
                        UpdateExpression="SET expires_at_iso = :at",
                        ExpressionAttributeValues=_values({":at": at.isoformat()}))

    def delete_key(self, tenant: str, digest: str) -> None:
        self._ddb.transact_write_items(TransactItems=[
            {"Delete": {"TableName": self.table, "Key": _item({"PK": keys.apikey_pk(digest), "SK": keys.APIKEY_SK})}},
            {"Delete": {"TableName": self.table, "Key": _item({"PK": keys.tenant_pk(tenant), "SK": f"KEY#{digest}"})}},
        ])

    def create_tenant(self, tenant: str, name: str, afms: list[str]) -> bool:
        """A new tenant, or ``False`` if the id is taken (nothing changed)."""
        return conditional(self._ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                     "Item": _item({"PK": keys.tenant_pk(tenant), "SK": keys.TENANT_SK, "tenant": tenant,
                                    "name": name, "afms": sorted(set(afms))})}},
            {"Put": {"TableName": self.table,
                     "Item": _item({"PK": keys.TENANTS_PK, "SK": keys.tenant_pk(tenant), "tenant": tenant})}},
        ]) is not None

    def set_afms(self, tenant: str, afms: list[str]) -> bool:
        return conditional(self._ddb.update_item, TableName=self.table,
                           Key=_item({"PK": keys.tenant_pk(tenant), "SK": keys.TENANT_SK}),
                           ConditionExpression="attribute_exists(PK)", UpdateExpression="SET afms = :a",
                           ExpressionAttributeValues=_values({":a": sorted(set(afms))})) is not None

    # ---- submissions ------------------------------------------------------------------------

    def _submission_item(self, sub: Submission) -> dict[str, Any]:
        # Empty lists and a dossier prefix the keys already give are not written: a submission item
        # stays inside one write unit more often (the table's, twice in each transaction).
        derived = sub.dossier == dossier_prefix(sub.tenant, sub.afm, sub.kind, sub.created_at, sub.id)
        data = sub.model_dump(mode="json", exclude={"dossier"} if derived else None)
        for name in ("findings", "upstream_errors", "summary"):
            if not data.get(name):
                data.pop(name, None)
        data.update({
            "PK": keys.tenant_pk(sub.tenant), "SK": keys.submission_sk(sub.id),
            "GSI1PK": keys.by_afm_pk(sub.tenant, sub.afm), "GSI1SK": f"{keys.ts(sub.created_at)}#{sub.id}",
        })
        return _item(data)

    def create_submission(self, sub: Submission, next_attempt_at: datetime, upstream: str,
                          event: StatusEvent | None = None, takes_over: DuplicateSubmission | None = None) -> None:
        """Submission + dedup key + outbox entry (due on ``upstream``'s index) + its ``accepted``
        event, all or nothing. Raises :class:`DuplicateSubmission`.

        ``takes_over``: the released holder of the natural key (a document the upstream rejected) that
        this one corrects — the key moves to it only while that holder still has it released, and the
        rejected submission of the same tenant is marked ``superseded_by`` in the same transaction."""
        dedup_key = {"PK": keys.dedup_pk(sub.kind, sub.afm, sub.natural_key), "SK": keys.DEDUP_SK}
        dedup_put: dict[str, Any] = {"TableName": self.table,
                                     "Item": _item({**dedup_key, "tenant": sub.tenant, "submission_id": sub.id}),
                                     "ConditionExpression": "attribute_not_exists(PK)"}
        linked: list[dict[str, Any]] = []
        if takes_over is not None:
            dedup_put.update(ConditionExpression="submission_id = :old AND released = :yes",
                             ExpressionAttributeValues=_values({":old": takes_over.submission_id, ":yes": True}))
            if takes_over.tenant == sub.tenant:
                linked.append({"Delete": {"TableName": self.table, "Key": _item({
                    "PK": keys.tenant_pk(sub.tenant), "SK": keys.rejected_sk(takes_over.submission_id)})}})
                linked.append({"Update": {
                    "TableName": self.table, "Key": self._submission_key(sub.tenant, takes_over.submission_id),
                    "ConditionExpression": "#s = :rejected", "UpdateExpression": "SET superseded_by = :new",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": _values({":rejected": Status.REJECTED.value, ":new": sub.id})}})
        outbox = self._outbox_entry(sub, next_attempt_at, upstream)
        items = [
            {"Put": {"TableName": self.table, "Item": self._submission_item(sub),
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            {"Put": dedup_put},
            {"Put": {"TableName": self.table, "Item": _item(outbox),
                     "ConditionExpression": "attribute_not_exists(PK)"}},
            *([event_put(self.table, sub.tenant, event, self.shards, self.hooked(sub.tenant))] if event else []),
            *linked,
        ]
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._ddb.transact_write_items(TransactItems=items)
                return
            except ClientError as exc:
                if exc.response["Error"]["Code"] in THROTTLED:
                    raise Busy("DynamoDB is throttling this table (after botocore's own retries)") from None
                if not condition_failed(exc):
                    raise
                reasons = exc.response.get("CancellationReasons", [])
                if len(reasons) > 1 and reasons[1].get("Code") == "ConditionalCheckFailed":
                    existing = self._ddb.get_item(TableName=self.table, Key=_item(dedup_key), ConsistentRead=True)
                    if "Item" in existing:
                        item = _plain(existing["Item"])
                        raise DuplicateSubmission(str(item["tenant"]), str(item["submission_id"]),
                                                  bool(item.get("released"))) from None
                if not any(r.get("Code") == "TransactionConflict" for r in reasons):
                    raise
                # Another transaction held one of these items (a racing duplicate, an event write):
                # nothing was written; the same write again decides, after a short jittered pause.
                time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
        raise Busy("the index stayed busy with conflicting transactions")

    def _outbox_entry(self, sub: Submission, next_attempt_at: datetime, upstream: str) -> dict[str, Any]:
        shard = keys.shard_of(sub.id, self.shards)
        return {
            "PK": keys.tenant_pk(sub.tenant), "SK": keys.outbox_sk(sub.id), "tenant": sub.tenant, "id": sub.id,
            "kind": sub.kind, "upstream": upstream, "attempts": 0, "needs_reconcile": False, "shard": shard,
            "next_attempt_at": keys.ts(next_attempt_at),
            # intake nudges it: the pump's net comes a little later (keys.NUDGED_GRACE)
            "GSI2PK": keys.due_pk(upstream, shard),
            "GSI2SK": keys.timed_sk(next_attempt_at + keys.NUDGED_GRACE, sub.tenant, sub.id),
            "GSI3PK": keys.grace_pk(shard), "GSI3SK": keys.timed_sk(sub.grace_until, sub.tenant, sub.id),
            # The compliance view's list of what is still to send, soonest deadline first; it leaves
            # with the entry, so its cost follows what is open, not the history.
            "GSI1PK": keys.open_pk(sub.tenant, sub.afm), "GSI1SK": f"{keys.ts(sub.due_at)}#{sub.id}",
        }

    def creation_items(self, sub: Submission, next_attempt_at: datetime, upstream: str) -> list[dict[str, Any]]:
        """The items :meth:`create_submission` writes (submission, dedup key, outbox entry), as plain
        values — for a benchmark that seeds thousands of open submissions in batches."""
        from .items import plain

        return [plain(self._submission_item(sub)),
                {"PK": keys.dedup_pk(sub.kind, sub.afm, sub.natural_key), "SK": keys.DEDUP_SK, "tenant": sub.tenant,
                 "submission_id": sub.id},
                self._outbox_entry(sub, next_attempt_at, upstream)]

    def dedup_owner(self, kind: str, afm: str, natural_key: str) -> tuple[str, str] | None:
        got = self._ddb.get_item(
            TableName=self.table, ConsistentRead=True,
            Key=_item({"PK": keys.dedup_pk(kind, afm, natural_key), "SK": keys.DEDUP_SK}),
        )
        if "Item" not in got:
            return None
        item = _plain(got["Item"])
        return str(item["tenant"]), str(item["submission_id"])

    def get_submission(self, tenant: str, submission_id: str) -> Submission | None:
        got = self._ddb.get_item(
            TableName=self.table, ConsistentRead=True,
            Key=_item({"PK": keys.tenant_pk(tenant), "SK": keys.submission_sk(submission_id)}),
        )
        return _submission(_plain(got["Item"])) if "Item" in got else None

    def list_by_afm(self, tenant: str, afm: str, limit: int = 50, kind: str | None = None,
                    cursor: str | None = None, status: str | None = None) -> tuple[list[Submission], str | None]:
        """One page of the ΑΦΜ's submissions (of ``kind``), newest first, and the cursor of the next
        page (``None`` at the end). A cursor names the last item shown; one of another tenant or
        ΑΦΜ is refused (:class:`BadCursor`), so it can never open someone else's listing."""
        pk = keys.by_afm_pk(tenant, afm)
        listing = Listing(("PK", "SK", "GSI1PK", "GSI1SK"), equal={"GSI1PK": pk, "PK": keys.tenant_pk(tenant)})
        wanted = {name: value for name, value in (("kind", kind), ("status", status)) if value}

        def whole(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
            # ByAfm keeps keys only (a status change costs it nothing): the page is read from the table.
            return [i for i in batch_get(self._ddb, self.table, found)
                    if all(i.get(n, {}).get("S") == v for n, v in wanted.items())]

        found, next_cursor = query_page(self._ddb, listing, limit, cursor, whole, TableName=self.table,
                                        IndexName="ByAfm", ScanIndexForward=False,
                                        KeyConditionExpression="GSI1PK = :pk",
                                        ExpressionAttributeValues=_values({":pk": pk}))
        return [_submission(_plain(i)) for i in found], next_cursor

    def open_submissions(self, tenant: str, afm: str, limit: int = 200) -> tuple[list[Submission], bool]:
        """The ΑΦΜ's submissions still to send (queued, deferred, overdue), soonest deadline first,
        and whether more are open than ``limit``. Read from the outbox entries' sparse index entry."""
        found = list(query_items(self._ddb, limit + 1, min(100, limit + 1), TableName=self.table, IndexName="ByAfm",
                                 KeyConditionExpression="GSI1PK = :pk",
                                 ExpressionAttributeValues=_values({":pk": keys.open_pk(tenant, afm)})))
        # Outbox entries (still to send) and rejected submissions still to correct: «OUTBOX#id», «REJECTED#id».
        ids = [str(i["SK"]["S"]).split("#", 1)[1] for i in found[:limit]]
        got = batch_get(self._ddb, self.table, [self._submission_key(tenant, i) for i in ids], consistent=True)
        return [_submission(_plain(raw)) for raw in got], len(found) > limit

    # ---- the outbox -------------------------------------------------------------------------

    def _outbox_key(self, tenant: str, submission_id: str) -> dict[str, Any]:
        return _item({"PK": keys.tenant_pk(tenant), "SK": keys.outbox_sk(submission_id)})

    def _submission_key(self, tenant: str, submission_id: str) -> dict[str, Any]:
        return _item({"PK": keys.tenant_pk(tenant), "SK": keys.submission_sk(submission_id)})

    def claim(self, tenant: str, submission_id: str, now: datetime, lease: timedelta) -> Claim | None:
        """Take the outbox entry for one attempt, or ``None`` if it is not due, leased or gone."""
        token = uuid.uuid4().hex
        sendable = [s.value for s in SENDABLE]
        result = conditional(
            self._ddb.update_item,
            TableName=self.table, Key=self._outbox_key(tenant, submission_id),
            ConditionExpression="attribute_exists(PK) AND next_attempt_at <= :now"
                                " AND (attribute_not_exists(lease_until) OR lease_until < :now)",
            UpdateExpression="SET lease_until = :lease, claim_token = :token, attempts = attempts + :one,"
                             " previous_reconcile = needs_reconcile, needs_reconcile = :true",
            ExpressionAttributeValues=_values({
                ":now": keys.ts(now), ":lease": keys.ts(now + lease), ":token": token, ":one": 1, ":true": True,
            }),
            ReturnValues="ALL_NEW",
        )
        if result is None:
            return None
        entry = _plain(result["Attributes"])
        old = conditional(
            self._ddb.update_item,
            TableName=self.table, Key=self._submission_key(tenant, submission_id),
            ConditionExpression="#s IN (" + ", ".join(f":s{i}" for i in range(len(sendable))) + ")",
            UpdateExpression="SET #s = :transmitting, attempts = :attempts, updated_at = :now",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=_values({
                **{f":s{i}": s for i, s in enumerate(sendable)}, ":transmitting": Status.TRANSMITTING.value,
                ":attempts": int(entry["attempts"]), ":now": now.isoformat(),
            }),
            ReturnValues="ALL_OLD",
        )
        if old is None:
            # The submission is final (cancelled, or finished by another path): retire the entry.
            self._retire(tenant, submission_id, token)
            return None
        before = _plain(old.get("Attributes", {}))
        previous = before.get("status")
        # The item as this update left it: what it was, with the three attributes the update set.
        after = _submission({**before, "status": Status.TRANSMITTING.value,
                             "attempts": int(entry["attempts"]), "updated_at": now.isoformat()})
        return Claim(tenant, submission_id, token, int(entry["attempts"]),
                     bool(entry.get("previous_reconcile", False)), int(entry["shard"]), after,
                     Status(str(previous)) if previous else None)

    def _retire(self, tenant: str, submission_id: str, token: str) -> None:
        conditional(self._ddb.delete_item, TableName=self.table, Key=self._outbox_key(tenant, submission_id),
                    ConditionExpression="claim_token = :t", ExpressionAttributeValues=_values({":t": token}))

    def _finish(self, claim: Claim, submission_update: dict[str, Any], outbox_op: dict[str, Any],
                event: StatusEvent | None = None, extra: list[dict[str, Any]] | None = None) -> bool:
        """Apply an outcome: the submission change, the outbox change, the status event and any record
        that goes with it — all or nothing, and only while we hold the lease."""
        items = [submission_update, outbox_op, *(extra or [])]
        if event is not None:
            items.append(event_put(self.table, claim.tenant, event, self.shards, self.hooked(claim.tenant)))
        return self._transact(items)

    def _transact(self, items: list[dict[str, Any]]) -> bool:
        """All or nothing; ``False`` when a condition refused it (someone else got there first)."""
        return conditional(self._ddb.transact_write_items, TransactItems=items) is not None

    def _submission_set(self, claim: Claim, fields: dict[str, Any], now: datetime) -> dict[str, Any]:
        fields = {**fields, "updated_at": now.isoformat()}
        names = {f"#f{i}": k for i, k in enumerate(fields)}
        values = {f":v{i}": v for i, v in enumerate(fields.values())}
        return {"Update": {
            "TableName": self.table, "Key": self._submission_key(claim.tenant, claim.submission_id),
            "UpdateExpression": "SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields))),
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": _values(values),
        }}

    def _outbox_delete(self, claim: Claim) -> dict[str, Any]:
        return {"Delete": {
            "TableName": self.table, "Key": self._outbox_key(claim.tenant, claim.submission_id),
            "ConditionExpression": "claim_token = :t", "ExpressionAttributeValues": _values({":t": claim.token}),
        }}

    def record_transmitted(self, claim: Claim, receipt: Receipt, findings: list[Finding], now: datetime,
                           event: StatusEvent | None = None, outage: OutageDocument | None = None,
                           clear_fine: bool = False) -> bool:
        """``transmitted`` with its receipt. ``clear_fine``: the delay had a lawful reason with its evidence,
        so the fine exposure an overdue mark set goes."""
        extra = [outage_put(self.table, claim.tenant, outage)] if outage is not None else []
        if receipt.mark is not None:
            # The mark → submission record states a fact of the upstream's, true whether or not this
            # transaction commits (a later attempt reconciles to the same mark and writes the same item):
            # written on its own, one write unit, not two inside the transaction.
            self._ddb.put_item(TableName=self.table, Item=_item({
                "PK": keys.tenant_pk(claim.tenant), "SK": keys.mark_sk(receipt.mark), "mark": receipt.mark,
                "submission_id": claim.submission_id}))
        if receipt.protocol:   # the same, for a protocol number
            self._ddb.put_item(TableName=self.table, Item=_item({
                "PK": keys.tenant_pk(claim.tenant), "SK": keys.protocol_sk(receipt.protocol),
                "submission_id": claim.submission_id}))
        fields: dict[str, Any] = {
            "status": Status.TRANSMITTED.value, "receipt": receipt.model_dump(mode="json", exclude_none=True),
            "findings": [f.model_dump(mode="json") for f in findings]}
        if clear_fine:
            fields["fine_exposure"] = None
        return self._finish(claim, self._submission_set(claim, fields, now), self._outbox_delete(claim), event, extra)

    def record_rejected(self, claim: Claim, errors: list[UpstreamError], now: datetime,
                        event: StatusEvent | None = None, findings: list[Finding] | None = None) -> bool:
        """``rejected``, with the upstream's errors (and the findings that say them). The natural key is
        let go in the same transaction — the upstream holds nothing under it, so the corrected document
        with the same number may be sent (it names this one, ``supersedes``)."""
        fields: dict[str, Any] = {"status": Status.REJECTED.value,
                                  "upstream_errors": [e.model_dump(mode="json") for e in errors]}
        if findings is not None:
            fields["findings"] = [f.model_dump(mode="json") for f in findings]
        sub = claim.submission
        extra: list[dict[str, Any]] = [
            {"Update": {
                "TableName": self.table, "Key": _item({"PK": keys.dedup_pk(sub.kind, sub.afm, sub.natural_key),
                                                       "SK": keys.DEDUP_SK}),
                "ConditionExpression": "submission_id = :id", "UpdateExpression": "SET released = :yes",
                "ExpressionAttributeValues": _values({":id": sub.id, ":yes": True})}},
            # Still the business's to do (correct and send again): in the open index until superseded.
            {"Put": {"TableName": self.table, "Item": _item({
                "PK": keys.tenant_pk(sub.tenant), "SK": keys.rejected_sk(sub.id), "id": sub.id,
                "GSI1PK": keys.open_pk(sub.tenant, sub.afm), "GSI1SK": f"{keys.ts(sub.due_at)}#{sub.id}"})}},
        ]
        return self._finish(claim, self._submission_set(claim, fields, now), self._outbox_delete(claim), event, extra)

    def record_deferred(
        self, claim: Claim, *, status: Status, evidence: OutageEvidence, fine: FineExposure | None,
        findings: list[Finding], next_attempt_at: datetime, maybe_delivered: bool, now: datetime,
        event: StatusEvent | None = None,
    ) -> bool:
        outbox_values: dict[str, Any] = {
            ":t": claim.token, ":next": keys.ts(next_attempt_at), ":reconcile": maybe_delivered,
            ":gsi2": keys.timed_sk(next_attempt_at, claim.tenant, claim.submission_id),
        }
        update = ("SET next_attempt_at = :next, needs_reconcile = :reconcile, GSI2SK = :gsi2"
                  " REMOVE lease_until, claim_token")
        if status is Status.OVERDUE:
            update += ", GSI3PK, GSI3SK"  # the grace sweep has nothing left to do for it
        fields: dict[str, Any] = {
            "status": status.value, "outage": evidence.model_dump(mode="json"),
            "findings": [f.model_dump(mode="json") for f in findings],
        }
        if fine is not None:
            fields["fine_exposure"] = fine.model_dump(mode="json")
        return self._finish(claim, self._submission_set(claim, fields, now), {"Update": {
            "TableName": self.table, "Key": self._outbox_key(claim.tenant, claim.submission_id),
            "ConditionExpression": "claim_token = :t", "UpdateExpression": update,
            "ExpressionAttributeValues": _values(outbox_values),
        }}, event)

    def due_entries(self, upstream: str, shard: int, now: datetime, limit: int = 500) -> list[DueEntry]:
        return self._query_timed("Due", "GSI2PK", "GSI2SK", keys.due_pk(upstream, shard), now, limit)

    def due_hooks(self, shard: int, now: datetime, limit: int = 500) -> list[DueEntry]:
        """Webhook events due for (re)delivery; ``submission_id`` holds the event's key."""
        return self._query_timed("Due", "GSI2PK", "GSI2SK", keys.hook_pk(shard), now, limit)

    def grace_expired(self, shard: int, now: datetime, limit: int = 500) -> list[DueEntry]:
        return self._query_timed("Grace", "GSI3PK", "GSI3SK", keys.grace_pk(shard), now, limit)

    def _query_timed(self, index: str, pk: str, sk: str, value: str, now: datetime, limit: int) -> list[DueEntry]:
        entries: list[DueEntry] = []
        for found in query_items(self._ddb, limit, min(100, limit), TableName=self.table, IndexName=index,
                                 KeyConditionExpression=f"{pk} = :pk AND {sk} <= :now",
                                 ExpressionAttributeValues=_values({":pk": value, ":now": keys.ts(now) + "~"})):
            # Keys-only projection: the sort key itself names the entry (time#tenant#id).
            _, tenant, submission_id = str(found[sk]["S"]).split("#", 2)
            entries.append(DueEntry(tenant, submission_id))
        return entries

    def mark_overdue(self, tenant: str, submission_id: str, fine: FineExposure, findings: list[Finding],
                     now: datetime, event: StatusEvent | None = None) -> bool:
        """Flip a still-unsent submission to ``overdue`` (the transmitter keeps retrying it)."""
        return self._transact([
            {"Update": {
                "TableName": self.table, "Key": self._submission_key(tenant, submission_id),
                "ConditionExpression": "#s IN (:accepted, :deferred, :transmitting)",
                "UpdateExpression": "SET #s = :overdue, fine_exposure = :fine, findings = :findings,"
                                    " updated_at = :now",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": _values({
                    ":accepted": Status.ACCEPTED.value, ":deferred": Status.DEFERRED.value,
                    ":transmitting": Status.TRANSMITTING.value, ":overdue": Status.OVERDUE.value,
                    ":fine": fine.model_dump(mode="json"), ":now": now.isoformat(),
                    ":findings": [f.model_dump(mode="json") for f in findings],
                }),
            }},
            {"Update": {
                "TableName": self.table, "Key": self._outbox_key(tenant, submission_id),
                "ConditionExpression": "attribute_exists(PK)",
                "UpdateExpression": "REMOVE GSI3PK, GSI3SK",
            }},
            *([event_put(self.table, tenant, event, self.shards, self.hooked(tenant))] if event else []),
        ])

    def submission_by_mark(self, tenant: str, mark: int) -> str | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=_item({"PK": keys.tenant_pk(tenant), "SK": keys.mark_sk(mark)}))
        return str(got["Item"]["submission_id"]["S"]) if "Item" in got else None

    def submission_by_protocol(self, tenant: str, protocol: str) -> str | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=_item({"PK": keys.tenant_pk(tenant), "SK": keys.protocol_sk(protocol)}))
        return str(got["Item"]["submission_id"]["S"]) if "Item" in got else None

    def mark_superseded(self, tenant: str, submission_id: str, by: str, now: datetime) -> None:
        """``submission_id`` was replaced upstream by ``by`` (a correction revokes its
        original): the link, on the original."""
        self._ddb.update_item(TableName=self.table, Key=self._submission_key(tenant, submission_id),
                              ConditionExpression="attribute_exists(PK)",
                              UpdateExpression="SET superseded_by = :by, updated_at = :now",
                              ExpressionAttributeValues=_values({":by": by, ":now": now.isoformat()}))

    def record_cancelled(self, tenant: str, submission_id: str, receipt: Receipt, now: datetime,
                         event: StatusEvent | None = None) -> bool:
        """``transmitted`` → ``cancelled`` with the cancellation MARK, once (conditional)."""
        items: list[dict[str, Any]] = [{"Update": {
            "TableName": self.table, "Key": self._submission_key(tenant, submission_id),
            "ConditionExpression": "#s = :transmitted",
            "UpdateExpression": "SET #s = :cancelled, receipt = :receipt, updated_at = :now",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": _values({
                ":transmitted": Status.TRANSMITTED.value, ":cancelled": Status.CANCELLED.value,
                ":receipt": receipt.model_dump(mode="json", exclude_none=True), ":now": now.isoformat()}),
        }}]
        if event is not None:
            items.append(event_put(self.table, tenant, event, self.shards, self.hooked(tenant)))
        return self._transact(items)

    def transmitted_after(self, tenant: str, mark: int, limit: int = 100) -> tuple[list[tuple[int, str]], bool]:
        """The tenant's transmitted documents with a MARK above ``mark``, in MARK order: (mark, id)
        pairs, and whether more follow."""
        got = self._ddb.query(
            TableName=self.table, Limit=limit + 1,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :from AND :to",
            ExpressionAttributeValues=_values({":pk": keys.tenant_pk(tenant), ":from": keys.mark_sk(mark + 1),
                                               ":to": "MARK#~"}),
        )
        found = [(int(i["mark"]["N"]), str(i["submission_id"]["S"])) for i in got.get("Items", [])]
        return found[:limit], len(found) > limit

    # ---- the upstream link ------------------------------------------------------------------

    def mark_link_down(self, upstream: str, now: datetime, error: str) -> None:
        """Remember that ``upstream`` is unreachable (kept once: the first failure stays)."""
        conditional(
            self._ddb.put_item,
            TableName=self.table, ConditionExpression="attribute_not_exists(PK)",
            Item=_item({"PK": keys.link_pk(upstream), "SK": keys.LINK_SK, "down_since": now.isoformat(),
                        "error": error[:500]}),
        )

    def link_down_since(self, upstream: str) -> datetime | None:
        """When ``upstream`` was first seen unreachable in the outage still going on, if one is."""
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=_item({"PK": keys.link_pk(upstream), "SK": keys.LINK_SK}))
        item = got.get("Item")
        return datetime.fromisoformat(str(item["down_since"]["S"])) if item else None

    def link_restored(self, upstream: str) -> bool:
        """Forget the outage; ``True`` for exactly one caller, the one that should pull work forward."""
        got = self._ddb.delete_item(TableName=self.table, ReturnValues="ALL_OLD",
                                    Key=_item({"PK": keys.link_pk(upstream), "SK": keys.LINK_SK}))
        return "Attributes" in got

    def pull_forward(self, upstream: str, now: datetime, limit_per_shard: int = 500) -> list[DueEntry]:
        """Make every entry of ``upstream`` waiting out a backoff due now: the link is back, and seed
        004 wants the documents sent «αμελλητί» (without delay), not when their backoff happens to end."""
        pulled: list[DueEntry] = []
        for shard in range(self.shards):
            got = self._ddb.query(
                TableName=self.table, IndexName="Due", Limit=limit_per_shard,
                KeyConditionExpression="GSI2PK = :pk AND GSI2SK > :now",
                ExpressionAttributeValues=_values({":pk": keys.due_pk(upstream, shard),
                                                   ":now": keys.ts(now) + "~"}),
            )
            for found in got.get("Items", []):
                _, tenant, submission_id = str(found["GSI2SK"]["S"]).split("#", 2)
                if not self.make_due(tenant, submission_id, now):
                    continue
                pulled.append(DueEntry(tenant, submission_id))
        return pulled

    def make_due(self, tenant: str, submission_id: str, now: datetime) -> bool:
        """Bring a waiting entry's next attempt to ``now`` (not one that is leased or already due)."""
        return conditional(
            self._ddb.update_item,
            TableName=self.table, Key=self._outbox_key(tenant, submission_id),
            ConditionExpression="attribute_exists(PK) AND next_attempt_at > :now"
                                " AND (attribute_not_exists(lease_until) OR lease_until < :now)",
            UpdateExpression="SET next_attempt_at = :now, GSI2SK = :sk",
            ExpressionAttributeValues=_values({
                ":now": keys.ts(now), ":sk": keys.timed_sk(now, tenant, submission_id)}),
        ) is not None
