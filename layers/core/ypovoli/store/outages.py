"""Outage records: one per document sent with the outage indicator, partitioned by tenant and
Athens month of transmission, written in the same transaction that records the transmission."""

from __future__ import annotations

from typing import Any

from ..deadlines import athens_date
from ..models.reports import OutageDocument
from . import keys
from .aws import client
from .items import item, plain, query_items, values


def month_of(document: OutageDocument) -> str:
    return athens_date(document.transmitted_at).strftime("%Y-%m")


def outage_put(table: str, tenant: str, document: OutageDocument) -> dict[str, Any]:
    data = document.model_dump(mode="json")
    data.update({"PK": keys.outages_pk(tenant, month_of(document)),
                 "SK": f"{document.issuer_afm}#{keys.ts(document.transmitted_at)}#{document.id}"})
    return {"Put": {"TableName": table, "Item": item(data)}}


class OutageRecords:
    def __init__(self, table: str) -> None:
        self.table = table

    def month(self, tenant: str, month: str) -> list[OutageDocument]:
        return [OutageDocument.model_validate(plain(i)) for i in query_items(
            client("dynamodb"), TableName=self.table, KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues=values({":pk": keys.outages_pk(tenant, month)}))]
