"""A function's init without the garbage collector (issue 17 §2). Imported first by every
``functions/*/app.py``, before boto3 and Powertools; ``settle()`` is the last line of each.

Loading a function's modules allocates some 150,000 objects that live as long as the process, and
none of them is garbage; CPython's collector walks them all the same — two full collections and
dozens of young ones. Counted with ``gc.callbacks`` over the import and the first event
(``scripts/ypovoli_local/bench_first.py``), that was 150–230 ms of the transmitter's and the
dropzone's cold starts, 55–105 ms of the others'; with the collector off while the modules load and
the result frozen, 7–26 ms.

Importing this module turns the collector off. ``settle()`` turns it back on, so each event's own
garbage is collected as before; on Lambda it first freezes what the init loaded (``gc.freeze``: out
of every later collection — never freed, as none of it would be — so a collection walks only what
the events made, and a SnapStart snapshot is taken with the heap already frozen). Elsewhere — the
local stack and the tests load the functions into one long-lived process, next to objects of their
own that are garbage — it only turns the collector back on.
"""

from __future__ import annotations

import gc
import os

gc.disable()


def settle() -> None:
    """The end of the init: freeze what it loaded (on Lambda) and collect again from here on."""
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):   # set by Lambda in every function's environment
        gc.freeze()
    gc.enable()
