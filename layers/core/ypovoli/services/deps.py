"""What a use case needs, built once per process from the settings.

Each store beyond the five every function uses is imported where it is first asked for: a store
brings its models (the card ledger ERGANI's, the ΠΣΚΕ store its dossier views), and a function that
never touches it should not pay their import at a cold start (issue 17 §2)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..settings import Settings
from ..store.dossiers import Dossiers
from ..store.events import EventLog
from ..store.index import Index
from ..store.outages import OutageRecords
from ..store.queue import NudgeQueue

if TYPE_CHECKING:
    from ..kinds.base import Transmission
    from ..kinds.mydata_invoice.connector import MyDataPort
    from ..store.businesses import Businesses
    from ..store.card_ledger import CardLedger
    from ..store.compliance import Flags
    from ..store.console import ConsoleUsers
    from ..store.drops import DropFolder
    from ..store.evaluations import Evaluations
    from ..store.fiscal_devices import FiscalDevices
    from ..store.incidents import Incidents
    from ..store.pske import PskeStore
    from ..store.search import SearchIndex
    from ..store.staff import Staff
    from ..store.summaries import Summaries
    from ..store.timekeeping import Timekeeping


@dataclass(frozen=True)
class Deps:
    settings: Settings
    index: Index
    dossiers: Dossiers
    queue: NudgeQueue
    hooks_queue: NudgeQueue
    events: EventLog
    outages: OutageRecords

    @cached_property
    def cards(self) -> CardLedger:
        from ..store.card_ledger import CardLedger

        return CardLedger(self.settings.index_table)

    @cached_property
    def timekeeping(self) -> Timekeeping:
        from ..store.timekeeping import Timekeeping

        return Timekeeping(self.settings.index_table, self.settings.outbox_shards)

    @cached_property
    def search(self) -> SearchIndex:
        from ..store.search import SearchIndex

        return SearchIndex(self.settings.index_table)

    @cached_property
    def staff(self) -> Staff:
        from ..store.staff import Staff

        return Staff(self.settings.index_table)

    @cached_property
    def flags(self) -> Flags:
        from ..store.compliance import Flags

        return Flags(self.settings.index_table, self.settings.outbox_shards)

    @cached_property
    def businesses(self) -> Businesses:
        from ..store.businesses import Businesses

        return Businesses(self.settings.index_table)

    @cached_property
    def devices(self) -> FiscalDevices:
        from ..store.fiscal_devices import FiscalDevices

        return FiscalDevices(self.settings.index_table, self.settings.outbox_shards)

    @cached_property
    def evaluations(self) -> Evaluations:
        from ..store.evaluations import Evaluations

        return Evaluations(self.settings.index_table)

    @cached_property
    def console_users(self) -> ConsoleUsers:
        from ..store.console import ConsoleUsers

        return ConsoleUsers(self.settings.index_table)

    @cached_property
    def summaries(self) -> Summaries:
        from ..store.summaries import Summaries

        return Summaries(self.settings.index_table)

    @cached_property
    def incidents(self) -> Incidents:
        from ..store.incidents import Incidents

        return Incidents(self.settings.index_table, self.settings.outbox_shards)

    @cached_property
    def drops(self) -> DropFolder:
        from ..store.drops import DropFolder

        return DropFolder(self.settings.drop_bucket)

    @cached_property
    def pske(self) -> PskeStore:
        """ΠΣΚΕ history and dossier records; imported on first use (only the API and the dropzone
        need them, and their models cost import time everywhere else)."""
        from ..store.pske import PskeStore

        return PskeStore(self.settings.index_table)

    @cached_property
    def _transmissions(self) -> dict[str, Transmission]:
        return {}

    def transmission(self, upstream: str) -> Transmission:
        """The upstream's transmission (its connector inside), built from the settings on first use:
        handlers ask for it here and never build a connector themselves."""
        if upstream not in self._transmissions:
            from ..kinds import registry

            self._transmissions[upstream] = registry.transmission(upstream, self.settings)
        return self._transmissions[upstream]

    def mydata(self, tenant: str) -> MyDataPort:
        """The myDATA connector under ``tenant``'s credentials, for what is not a transmission (the
        cancellations)."""
        from ..kinds.mydata_invoice.transmission import MyDataTransmission

        transmission = self.transmission("mydata")
        assert isinstance(transmission, MyDataTransmission)
        return transmission.connector_for(tenant)

    @classmethod
    def from_settings(cls, settings: Settings) -> Deps:
        return cls(settings, Index(settings.index_table, settings.outbox_shards), Dossiers(settings.dossier_bucket),
                   NudgeQueue(settings.transmit_queue_url), NudgeQueue(settings.webhook_queue_url),
                   EventLog(settings.index_table), OutageRecords(settings.index_table))
