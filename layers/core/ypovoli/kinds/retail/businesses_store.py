"""Businesses a tenant registered (SPEC §3 `POST /v1/businesses`; REG-ACCOUNT), in the index table.

==============================  ==============================  ==========================================
item                            PK                              SK
==============================  ==============================  ==========================================
registration                    ``TENANT#{t}``                  ``BIZ#{afm}#{ame or "-"}``
what the ΑΦΜ is registered as   ``TENANT#{t}``                  ``BIZREG#{afm}`` (``whole`` or the ΑΜΕ set)
e-mail / username claim         ``TENANT#{t}``                  ``EMAIL#{lower-case}`` / ``USER#{lower-case}``
==============================  ==============================  ==========================================

One transaction writes all four, each conditional, so two racing registrations can never both take
an e-mail, a username or an ΑΦΜ; a refusal names which condition failed. The ΑΦΜ then joins the
tenant's managed list (its businesses and its ΑΦΜ are one list).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from botocore.exceptions import ClientError

from ...store import keys
from ...store.aws import TableStore
from ...store.items import condition_failed, conditional, item, plain, query_items, values
from .business import BusinessRequest, Registration, email_key

#: The transaction's items in order: what each refusal means.
TAKEN = ("registration", "afm", "email", "username")


class Taken(Exception):
    def __init__(self, what: list[str]) -> None:
        super().__init__(", ".join(what))
        self.what = what


class Businesses(TableStore):
    def register(self, tenant: str, req: BusinessRequest, now: dt.datetime) -> Registration:
        """All or nothing; :class:`Taken` names what someone had already (registration, afm, email,
        username)."""
        pk = keys.tenant_pk(tenant)
        registration = Registration(afm=req.afm, ame=req.ame, entity=req.entity, employer=req.employer,
                                    ergani_activated_on=req.ergani_activated_on, email=req.email,
                                    username=req.username, name=req.name, registered_at=now)
        if req.ame is None:   # the whole business: nothing else may be registered for this ΑΦΜ
            marker: dict[str, Any] = {"Put": {
                "TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                "Item": item({"PK": pk, "SK": f"BIZREG#{req.afm}", "mode": "whole"})}}
        else:                 # once per ΑΜΕ, never beside a whole registration
            marker = {"Update": {
                "TableName": self.table, "Key": item({"PK": pk, "SK": f"BIZREG#{req.afm}"}),
                "ConditionExpression": "attribute_not_exists(PK) OR (#m = :mode AND NOT contains(ames, :a))",
                "UpdateExpression": "SET #m = :mode ADD ames :set",
                "ExpressionAttributeNames": {"#m": "mode"},
                "ExpressionAttributeValues": values({":mode": "ame", ":a": req.ame, ":set": {req.ame}})}}
        claim = {"afm": req.afm, "ame": req.ame}
        try:
            self._ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                         "Item": item({"PK": pk, "SK": f"BIZ#{req.afm}#{req.ame or '-'}",
                                       **registration.model_dump(mode="json")})}},
                marker,
                {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                         "Item": item({"PK": pk, "SK": f"EMAIL#{email_key(req.email)}", **claim})}},
                {"Put": {"TableName": self.table, "ConditionExpression": "attribute_not_exists(PK)",
                         "Item": item({"PK": pk, "SK": f"USER#{req.username.lower()}", **claim})}},
            ])
        except ClientError as exc:
            if not condition_failed(exc):
                raise
            reasons = exc.response.get("CancellationReasons", [])
            taken = [what for what, reason in zip(TAKEN, reasons, strict=False)
                     if reason.get("Code") == "ConditionalCheckFailed"]
            raise Taken(taken or ["registration"]) from None
        # The ΑΦΜ joins the tenant's list (kept once; already there is fine).
        conditional(self._ddb.update_item, TableName=self.table, Key=item({"PK": pk, "SK": keys.TENANT_SK}),
                    UpdateExpression="SET afms = list_append(if_not_exists(afms, :empty), :new)",
                    ConditionExpression="attribute_exists(PK) AND NOT contains(afms, :afm)",
                    ExpressionAttributeValues=values({":empty": [], ":new": [req.afm], ":afm": req.afm}))
        return registration

    def books(self, tenant: str, afm: str) -> str | None:
        """The business's books as its settings say («single» | «double»), or ``None`` when never set."""
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": keys.tenant_pk(tenant), "SK": f"SETTINGS#{afm}"}))
        return str(got["Item"]["books"]["S"]) if "Item" in got and "books" in got["Item"] else None

    def set_books(self, tenant: str, afm: str, books: str, now: dt.datetime) -> None:
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": keys.tenant_pk(tenant), "SK": f"SETTINGS#{afm}", "books": books, "updated_at": now.isoformat()}))

    def registrations(self, tenant: str, afm: str | None = None) -> list[Registration]:
        found = query_items(self._ddb, TableName=self.table,
                            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                            ExpressionAttributeValues=values({":pk": keys.tenant_pk(tenant),
                                                              ":prefix": f"BIZ#{afm}#" if afm else "BIZ#"}))
        fields = set(Registration.model_fields)
        return [Registration.model_validate({k: v for k, v in plain(i).items() if k in fields}) for i in found]
