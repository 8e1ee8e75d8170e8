"""Evaluated requests kept as dossiers (voucher pre-checks, repayable-advance calculations): the
request and the answer in S3, an index item to find them by id, and — for voucher checks that name
their invoice — the eligible quantities that later checks count as earlier redemptions.

Items: ``TENANT#{t}`` / ``EVAL#{id}`` (kind, ΑΦΜ, time, dossier prefix); ``TENANT#{t}#VOUCHERS#{afm}`` /
``{product code}#{invoice}`` (the eligible quantity of that line, replaced by a new check of the same
invoice).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import keys
from .aws import TableStore
from .items import item, plain, query_items, values


class Evaluations(TableStore):
    def record(self, tenant: str, evaluation_id: str, kind: str, afm: str, now: dt.datetime, dossier: str) -> None:
        self._ddb.put_item(TableName=self.table, ConditionExpression="attribute_not_exists(PK)", Item=item({
            "PK": keys.tenant_pk(tenant), "SK": f"EVAL#{evaluation_id}", "id": evaluation_id, "kind": kind,
            "afm": afm, "created_at": now.isoformat(), "dossier": dossier}))

    def get(self, tenant: str, evaluation_id: str) -> dict[str, Any] | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": keys.tenant_pk(tenant), "SK": f"EVAL#{evaluation_id}"}))
        return plain(got["Item"]) if "Item" in got else None

    def redeemed(self, tenant: str, afm: str, codes: list[str], other_than: str | None) -> dict[str, Decimal]:
        """Units of each product this business redeemed on invoices other than ``other_than``."""
        out: dict[str, Decimal] = {}
        for code in sorted(set(codes)):
            for raw in query_items(self._ddb, TableName=self.table,
                                   KeyConditionExpression="PK = :pk AND begins_with(SK, :code)",
                                   ExpressionAttributeValues=values({
                                       ":pk": f"{keys.tenant_pk(tenant)}#VOUCHERS#{afm}", ":code": f"{code}#"})):
                data = plain(raw)
                if str(data["SK"]).split("#", 1)[1] != other_than:
                    out[code] = out.get(code, Decimal(0)) + Decimal(str(data["quantity"]))
        return out

    def keep_redeemed(self, tenant: str, afm: str, invoice: str, quantities: dict[str, Decimal],
                      evaluation_id: str) -> None:
        for code, quantity in quantities.items():
            self._ddb.put_item(TableName=self.table, Item=item({
                "PK": f"{keys.tenant_pk(tenant)}#VOUCHERS#{afm}", "SK": f"{code}#{invoice}",
                "quantity": quantity, "evaluation_id": evaluation_id}))
