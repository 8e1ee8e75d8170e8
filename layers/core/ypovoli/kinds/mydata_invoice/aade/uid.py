"""The myDATA invoice uid: AADE's natural key of a document, computed locally.

Upper-case hex SHA-1 of ``issuerVat-issueDate-branch-invoiceType-series-aa`` (plus
``-invoiceVariationType`` when present), encoded ISO-8859-7 so that Greek series letters hash as AADE
hashes them (shared/reference/mydata-api.md §1.8). It is our dedup key and reconciliation key.
"""

from __future__ import annotations

import hashlib

from ..model import Invoice


def invoice_uid(invoice: Invoice) -> str:
    issuer = invoice.issuer
    header = invoice.invoiceHeader
    vat = issuer.vatNumber if issuer else ""
    branch = issuer.branch if issuer else 0
    parts = [vat, header.issueDate.isoformat(), str(branch), header.invoiceType, header.series, header.aa]
    if header.invoiceVariationType is not None:
        parts.append(str(header.invoiceVariationType))
    raw = "-".join(parts).encode("iso-8859-7", errors="replace")
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest().upper()
