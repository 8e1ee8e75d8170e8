"""Outage reports (seed 004): the distinct listing of documents sent under the outage procedure and
the monthly aggregate statistics per issuer — on request, and written to S3 each month for the
previous month (the provider's duty is "by the end of the following month")."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from .. import clock
from ..deadlines import athens_date
from ..models.reports import IssuerStats, OutageDocument, OutageReport
from .deps import Deps

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def valid_month(month: str) -> bool:
    """`YYYY-MM` of a month that has days (year 0000 has none: Python's calendar starts at 1)."""
    found = MONTH.fullmatch(month)
    return found is not None and int(found.group(1)) >= 1


def previous_month(now: datetime) -> str:
    today = athens_date(now)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def build_report(month: str, documents: list[OutageDocument], generated_at: datetime) -> OutageReport:
    """Pure: the listing sorted by issuer and time, and one line of statistics per issuer."""
    documents = sorted(documents, key=lambda d: (d.issuer_afm, d.transmitted_at, d.id))
    by_issuer: dict[str, list[OutageDocument]] = defaultdict(list)
    for document in documents:
        by_issuer[document.issuer_afm].append(document)
    issuers = []
    for afm, docs in sorted(by_issuer.items()):
        indicators: dict[str, int] = defaultdict(int)
        for d in docs:
            indicators[str(d.transmission_failure)] += 1
        longest = max((d.transmitted_at - d.first_failure_at).total_seconds() for d in docs)
        issuers.append(IssuerStats(
            issuer_afm=afm, documents=len(docs), by_indicator=dict(sorted(indicators.items())),
            late=sum(1 for d in docs if d.late),
            net_value=sum((d.net_value for d in docs), Decimal(0)),
            vat_amount=sum((d.vat_amount for d in docs), Decimal(0)),
            total_value=sum((d.total_value for d in docs), Decimal(0)),
            first_failure_at=min(d.first_failure_at for d in docs),
            last_transmitted_at=max(d.transmitted_at for d in docs),
            longest_delay_hours=(Decimal(str(longest)) / 3600).quantize(Decimal("0.01")),
        ))
    return OutageReport(month=month, generated_at=generated_at, documents=documents, issuers=issuers)


def outage_report(deps: Deps, tenant: str, month: str, afms: set[str] | None = None) -> OutageReport:
    """``afms``: only these issuers (the API shows what the tenant manages today)."""
    documents = [d for d in deps.outages.month(tenant, month) if afms is None or d.issuer_afm in afms]
    return build_report(month, documents, clock.now())


def report_key(tenant: str, month: str) -> str:
    return f"tenants/{tenant}/reports/outages/{month}.json"


def write_monthly_reports(deps: Deps, month: str | None = None) -> dict[str, int]:
    """Every tenant's report for ``month`` (default: the previous Athens month) → S3. Rewriting a
    month gives the same listing (reruns are harmless); returns documents per tenant."""
    month = month or previous_month(clock.now())
    written: dict[str, int] = {}
    for tenant in deps.index.list_tenants():
        report = outage_report(deps, tenant, month)
        deps.dossiers.put_json(report_key(tenant, month), report.model_dump(mode="json"))
        written[tenant] = len(report.documents)
    return written
