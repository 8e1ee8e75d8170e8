"""``ypovoli validate`` (issue 16 §5): offline, the same parse, rules and XSD as intake — so the same
findings as the API gives for the same file, with no network and nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner
from ypovoli_local.cli import app

from tests.factories import ROOT, invoice
from tests.integration.conftest import World
from tests.integration.test_api import call


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.output


def test_offline_findings_are_the_apis_findings(world: World, tmp_path: Path) -> None:
    wrong = invoice(aa="V-1", issue_date=world.clock.now().date())
    wrong["invoiceSummary"]["totalGrossValue"] = "125.00"
    wrong["issuer"]["vatNumber"] = "800123456"
    status, refused = call("POST", "/v1/invoices", body=wrong)
    assert status == 422
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")

    from ypovoli.services.offline import identify, offline_settings, validate

    offline = validate(identify(path.read_bytes()), world.clock.now(), offline_settings())
    assert [f.model_dump(mode="json") for f in offline] == refused["findings"]
    code, output = _validate(str(path))
    assert code == 1 and "MYDATA-TOTALS" in output


def test_a_good_file_passes_and_an_unknown_one_is_named(world: World, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(invoice(aa="V-2", issue_date=world.clock.now().date())), encoding="utf-8")
    assert _validate(str(good))[0] == 0
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": "world"}', encoding="utf-8")
    code, output = _validate(str(odd))
    assert code == 1 and "REQUEST-BODY" in output and "Unknown document" in output


def test_the_shipped_zip_and_xml_are_checked_offline_too(world: World) -> None:
    code, output = _validate(str(ROOT / "examples" / "ΚΡ-67890_ΕΝΔΙΑΜΕΣΟ.zip"), "--afm", "800123456")
    assert code == 0 and "pske_upload" in output, output
    assert _validate(str(ROOT / "examples" / "ΚΡ-67890_ΕΝΔΙΑΜΕΣΟ.zip"))[0] == 2   # a zip needs its ΑΦΜ
    code, output = _validate(str(ROOT / "examples" / "invoices-doc.xml"))
    assert "mydata_invoices_doc" in output and "MYDATA-SCHEMA" not in output
