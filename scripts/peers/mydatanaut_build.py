"""Runs inside its own virtualenv with ``mydatanaut`` (PyPI) installed: builds the same invoice with
its ``Invoice`` / ``InvoicesDocument`` classes and serializes it with its own serializer
(``as_xml``), for N seconds, and prints invoices per second."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mydata.models.invoice import Invoice  # type: ignore[import-not-found]
from mydata.models.invoices_document import InvoicesDocument  # type: ignore[import-not-found]
from xsdata_build import build  # type: ignore[import-not-found]  # the sibling module


def main() -> None:
    invoice = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    seconds = float(sys.argv[2])

    def once() -> str:
        return str(InvoicesDocument([build(Invoice, invoice)]).as_xml())

    xml = once()
    assert "invoiceDetails" in xml
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(10):
            once()
        done += 10
    print(json.dumps({"rate": done / elapsed, "bytes": len(xml)}))


if __name__ == "__main__":
    main()
