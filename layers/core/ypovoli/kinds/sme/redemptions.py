"""What the voucher pre-checks remember: for a check that names its invoice, the eligible quantities
that later checks count as earlier redemptions.

Items: ``TENANT#{t}#VOUCHERS#{afm}`` / ``{product code}#{invoice}`` (the eligible quantity of that line,
replaced by a new check of the same invoice).
"""

from __future__ import annotations

from decimal import Decimal

from ...store import keys
from ...store.aws import TableStore
from ...store.items import item, plain, query_items, values


class Redemptions(TableStore):
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
