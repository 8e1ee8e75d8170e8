"""What work-card events each employer declared through ypovoli: ERGANI cannot be asked (no
read-back API), so orphan punches (ERGANI-CARD-PAIR) and the deviation sweeps read this.

Items: ``TENANT#{tenant}#CARDS#{employer}`` / ``{reference date}#{employee}#{type}#{event time}``,
holding the submission id — one per event, written when the declaration is accepted.
"""

from __future__ import annotations

from datetime import date, datetime

from ...store import keys
from ...store.aws import TableStore
from ...store.items import batch_write, item, query_items, values
from .deviations import Punch


def ledger_pk(tenant: str, employer: str) -> str:
    return f"{keys.tenant_pk(tenant)}#CARDS#{employer}"


class CardLedger(TableStore):
    def record(self, tenant: str, employer: str, events: list[tuple[date, str, str, str]], submission_id: str) -> None:
        """``events``: (reference date, employee ΑΦΜ, type 0/1, event time ISO) of one declaration."""
        puts = [{"PutRequest": {"Item": item({"PK": ledger_pk(tenant, employer),
                                              "SK": f"{ref.isoformat()}#{afm}#{kind}#{when}",
                                              "submission_id": submission_id})}}
                for ref, afm, kind, when in events]
        batch_write(self._ddb, self.table, puts)

    def declared(self, tenant: str, employer: str, reference: date, employee: str, kind: str) -> bool:
        got = self._ddb.query(
            TableName=self.table, Limit=1, KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=values({":pk": ledger_pk(tenant, employer),
                                              ":prefix": f"{reference.isoformat()}#{employee}#{kind}#"}))
        return bool(got.get("Items"))

    def punches(self, tenant: str, employer: str, reference: date, employee: str) -> list[Punch]:
        """The employee's card events of that reference date, as declared through ypovoli."""
        found = query_items(self._ddb, TableName=self.table,
                            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                            ExpressionAttributeValues=values({":pk": ledger_pk(tenant, employer),
                                                              ":prefix": f"{reference.isoformat()}#{employee}#"}))
        return [_punch(str(i["SK"]["S"])) for i in found]

    def between(self, tenant: str, employer: str, first: date, last: date) -> dict[tuple[date, str], list[Punch]]:
        """Every employee's card events from ``first`` to ``last`` (reference dates), per employee-day."""
        found = query_items(self._ddb, TableName=self.table,
                            KeyConditionExpression="PK = :pk AND SK BETWEEN :a AND :b",
                            ExpressionAttributeValues=values({":pk": ledger_pk(tenant, employer),
                                                              ":a": first.isoformat(), ":b": f"{last.isoformat()}~"}))
        days: dict[tuple[date, str], list[Punch]] = {}
        for raw in found:
            sk = str(raw["SK"]["S"])
            reference, employee, _ = sk.split("#", 2)
            days.setdefault((date.fromisoformat(reference), employee), []).append(_punch(sk))
        return days


def _punch(sk: str) -> Punch:
    _, _, kind, when = sk.split("#", 3)
    return Punch(start=kind == "0", at=datetime.fromisoformat(when))
