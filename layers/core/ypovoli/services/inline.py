"""Sending at once, inside the call that brought the document (the drop-in endpoints): a client that
sends a document — or sends it again — is the moment to try, whatever the backoff said."""

from __future__ import annotations

import time
from collections.abc import Callable

from .. import clock
from ..models.submission import Submission
from ..status import Status
from .deps import Deps
from .intake import IntakeOutcome


def send_now(deps: Deps, tenant: str, outcome: IntakeOutcome, transmit: Callable[[str, str], object],
             in_time: Callable[[], bool]) -> Submission | None:
    """The submission of an accepted or duplicate ``outcome`` after one attempt made now, if time
    allows; if the queue's worker holds it meanwhile, its result when it comes in time."""
    submission_id = outcome.submission.id if outcome.submission else str(outcome.existing_id)
    # Just accepted: its status is known without a read (out of time, it is answered as it stands).
    current = outcome.submission or deps.index.get_submission(tenant, submission_id)
    if current is None or current.status in (Status.TRANSMITTED, Status.REJECTED) or not in_time():
        return current
    before = (current.status, current.updated_at)
    deps.index.make_due(tenant, submission_id, clock.now())
    # Skipped: the queue's worker (nudged by the intake) holds the entry. Its claim takes the outbox
    # entry first and marks the submission ``transmitting`` in a second write: until then the
    # submission reads exactly as before, and answering it so (TechnicalError for a document about
    # to get its MARK) was a race a loaded machine lost. Waiting for that write, or any other, ends it.
    held = getattr(transmit(tenant, submission_id), "outcome", None) == "skipped"
    current = deps.index.get_submission(tenant, submission_id)
    while current is not None and in_time() and (
            current.status is Status.TRANSMITTING or (held and (current.status, current.updated_at) == before)):
        time.sleep(0.1)
        current = deps.index.get_submission(tenant, submission_id)
    return current
