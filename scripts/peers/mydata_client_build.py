"""Runs inside its own virtualenv with ``mydata-client`` (PyPI) installed: builds the same invoice
as ypovoli's benchmark with that library's xsdata dataclasses and serializes it, for N seconds,
and prints invoices per second. Kept out of the project's environment on purpose: mydata-client
and mydatanaut both install a top-level package called ``mydata``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mydata.client import serialize  # type: ignore[import-not-found]
from mydata.models_2_0_0 import InvoicesDoc  # type: ignore[import-not-found]
from xsdata_build import build  # type: ignore[import-not-found]  # the sibling module


def main() -> None:
    invoice = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    seconds = float(sys.argv[2])
    payload = {"invoice": [invoice]}
    xml = serialize(build(InvoicesDoc, payload))
    assert "invoiceDetails" in xml
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(10):
            serialize(build(InvoicesDoc, payload))
        done += 10
    print(json.dumps({"rate": done / elapsed, "bytes": len(xml)}))


if __name__ == "__main__":
    main()
