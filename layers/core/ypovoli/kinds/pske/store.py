"""ΠΣΚΕ history and dossier records, in the index table.

History of a project (partition ``PSKE#{afm}#{project}``): one item per invoice or payment record
ever registered (``INV|…`` / ``PAY|…`` identities, written with ``attribute_not_exists`` so two
requests racing for one document cannot both register it), one ``REQ#{id}`` item per accepted
request with what it linked and what survived its cuts, per expense and per invoice, and
``#PROJECT`` (the latest approved Technical Annex, so a drop-folder upload carrying only a CSV
register can be checked against it). The
partition is per ΑΦΜ and project, whatever tenant or channel registered the records.

Dossier records: ``TENANT#{tenant}`` / ``DOSSIER#{id}``, listed per ΑΦΜ through GSI1 under
``TENANT#{tenant}#AFM#{afm}#DOSSIERS`` (apart from submissions, which share the index).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from ...store import keys
from ...store.aws import TableStore
from ...store.items import batch_get, condition_failed, conditional, item, plain, query_items, values
from ...store.pages import Listing, query_page
from .history import History, identity
from .model import AuditLetter, DossierView, PaymentRequestBody, Project

PROJECT_SK = "#PROJECT"


def history_pk(afm: str, project_code: str) -> str:
    return f"PSKE#{afm}#{project_code}"


def dossiers_gsi_pk(tenant: str, afm: str) -> str:
    return f"{keys.by_afm_pk(tenant, afm)}#DOSSIERS"


def _amounts(amounts: dict[str, Decimal]) -> str:
    return json.dumps({key: str(value) for key, value in amounts.items()})


class Conflict(Exception):
    """Another request registered one of these records first."""


class PskeStore(TableStore):
    # ---- history ------------------------------------------------------------------------------

    def _partition(self, afm: str, project_code: str) -> list[dict[str, Any]]:
        return [plain(i) for i in query_items(
            self._ddb, TableName=self.table, KeyConditionExpression="PK = :pk", ConsistentRead=True,
            ExpressionAttributeValues=values({":pk": history_pk(afm, project_code)}))]

    def history(self, afm: str, project_code: str, exclude_request: str | None = None) -> History:
        """The project's earlier requests; ``exclude_request`` leaves out what that very request wrote
        (a redelivered upload must not find its own records as duplicates)."""
        invoices: dict[str, str] = {}
        payments: dict[str, str] = {}
        values: dict[str, Decimal] = {}
        requested: dict[str, Decimal] = {}
        certified: dict[str, Decimal] = {}
        invoice_certified: dict[str, Decimal] = {}
        predicted: set[str] = set()
        audited: set[str] = set()

        def add(into: dict[str, Decimal], amounts: dict[str, str]) -> None:
            for key, value in amounts.items():
                into[key] = into.get(key, Decimal(0)) + Decimal(value)

        for entry in self._partition(afm, project_code):
            sk = str(entry["SK"])
            if exclude_request and (entry.get("request_id") == exclude_request or sk == f"REQ#{exclude_request}"):
                continue
            if sk.startswith(("INV|", "PAY|")):
                (invoices if sk.startswith("INV|") else payments)[sk] = str(entry["request_id"])
                if "value" in entry:
                    values[sk] = Decimal(str(entry["value"]))
            elif sk.startswith("REQ#"):
                linked = json.loads(str(entry["requested"]))
                add(requested, linked)
                # Requests filed before issue 12 §4 kept no certifiable figures: what they linked stands in.
                guessed = json.loads(str(entry.get("certified") or entry["requested"]))
                letter = json.loads(str(entry["audit"])) if entry.get("audit") else None
                if letter is None:   # no audit letter recorded: ypovoli's prediction of the audit
                    add(certified, guessed)
                    add(invoice_certified, json.loads(str(entry.get("invoice_certified") or "{}")))
                    predicted.update(guessed)
                    continue
                # The authority's figures where its letter gives them; the prediction for the rest.
                add(certified, {**guessed, **letter["expenses"]})
                add(invoice_certified, {**json.loads(str(entry.get("invoice_certified") or "{}")),
                                        **letter["invoices"]})
                audited.update(letter["expenses"])
                predicted.update(set(guessed) - set(letter["expenses"]))
        return History(invoices=invoices, payments=payments, requested=requested, certified=certified,
                       invoice_certified=invoice_certified, values=values, predicted=frozenset(predicted),
                       audited=frozenset(audited))

    def record_audit(self, afm: str, project_code: str, request_id: str, letter: AuditLetter,
                     now: datetime) -> list[str] | None:
        """The authority's audit letter for request ``request_id``, kept on its history entry (a later
        letter for the same request replaces it). Invoices are named by their ref in that request and kept
        by their identity. ``None``: the request registered nothing (it was refused); else the refs the
        request does not hold (nothing is recorded then)."""
        refs: dict[str, str] = {}
        for entry in self._partition(afm, project_code):
            if str(entry["SK"]).startswith("INV|") and entry.get("ref"):
                refs.setdefault(str(entry["ref"]), str(entry["SK"]))
                if entry.get("request_id") == request_id:
                    refs[str(entry["ref"])] = str(entry["SK"])
        unknown = [ref for ref in letter.invoices if ref not in refs]
        if unknown:
            return unknown
        audit = {"reference": letter.reference, "date": letter.date.isoformat() if letter.date else None,
                 "expenses": {k: str(v) for k, v in letter.expenses.items()},
                 "invoices": {refs[k]: str(v) for k, v in letter.invoices.items()}, "recorded_at": now.isoformat()}
        try:
            self._ddb.update_item(
                TableName=self.table, Key=item({"PK": history_pk(afm, project_code), "SK": f"REQ#{request_id}"}),
                ConditionExpression="attribute_exists(PK)", UpdateExpression="SET audit = :a",
                ExpressionAttributeValues=values({":a": json.dumps(audit, ensure_ascii=False)}))
        except ClientError as exc:
            if condition_failed(exc):
                return None
            raise
        return []

    def project(self, afm: str, project_code: str) -> Project | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": history_pk(afm, project_code), "SK": PROJECT_SK}))
        return Project.model_validate_json(str(got["Item"]["project"]["S"])) if "Item" in got else None

    def register(self, body: PaymentRequestBody, request_id: str, tenant: str, now: datetime,
                 certified: Sequence[Decimal] | None = None) -> None:
        """Record this request's new invoices and payments, what it linked and what survives its cuts
        per expense (``certified``: one figure per expense link, as the rules left it) and the project.
        All or nothing: on a :class:`Conflict` whatever was written is removed again."""
        pk = history_pk(body.afm, body.project.code)
        written: list[str] = []
        requested: dict[str, Decimal] = defaultdict(Decimal)
        by_expense: dict[str, Decimal] = defaultdict(Decimal)
        by_invoice: dict[str, Decimal] = defaultdict(Decimal)
        invoices = {record.ref: record for record in body.invoices}
        kept = list(certified) if certified is not None else [link.value for link in body.expense_links]
        for link, value in zip(body.expense_links, kept, strict=True):
            requested[link.expense] += link.value
            by_expense[link.expense] += value
            if link.invoice in invoices:
                by_invoice[identity(invoices[link.invoice])] += value
        try:
            for record in [*body.invoices, *body.payments]:
                if record.existing:
                    continue
                sk = identity(record)
                self._ddb.put_item(
                    TableName=self.table,
                    ConditionExpression="attribute_not_exists(PK) OR request_id = :mine",
                    ExpressionAttributeValues=values({":mine": request_id}),
                    Item=item({"PK": pk, "SK": sk, "request_id": request_id, "tenant": tenant, "ref": record.ref,
                               "value": str(record.value), "registered_at": now.isoformat()}))
                written.append(sk)
        except ClientError as exc:
            if not condition_failed(exc):
                raise
            for sk in written:
                self._ddb.delete_item(TableName=self.table, Key=item({"PK": pk, "SK": sk}))
            raise Conflict(request_id) from None
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": pk, "SK": f"REQ#{request_id}", "tenant": tenant, "request_type": body.request_type,
            "requested": _amounts(requested), "certified": _amounts(by_expense),
            "invoice_certified": _amounts(by_invoice), "registered_at": now.isoformat()}))
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": pk, "SK": PROJECT_SK, "project": body.project.model_dump_json(), "updated_at": now.isoformat()}))

    # ---- dossier records ------------------------------------------------------------------------

    def put_dossier(self, tenant: str, view: DossierView, report_prefix: str) -> None:
        data = view.model_dump(mode="json", exclude={"report_url"})
        data.update({"PK": keys.tenant_pk(tenant), "SK": f"DOSSIER#{view.id}", "tenant": tenant,
                     "report_prefix": report_prefix,
                     "GSI1PK": dossiers_gsi_pk(tenant, view.afm),
                     "GSI1SK": f"{keys.ts(view.created_at)}#{view.id}"})
        self._ddb.put_item(TableName=self.table, Item=item(json.loads(json.dumps(data), parse_float=Decimal)))

    def create_pending(self, tenant: str, view: DossierView, report_prefix: str) -> bool:
        data = view.model_dump(mode="json", exclude={"report_url"})
        data.update({"PK": keys.tenant_pk(tenant), "SK": f"DOSSIER#{view.id}", "tenant": tenant,
                     "report_prefix": report_prefix, "GSI1PK": dossiers_gsi_pk(tenant, view.afm),
                     "GSI1SK": f"{keys.ts(view.created_at)}#{view.id}"})
        return conditional(self._ddb.put_item, TableName=self.table, ConditionExpression="attribute_not_exists(PK)",
                           Item=item(json.loads(json.dumps(data), parse_float=Decimal))) is not None

    def get_dossier(self, tenant: str, dossier_id: str) -> tuple[DossierView, str] | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": keys.tenant_pk(tenant), "SK": f"DOSSIER#{dossier_id}"}))
        if "Item" not in got:
            return None
        data = plain(got["Item"])
        return DossierView.model_validate(data), str(data.get("report_prefix", ""))

    def list_dossiers(self, tenant: str, afm: str, limit: int = 50,
                      cursor: str | None = None) -> tuple[list[DossierView], str | None]:
        """One page of the ΑΦΜ's dossiers, newest first, and the next page's cursor."""
        pk = dossiers_gsi_pk(tenant, afm)
        listing = Listing(("PK", "SK", "GSI1PK", "GSI1SK"), {"GSI1PK": pk, "PK": keys.tenant_pk(tenant)})
        found, next_cursor = query_page(self._ddb, listing, limit, cursor,
                                        lambda page: batch_get(self._ddb, self.table, page),   # ByAfm: keys only
                                        TableName=self.table, IndexName="ByAfm", ScanIndexForward=False,
                                        KeyConditionExpression="GSI1PK = :pk",
                                        ExpressionAttributeValues=values({":pk": pk}))
        return [DossierView.model_validate(plain(i)) for i in found], next_cursor
