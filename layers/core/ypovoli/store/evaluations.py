"""Evaluated requests kept as dossiers (a kind checked and kept, never transmitted): the request and
the answer in S3, an index item to find them by id.

Items: ``TENANT#{t}`` / ``EVAL#{id}`` (kind, ΑΦΜ, time, dossier prefix).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import keys
from .aws import TableStore
from .items import item, plain


class Evaluations(TableStore):
    def record(self, tenant: str, evaluation_id: str, kind: str, afm: str, now: dt.datetime, dossier: str) -> None:
        self._ddb.put_item(TableName=self.table, ConditionExpression="attribute_not_exists(PK)", Item=item({
            "PK": keys.tenant_pk(tenant), "SK": f"EVAL#{evaluation_id}", "id": evaluation_id, "kind": kind,
            "afm": afm, "created_at": now.isoformat(), "dossier": dossier}))

    def get(self, tenant: str, evaluation_id: str) -> dict[str, Any] | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": keys.tenant_pk(tenant), "SK": f"EVAL#{evaluation_id}"}))
        return plain(got["Item"]) if "Item" in got else None
