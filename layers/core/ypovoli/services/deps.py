"""What a use case needs, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import Settings
from ..store.dossiers import Dossiers
from ..store.events import EventLog
from ..store.index import Index
from ..store.outages import OutageRecords
from ..store.pske import PskeStore
from ..store.queue import NudgeQueue


@dataclass(frozen=True)
class Deps:
    settings: Settings
    index: Index
    dossiers: Dossiers
    queue: NudgeQueue
    hooks_queue: NudgeQueue
    events: EventLog
    outages: OutageRecords
    pske: PskeStore

    @classmethod
    def from_settings(cls, settings: Settings) -> Deps:
        return cls(settings, Index(settings.index_table, settings.outbox_shards), Dossiers(settings.dossier_bucket),
                   NudgeQueue(settings.transmit_queue_url), NudgeQueue(settings.webhook_queue_url),
                   EventLog(settings.index_table), OutageRecords(settings.index_table),
                   PskeStore(settings.index_table))
