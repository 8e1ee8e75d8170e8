"""Upstream incidents of one business: for an upstream whose outage is an incident to record (its
transmission's ``records_incidents``), each business whose documents wait has one — when it started,
which documents it held, when it ended — with the notice its upstream's kind words for it (``notice``:
``registry.INCIDENT_NOTICES``).

Items: ``TENANT#{tenant}`` / ``INCIDENT#{upstream}#{afm}#{since}`` (one per employer and outage; the
affected submission ids in a set), and ``LINK#{upstream}`` / ``#INCIDENTS`` (the open ones, a string
set of ``tenant|afm|since``) so the first worker that sees the link back closes them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ..models.events import IncidentEvent
from ..models.incidents import Incident, IncidentList
from . import keys
from .aws import TableStore
from .events import event_put
from .items import conditional, item, plain, values
from .pages import Listing, query_page

OPEN_SK = "#INCIDENTS"


__all__ = ["Incident", "IncidentList", "Incidents", "Notice"]

#: (upstream, ΑΦΜ, start, end, affected count, employees named) → the notice a person sends.
Notice = Callable[[str, str, datetime, datetime | None, int, Sequence[str]], str]


def _no_notice(*_: Any) -> str:
    return ""


def _event(tenant: str, sk: str, incident: Incident, started: bool, at: datetime) -> IncidentEvent:
    # One id per incident and edge: a retried write can never announce the same start twice.
    digest = hashlib.sha256(f"{tenant}|{sk}|{started}".encode()).hexdigest()[:32]
    return IncidentEvent(id=f"evt_{digest}", type="incident.started" if started else "incident.ended",
                         occurred_at=at, data=incident)


class Incidents(TableStore):
    def __init__(self, table: str, shards: int = 4, notice: Notice = _no_notice) -> None:
        super().__init__(table, shards)
        self.notice = notice

    @staticmethod
    def _sk(upstream: str, afm: str, since: datetime) -> str:
        return f"INCIDENT#{upstream}#{afm}#{keys.ts(since)}"

    def held(self, upstream: str, tenant: str, afm: str, since: datetime, submission_id: str,
             now: datetime, employees: str = "") -> IncidentEvent | None:
        """A submission of this employer waits through the outage that began at ``since``: added to
        its incident, opened if new — with its ``incident.started`` event in the same transaction,
        returned to be announced."""
        sk = self._sk(upstream, afm, since)
        named = [employees] if employees else []
        started = _event(tenant, sk, Incident(upstream=upstream, afm=afm, start=since, affected=[submission_id],
                                              notice_el=self.notice(upstream, afm, since, None, 1, named)), True, now)
        opened = conditional(self._ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                     "Item": item({"PK": keys.tenant_pk(tenant), "SK": sk, "upstream": upstream, "afm": afm,
                                   "start": since.isoformat()})}},
            event_put(self.table, tenant, started, self.shards)]) is not None
        self._ddb.update_item(TableName=self.table, Key=item({"PK": keys.tenant_pk(tenant), "SK": sk}),
                              UpdateExpression="ADD affected :id" + (", employees :who" if named else ""),
                              ExpressionAttributeValues=values({":id": {submission_id},
                                                                **({":who": set(named)} if named else {})}))
        if opened:
            self._ddb.update_item(TableName=self.table, Key=item({"PK": f"LINK#{upstream}", "SK": OPEN_SK}),
                                  UpdateExpression="ADD open_incidents :key",
                                  ExpressionAttributeValues=values({":key": {f"{tenant}|{sk}"}}))
        return started if opened else None

    def close_all(self, upstream: str, now: datetime) -> list[tuple[str, IncidentEvent]]:
        """The link is back: every open incident of ``upstream`` ends now (once: the pointer is taken),
        each with its ``incident.ended`` event in the same transaction, returned to be announced."""
        got = self._ddb.delete_item(TableName=self.table, ReturnValues="ALL_OLD",
                                    Key=item({"PK": f"LINK#{upstream}", "SK": OPEN_SK}))
        closed: list[tuple[str, IncidentEvent]] = []
        for entry in sorted(plain(got.get("Attributes", {})).get("open_incidents", set())):
            tenant, sk = str(entry).split("|", 1)
            key = item({"PK": keys.tenant_pk(tenant), "SK": sk})
            current = self._ddb.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")
            if current is None:
                continue
            ended = _event(tenant, sk, self._incident({**plain(current), "end": now.isoformat()}), False, now)
            done = conditional(self._ddb.transact_write_items, TransactItems=[
                {"Update": {"TableName": self.table, "Key": key, "UpdateExpression": "SET #end = :now",
                            "ConditionExpression": "attribute_not_exists(#end)",
                            "ExpressionAttributeNames": {"#end": "end"},
                            "ExpressionAttributeValues": values({":now": now.isoformat()})}},
                event_put(self.table, tenant, ended, self.shards)])
            if done is not None:
                closed.append((tenant, ended))
        return closed

    def of_employer(self, tenant: str, afm: str, upstream: str, limit: int = 50,
                    cursor: str | None = None) -> tuple[list[Incident], str | None]:
        """One page of the employer's incidents, newest first, and the next page's cursor."""
        pk, prefix = keys.tenant_pk(tenant), f"INCIDENT#{upstream}#{afm}#"
        found, next_cursor = query_page(self._ddb, Listing(("PK", "SK"), {"PK": pk}, {"SK": prefix}), limit, cursor,
                                        TableName=self.table, ScanIndexForward=False,
                                        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                                        ExpressionAttributeValues=values({":pk": pk, ":prefix": prefix}))
        return [self._incident(plain(i)) for i in found], next_cursor

    def _incident(self, data: dict[str, Any]) -> Incident:
        start = datetime.fromisoformat(str(data["start"]))
        end = datetime.fromisoformat(str(data["end"])) if data.get("end") else None
        affected = sorted(str(a) for a in data.get("affected", set()))
        return Incident(upstream=str(data["upstream"]), afm=str(data["afm"]), start=start, end=end,
                        affected=affected, notice_el=self.notice(str(data["upstream"]), str(data["afm"]), start, end,
                                                                 len(affected),
                                                                 [str(e) for e in data.get("employees", set())]))
