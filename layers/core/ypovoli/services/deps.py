"""What a use case needs, built once per process from the settings.

Each store beyond the five every function uses is imported where it is first asked for: a store
brings its models, and a function that never touches it should not pay their import at a cold start
(issue 17 §2). A kind's own stores live in its folder and are asked for with :meth:`Deps.store`:
nothing here names a kind (issue 35)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from ..settings import Settings
from ..store.aws import TableStore
from ..store.dossiers import Dossiers
from ..store.events import EventLog
from ..store.index import Index
from ..store.outages import OutageRecords
from ..store.queue import NudgeQueue

if TYPE_CHECKING:
    from ..kinds.base import Transmission
    from ..store.compliance import Flags
    from ..store.console import ConsoleUsers
    from ..store.drops import DropFolder
    from ..store.evaluations import Evaluations
    from ..store.incidents import Incidents
    from ..store.search import SearchIndex
    from ..store.summaries import Summaries

S = TypeVar("S", bound=TableStore)


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
    def search(self) -> SearchIndex:
        from ..store.search import SearchIndex

        return SearchIndex(self.settings.index_table)

    @cached_property
    def flags(self) -> Flags:
        from ..store.compliance import Flags

        return Flags(self.settings.index_table, self.settings.outbox_shards)

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
        from ..kinds import registry
        from ..store.incidents import Incidents

        return Incidents(self.settings.index_table, self.settings.outbox_shards, registry.incident_notice)

    @cached_property
    def drops(self) -> DropFolder:
        from ..store.drops import DropFolder

        return DropFolder(self.settings.drop_bucket)

    @cached_property
    def _stores(self) -> dict[type[Any], Any]:
        return {}

    def store(self, kind: type[S]) -> S:
        """The process's one store of class ``kind`` over the index table — a kind's own persistence
        asks for its stores here (``kinds/<kind>/…``), so this class names none of them."""
        if kind not in self._stores:
            self._stores[kind] = kind(self.settings.index_table, self.settings.outbox_shards)
        found: S = self._stores[kind]
        return found

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

    @classmethod
    def from_settings(cls, settings: Settings) -> Deps:
        return cls(settings, Index(settings.index_table, settings.outbox_shards),
                   Dossiers(settings.dossier_bucket, _retention_classes),
                   NudgeQueue(settings.transmit_queue_url), NudgeQueue(settings.webhook_queue_url),
                   EventLog(settings.index_table), OutageRecords(settings.index_table))


def _retention_classes() -> dict[str, str]:
    from ..kinds import registry  # its lines only: no kind is imported

    return registry.retention_classes()
