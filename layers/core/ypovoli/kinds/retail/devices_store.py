"""Fiscal devices (ΦΗΜ) and their e-sends, in the index table.

========================  ======================================  ===========================  =====================
item                      PK                                      SK                           GSIs
========================  ======================================  ===========================  =====================
device                    ``TENANT#{t}``                          ``DEVICE#{id}``              GSI1 by ΑΦΜ; GSI2 due
serial claim              ``TENANT#{t}``                          ``SERIAL#{afm}#{serial}``
e-send                    ``TENANT#{t}#FHMTX#{device}``           ``{sent_at}#{id}``
========================  ======================================  ===========================  =====================

GSI1 ``TENANT#{t}#DEVICES#{afm}`` lists a business's devices (the compliance view computes their
state on read). GSI2 ``FHM#{shard}`` / ``{due_at}#{t}#{id}`` holds each device until its cadence
lapses: the sweep reads only what is due, alerts once, and takes the entry off; the next e-send
puts it back at the new due time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...models.events import ComplianceEvent
from ...store import keys
from ...store.aws import TableStore
from ...store.events import event_put
from ...store.items import batch_get, conditional, item, plain, query_items, values
from .fiscal_device import Device, DeviceRequest


def devices_pk(tenant: str, afm: str) -> str:
    return f"{keys.tenant_pk(tenant)}#DEVICES#{afm}"


def due_pk(shard: int) -> str:
    return f"FHM#{shard}"


class SerialTaken(Exception):
    def __init__(self, device_id: str) -> None:
        super().__init__(device_id)
        self.device_id = device_id


def _device(data: dict[str, Any]) -> Device:
    fields = set(Device.model_fields)
    return Device.model_validate({k: v for k, v in data.items() if k in fields})


class FiscalDevices(TableStore):
    def _due_keys(self, tenant: str, device_id: str, due: dt.datetime) -> dict[str, str]:
        return {"GSI2PK": due_pk(keys.shard_of(device_id, self.shards)),
                "GSI2SK": keys.timed_sk(due, tenant, device_id)}

    def register(self, tenant: str, device_id: str, req: DeviceRequest, now: dt.datetime, due: dt.datetime) -> Device:
        device = Device(id=device_id, afm=req.afm, serial=req.serial, type=req.type, sector=req.sector,
                        books=req.books, vat_exempt=req.vat_exempt, registered_at=now, due_at=due)
        pk = keys.tenant_pk(tenant)
        serial_key = item({"PK": pk, "SK": f"SERIAL#{req.afm}#{req.serial}"})
        done = conditional(self._ddb.transact_write_items, TransactItems=[
            {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                     "Item": item({**plain(serial_key), "device_id": device_id})}},
            {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                     "Item": item({"PK": pk, "SK": f"DEVICE#{device_id}", **device.model_dump(mode="json"),
                                   "due_sk": keys.ts(due), "GSI1PK": devices_pk(tenant, req.afm),
                                   "GSI1SK": f"{req.serial}#{device_id}", **self._due_keys(tenant, device_id, due)})}},
        ])
        if done is None:
            got = self._ddb.get_item(TableName=self.table, Key=serial_key, ConsistentRead=True).get("Item")
            raise SerialTaken(str(got["device_id"]["S"]) if got else "")
        return device

    def get(self, tenant: str, device_id: str) -> Device | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": keys.tenant_pk(tenant), "SK": f"DEVICE#{device_id}"}))
        return _device(plain(got["Item"])) if "Item" in got else None

    def of_business(self, tenant: str, afm: str, limit: int = 1000) -> list[Device]:
        found = list(query_items(self._ddb, limit, TableName=self.table, IndexName="ByAfm",
                                 KeyConditionExpression="GSI1PK = :pk",
                                 ExpressionAttributeValues=values({":pk": devices_pk(tenant, afm)})))
        return [_device(plain(i)) for i in batch_get(self._ddb, self.table, found)]   # ByAfm: keys only

    def record_transmission(self, tenant: str, device: Device, tx_id: str, sent_at: dt.datetime, documents: int,
                            vat_amount: str, due: dt.datetime, now: dt.datetime) -> bool:
        """Keep the e-send; move the device's due time if this is its latest e-send. ``False`` when an
        e-send later than this one was already recorded (the due time stays where it is)."""
        tx = {"Put": {"TableName": self.table, "Item": item({
            "PK": f"{keys.tenant_pk(tenant)}#FHMTX#{device.id}", "SK": f"{keys.ts(sent_at)}#{tx_id}",
            "sent_at": sent_at.isoformat(), "documents": documents, "vat_amount": vat_amount,
            "recorded_at": now.isoformat()})}}
        due_keys = self._due_keys(tenant, device.id, due)
        moved = conditional(self._ddb.transact_write_items, TransactItems=[tx, {"Update": {
            "TableName": self.table, "Key": item({"PK": keys.tenant_pk(tenant), "SK": f"DEVICE#{device.id}"}),
            "ConditionExpression": "attribute_not_exists(last_sent_sk) OR last_sent_sk < :sent_sk",
            "UpdateExpression": "SET last_sent_at = :sent, last_sent_sk = :sent_sk, due_at = :due, due_sk = :due_sk,"
                                " GSI2PK = :g2pk, GSI2SK = :g2sk REMOVE alerted_for",
            "ExpressionAttributeValues": values({
                ":sent": sent_at.isoformat(), ":sent_sk": keys.ts(sent_at), ":due": due.isoformat(),
                ":due_sk": keys.ts(due),
                ":g2pk": due_keys["GSI2PK"], ":g2sk": due_keys["GSI2SK"]})}}])
        if moved is None:
            self._ddb.transact_write_items(TransactItems=[tx])
            return False
        return True

    def lapsed(self, shard: int, now: dt.datetime, limit: int = 500) -> list[tuple[str, str]]:
        """(tenant, device id) of every device whose cadence lapsed and was not yet alerted."""
        found = query_items(self._ddb, limit, min(100, limit), TableName=self.table, IndexName="Due",
                            KeyConditionExpression="GSI2PK = :pk AND GSI2SK < :now",
                            ExpressionAttributeValues=values({":pk": due_pk(shard), ":now": keys.ts(now)}))
        out = []
        for raw in found:
            _, tenant, device_id = str(raw["GSI2SK"]["S"]).split("#", 2)
            out.append((tenant, device_id))
        return out

    def alert_once(self, tenant: str, device: Device, event: ComplianceEvent) -> bool:
        """The lapse of ``device.due_at`` alerted, once: the event and the device leaving the due index
        are one transaction, conditional on the due time being still the one alerted."""
        return conditional(self._ddb.transact_write_items, TransactItems=[
            {"Update": {
                "TableName": self.table, "Key": item({"PK": keys.tenant_pk(tenant), "SK": f"DEVICE#{device.id}"}),
                "ConditionExpression": "due_sk = :due",
                "UpdateExpression": "SET alerted_for = :due REMOVE GSI2PK, GSI2SK",
                "ExpressionAttributeValues": values({":due": keys.ts(device.due_at)})}},
            event_put(self.table, tenant, event, self.shards)]) is not None
