"""What a person searches the console by, kept as exact-match index entries (never a scan): a
document's number, an employee's ΑΦΜ and surname, a project code — each a term pointing at the
submission or dossier, newest first. MARKs and protocols have their own items (``MARK#``,
``PROTO#``), written with the receipt.

==============================  ===================================  ==============================
item                            PK                                   SK
==============================  ===================================  ==============================
a term of a document            ``TENANT#{t}#FIND#{term}``           ``{created}#{id}``
==============================  ===================================  ==============================

The entries are advisory: written after the submission's own commit, a lost one costs a search hit,
never a submission.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from . import keys
from .aws import TableStore
from .items import batch_write, item, plain, values

#: At most this many terms per document (a card of 200 employees is not 400 index writes).
MAX_TERMS = 12


def term(text: str) -> str:
    """A search term as typed or as stored: accents off, case folded to capitals, separators out —
    «Α-101», «α 101» and «A101» (Latin A) are one term only if the letters are the same letters."""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-/._·]+", "", bare).upper()[:60]


def _pk(tenant: str, word: str) -> str:
    return f"{keys.tenant_pk(tenant)}#FIND#{word}"


class SearchIndex(TableStore):
    def add(self, tenant: str, terms: Iterable[str], created_at: datetime, ident: str, afm: str,
            what: str = "submission") -> None:
        words = sorted({t for t in (term(x) for x in terms) if t})[:MAX_TERMS]
        if not words:
            return
        requests: list[dict[str, Any]] = [{"PutRequest": {"Item": item({
            "PK": _pk(tenant, w), "SK": f"{keys.ts(created_at)}#{ident}", "id": ident, "afm": afm, "what": what})}}
            for w in words]
        batch_write(self._ddb, self.table, requests)

    def find(self, tenant: str, text: str, limit: int = 50) -> list[tuple[str, str, str]]:
        """(what, id, ΑΦΜ) of the documents with this term, newest first."""
        word = term(text)
        if not word:
            return []
        got = self._ddb.query(TableName=self.table, Limit=limit, ScanIndexForward=False,
                              KeyConditionExpression="PK = :pk",
                              ExpressionAttributeValues=values({":pk": _pk(tenant, word)}))
        return [(str(p.get("what", "submission")), str(p["id"]), str(p.get("afm", "")))
                for p in (plain(i) for i in got.get("Items", []))]
