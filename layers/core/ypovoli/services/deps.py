"""What a use case needs, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import Settings
from ..store.dossiers import Dossiers
from ..store.index import Index
from ..store.queue import TransmitQueue


@dataclass(frozen=True)
class Deps:
    settings: Settings
    index: Index
    dossiers: Dossiers
    queue: TransmitQueue

    @classmethod
    def from_settings(cls, settings: Settings) -> Deps:
        return cls(settings, Index(settings.index_table, settings.outbox_shards),
                   Dossiers(settings.dossier_bucket), TransmitQueue(settings.transmit_queue_url))
