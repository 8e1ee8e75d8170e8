"""The base of the service's own records and answers (``models/``): pydantic models whose validators
are built when first used, not when their module is imported.

A function imports the models of every record it might touch, and uses a few per event: the webhook
function delivers a stored body and writes one ``DeliveryAttempt``, yet imported the incident, report
and compliance models with the stores. Building a model's validator is most of its import (~2 ms
each); deferred, a cold start pays only for the models its first event uses (issue 17 §2). A
SnapStart snapshot builds them in its init, where the first event is played (``snapstart.prime``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
