"""``mydatapy`` 0.1.1, unchanged, against ypovoli's drop-in myDATA door: its ``base_url`` argument is the
only change (docs/clients.md). It offers one call, SendInvoices, of an XML its user wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mydatapy.client import MyDataClient


def main() -> None:
    client = MyDataClient(user_id="erp-user", api_key=os.environ["YPOVOLI_KEY"],
                          base_url=f"{os.environ['YPOVOLI_URL']}/v1/mydata")
    result = client.send_invoice(Path(os.environ["YPOVOLI_INVOICE_XML"]).read_text(encoding="utf-8"))
    print(json.dumps({"send_invoice": result}, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
