"""``mydata-client`` 0.3.3, unchanged, against ypovoli's drop-in myDATA door: ``base_url`` is the only
change (docs/clients.md). SendInvoices, RequestTransmittedDocs, RequestDocs (AADE's alone: the answer
says what to use instead) and a wrong key (the answer names the header this client sends)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mydata.client import Client


def client(url: str, key: str) -> Client:
    made = Client(username="erp-user", token=key, prod=False)
    made.base_url = f"{url}/v1/mydata/"
    return made


def main() -> None:
    url, key = os.environ["YPOVOLI_URL"], os.environ["YPOVOLI_KEY"]
    xml = Path(os.environ["YPOVOLI_INVOICE_XML"]).read_text(encoding="utf-8")
    out: dict[str, object] = {}
    [entry] = client(url, key).send_invoices(xml).response
    out["send_invoices"] = {"status": entry.status_code, "mark": entry.invoice_mark, "uid": entry.invoice_uid}
    docs = client(url, key).request_transmitted_docs(mark=0)
    out["request_transmitted_docs"] = {"marks": [d.mark for d in (docs.invoices_doc.invoice if docs.invoices_doc
                                                                    else [])]}
    for name, call in (("request_docs", lambda: client(url, key).request_docs(mark=0)),
                       ("wrong_key", lambda: client(url, "not-a-key").send_invoices(xml))):
        try:
            call()
            out[name] = {"refused": False}
        except RuntimeError as exc:
            out[name] = {"refused": True, "message": str(exc)}
    print(json.dumps(out, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
