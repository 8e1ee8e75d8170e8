"""What work-card events each employer declared through ypovoli: ERGANI cannot be asked (no
read-back API), so orphan punches (ERGANI-CARD-PAIR) and, later, the deviation sweeps read this.

Items: ``TENANT#{tenant}#CARDS#{employer}`` / ``{reference date}#{employee}#{type}#{event time}``,
holding the submission id — one per event, written when the declaration is accepted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import keys
from .aws import client
from .items import item, values


def ledger_pk(tenant: str, employer: str) -> str:
    return f"{keys.tenant_pk(tenant)}#CARDS#{employer}"


class CardLedger:
    def __init__(self, table: str) -> None:
        self.table = table

    @property
    def _ddb(self) -> Any:
        return client("dynamodb")

    def record(self, tenant: str, employer: str, events: list[tuple[date, str, str, str]], submission_id: str) -> None:
        """``events``: (reference date, employee ΑΦΜ, type 0/1, event time ISO) of one declaration."""
        puts = [{"PutRequest": {"Item": item({"PK": ledger_pk(tenant, employer),
                                              "SK": f"{ref.isoformat()}#{afm}#{kind}#{when}",
                                              "submission_id": submission_id})}}
                for ref, afm, kind, when in events]
        for start in range(0, len(puts), 25):
            pending: dict[str, Any] = {self.table: puts[start:start + 25]}
            for _ in range(5):
                left = self._ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems", {})
                if not left:
                    break
                pending = left

    def declared(self, tenant: str, employer: str, reference: date, employee: str, kind: str) -> bool:
        got = self._ddb.query(
            TableName=self.table, Limit=1, KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=values({":pk": ledger_pk(tenant, employer),
                                              ":prefix": f"{reference.isoformat()}#{employee}#{kind}#"}))
        return bool(got.get("Items"))
