"""What API Gateway itself answers before the app runs — an unknown path, a missing or unknown key —
in the JSON API's one error shape. template.yaml's ``GatewayResponses`` carry these very bodies (a test
compares them) and the local front answers them too, so neither ever echoes a credential back."""

from __future__ import annotations

import json
from collections.abc import Mapping

NOT_FOUND = {"code": "NOT_FOUND", "message_el": "Δεν υπάρχει τέτοια διαδρομή.",
             "message_en": "No such path.", "findings": []}
UNAUTHORIZED = {"code": "UNAUTHORIZED",
                "message_el": "Λείπει ή δεν ισχύει το κλειδί API στην κεφαλίδα x-api-key.",
                "message_en": "The API key in the x-api-key header is missing or not valid.", "findings": []}


def body(answer: Mapping[str, object]) -> bytes:
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
