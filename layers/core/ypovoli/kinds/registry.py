"""Every kind ypovoli knows, and every upstream it sends to: one line each.

A new kind is its own folder under ``kinds/`` plus a line below; intake, transmitter, sweeper and
the status vocabulary take it as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from ..settings import Settings
from .base import DocumentKind, Evaluation, Transmission
from .ergani.kind import KINDS as ERGANI_KINDS
from .mydata_invoice.kind import KIND as MYDATA_INVOICE
from .pske.kind import KIND as PSKE_REQUEST
from .sme.kind import REPAYABLE_ADVANCE, VOUCHER_CHECK

TransmissionFactory = Callable[[Settings], Transmission]


def _mydata(settings: Settings) -> Transmission:
    from .mydata_invoice.transmission import MyDataTransmission  # urllib3 pools only where something is sent

    return MyDataTransmission.from_settings(settings)


def _ergani(settings: Settings) -> Transmission:
    from .ergani.transmission import ErganiTransmission

    return ErganiTransmission.from_settings(settings)


#: Kinds sent upstream through the outbox.
DOCUMENT_KINDS: dict[str, DocumentKind] = {k.name: k for k in (MYDATA_INVOICE, *ERGANI_KINDS)}
#: Kinds checked and kept as dossiers, never transmitted.
EVALUATIONS: dict[str, Evaluation] = {k.name: k for k in (PSKE_REQUEST, VOUCHER_CHECK, REPAYABLE_ADVANCE)}
#: Upstream name → how to build its transmission from the settings.
UPSTREAMS: dict[str, TransmissionFactory] = {"mydata": _mydata, "ergani": _ergani}


class UnknownKind(LookupError):
    pass


def document_kind(name: str) -> DocumentKind:
    try:
        return DOCUMENT_KINDS[name]
    except KeyError:
        raise UnknownKind(f"no document kind {name!r} (known: {', '.join(sorted(DOCUMENT_KINDS))})") from None


def transmission(upstream: str, settings: Settings) -> Transmission:
    try:
        factory = UPSTREAMS[upstream]
    except KeyError:
        raise UnknownKind(f"no upstream {upstream!r} (known: {', '.join(sorted(UPSTREAMS))})") from None
    return factory(settings)


def upstreams() -> list[str]:
    """Every upstream some kind sends to: the pump walks each one's due index."""
    return sorted({k.upstream for k in DOCUMENT_KINDS.values()})
