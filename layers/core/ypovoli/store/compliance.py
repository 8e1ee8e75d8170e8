"""Sweep findings about a business ("flags"), kept where the compliance view reads them.

Items: ``TENANT#{tenant}#FLAGS#{afm}`` / ``{family}#{date}#{subject}#{what}``. A family is what one
judgement decides (a declared day, an orphan start, an absence): judging it again replaces its flags,
so a late end that arrives clears "missing end". A new flag and its ``compliance.flagged`` webhook
event are one transaction, conditional on the flag being new: judged twice, alerted once. Flags
expire with the table's TTL (``FLAG_RETENTION``), so the view's cost does not grow with the years.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..models.compliance import ComplianceItem
from ..models.events import ComplianceAlert, ComplianceEvent
from . import keys
from .aws import TableStore
from .events import event_put
from .items import conditional, item, plain, query_items, values

#: A sweep's finding stays in the view this long (the deviation report keeps the month for good).
FLAG_RETENTION = timedelta(days=62)


def flags_pk(tenant: str, afm: str) -> str:
    return f"{keys.tenant_pk(tenant)}#FLAGS#{afm}"


@dataclass(frozen=True)
class Flag:
    #: Within the judgement's family: ``{family}#{date}#{subject}#`` + ``what``.
    key: str
    item: ComplianceItem


class Flags(TableStore):
    def replace(self, tenant: str, afm: str, family: str, flags: list[Flag], now: datetime) -> list[ComplianceEvent]:
        """Make ``family``'s flags exactly ``flags``; the events of the flags raised now (to announce)."""
        pk = flags_pk(tenant, afm)
        existing = {str(i["SK"]["S"]) for i in query_items(
            self._ddb, TableName=self.table, ProjectionExpression="SK",
            KeyConditionExpression="PK = :pk AND begins_with(SK, :family)",
            ExpressionAttributeValues=values({":pk": pk, ":family": family}))}
        wanted = {f.key: f for f in flags}
        for gone in sorted(existing - set(wanted)):
            self._ddb.delete_item(TableName=self.table, Key=item({"PK": pk, "SK": gone}))
        raised: list[ComplianceEvent] = []
        for key in sorted(set(wanted) - existing):
            flag = wanted[key]
            digest = hashlib.sha256(f"{tenant}|{afm}|{key}|{now.isoformat()}".encode()).hexdigest()[:32]
            event = ComplianceEvent(id=f"evt_{digest}", occurred_at=now,
                                    data=ComplianceAlert(afm=afm, **flag.item.model_dump()))
            record = {"PK": pk, "SK": key, "raised_at": now.isoformat(),
                      "expires_at": int((now + FLAG_RETENTION).timestamp()), **flag.item.model_dump(mode="json")}
            done = conditional(self._ddb.transact_write_items, TransactItems=[
                {"Put": {"TableName": self.table, "Item": item(record),
                         "ConditionExpression": "attribute_not_exists(PK)"}},
                event_put(self.table, tenant, event, self.shards)])
            if done is not None:
                raised.append(event)
        return raised

    def of_business(self, tenant: str, afm: str, now: datetime, limit: int = 500) -> list[ComplianceItem]:
        """The business's flags still in force (TTL deletes late, so expiry is checked here too)."""
        fields = set(ComplianceItem.model_fields)
        return [ComplianceItem.model_validate({**{k: v for k, v in data.items() if k in fields}, "flag": data["SK"]})
                for data in (plain(raw) for raw in query_items(self._ddb, limit, TableName=self.table,
                                       KeyConditionExpression="PK = :pk", FilterExpression="expires_at > :now",
                                       ExpressionAttributeValues=values({":pk": flags_pk(tenant, afm),
                                                                         ":now": int(now.timestamp())})))]

    def acknowledge(self, tenant: str, afm: str, key: str, who: str, note: str, now: datetime) -> bool:
        """A person saw the flag and says why it stands (or is fine): kept on it, never removing it —
        the next judgement of its family decides whether it is still there."""
        return conditional(self._ddb.update_item, TableName=self.table,
                           Key=item({"PK": flags_pk(tenant, afm), "SK": key}),
                           ConditionExpression="attribute_exists(PK)",
                           UpdateExpression="SET acknowledged_by = :who, acknowledged_at = :at, "
                                            "acknowledgement_note = :note",
                           ExpressionAttributeValues=values({":who": who, ":at": now.isoformat(),
                                                             ":note": note[:500]})) is not None
