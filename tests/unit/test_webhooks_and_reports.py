"""Pure parts of webhooks (signatures, target checks) and of the outage report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from ypovoli.models.reports import OutageDocument
from ypovoli.services.reports import build_report, previous_month, valid_month
from ypovoli.webhooks.signing import signature, verify
from ypovoli.webhooks.targets import TargetRefused, check_url

NOW = 1_795_428_000


def test_signature_verifies_only_the_same_body_secret_and_a_fresh_timestamp() -> None:
    header = signature("whsec_a", NOW, b'{"x":1}')
    assert header.startswith(f"t={NOW},v1=") and len(header.split("v1=")[1]) == 64
    assert verify("whsec_a", header, b'{"x":1}', NOW + 299)
    assert not verify("whsec_a", header, b'{"x":2}', NOW)
    assert not verify("whsec_b", header, b'{"x":1}', NOW)
    assert not verify("whsec_a", header, b'{"x":1}', NOW + 301)  # replayed too late
    assert not verify("whsec_a", "garbage", b'{"x":1}', NOW)
    assert not verify("whsec_a", "t=abc,v1=00", b'{"x":1}', NOW)


@pytest.mark.parametrize("url", [
    "http://8.8.8.8/h", "https://10.1.2.3/h", "https://172.16.0.1/h", "https://192.168.1.1/h",
    "https://127.0.0.1/h", "https://[::1]/h", "https://[fe80::1]/h", "https://169.254.169.254/h",
    "https://0.0.0.0/h", "https://100.64.0.1/h", "https://224.0.0.1/h", "https://u:p@8.8.8.8/h",
    "https://8.8.8.8/h#frag", "https://8.8.8.8:99999/h", "file:///etc/passwd", "gopher://8.8.8.8/",
])
def test_private_insecure_or_odd_targets_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_url(url, allow_private=False)


def test_public_https_targets_are_accepted_and_loopback_only_when_allowed() -> None:
    assert check_url(" https://8.8.8.8:443/hooks?x=1 ", allow_private=False) == "https://8.8.8.8:443/hooks?x=1"
    assert check_url("https://[2001:4860:4860::8888]/h", allow_private=False)
    assert check_url("http://127.0.0.1:9000/h", allow_private=True) == "http://127.0.0.1:9000/h"
    assert check_url("https://hooks.example/h", allow_private=False, resolve=False)


def _doc(n: int, afm: str, indicator: int, hours: int, late: bool = False) -> OutageDocument:
    first = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    return OutageDocument(
        id=f"s{n}", issuer_afm=afm, issue_date="2026-11-03", document_number=f"A-{n}", net_value=Decimal("100.00"),
        vat_amount=Decimal("24.00"), total_value=Decimal("124.00"), document_type="1.1", uid=f"U{n}", mark=n,
        transmission_failure=indicator, first_failure_at=first, transmitted_at=first + timedelta(hours=hours),
        grace_until=first + timedelta(days=2), late=late,
    )


def test_report_groups_by_issuer_with_sums_indicators_and_longest_delay() -> None:
    docs = [_doc(1, "800123456", 3, 5), _doc(2, "094019245", 2, 1), _doc(3, "800123456", 2, 30, late=True)]
    report = build_report("2026-11", docs, datetime(2026, 12, 1, tzinfo=UTC))
    assert [d.id for d in report.documents] == ["s2", "s1", "s3"]  # by issuer, then time
    by_afm = {s.issuer_afm: s for s in report.issuers}
    assert by_afm["800123456"].documents == 2 and by_afm["800123456"].by_indicator == {"2": 1, "3": 1}
    assert by_afm["800123456"].late == 1 and by_afm["800123456"].vat_amount == Decimal("48.00")
    assert by_afm["800123456"].longest_delay_hours == Decimal("30.00")
    assert by_afm["094019245"].total_value == Decimal("124.00")
    assert build_report("2026-11", [], datetime(2026, 12, 1, tzinfo=UTC)).issuers == []


def test_previous_month_follows_athens_time_and_wraps_the_year() -> None:
    assert previous_month(datetime(2026, 12, 1, 0, 30, tzinfo=UTC)) == "2026-11"
    assert previous_month(datetime(2026, 11, 30, 22, 30, tzinfo=UTC)) == "2026-11"  # 00:30 on 1 Dec in Athens
    assert previous_month(datetime(2027, 1, 15, tzinfo=UTC)) == "2026-12"
    assert valid_month("2026-01") and not valid_month("2026-00") and not valid_month("26-01")
