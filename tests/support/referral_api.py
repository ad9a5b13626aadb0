"""The referral contract of the agency API (DESIGN §4), as the API tests post it: the contract's
body and its answer's clock, a body or a child with changes, a POST with or without an
Idempotency-Key, and what a partnership holds after it."""

import copy
import json

from django.test import Client

from casework.models import Child, Clock, Referral
from tenants.agencies.models import AuditEvent, IdempotencyRecord
from tests.support.world import inside

URL = "/api/v1/referrals/"


# The contract's body, exactly as DESIGN §4 has it.
CONTRACT_BODY = {
    "incident_date": "2026-10-30",
    "aware_date": "2026-11-02",
    "harm": "serious_harm",
    "abuse_or_neglect": "suspected",
    "circumstances": [],
    "children": [
        {
            "given_name": "…",
            "family_name": "…",
            "date_of_birth": "2026-06-01",
            "sex": "female",
            "ethnicity": "…",
            "looked_after": False,
            "child_protection_plan": False,
        }
    ],
    "agencies_involved": ["Met Police", "NHS Croydon Health Services"],
    "summary": "What happened, in the referrer's words.",
}


# ...and its answer's clock.
CONTRACT_CLOCK = {
    "name": "panel_notification",
    "counted_from": "2026-11-02",
    "due": "2026-11-09",
    "length": "5 working days",
    "source": "Working Together to Safeguard Children 2023, ch. 5",
    "state": "running",
}


def body(**changes) -> dict:
    result = copy.deepcopy(CONTRACT_BODY)
    result.update(changes)
    return result


def child(**changes) -> dict:
    result = copy.deepcopy(CONTRACT_BODY["children"][0])
    result.update(changes)
    return result


def post(client: Client, data, path: str = URL, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    payload = data if isinstance(data, str) else json.dumps(data)
    return client.post(path, payload, content_type="application/json", **headers)


def counts(partnership) -> tuple[int, ...]:
    with inside(partnership):
        return (
            Referral.objects.count(),
            Child.objects.count(),
            Clock.objects.count(),
            AuditEvent.objects.filter(action="referral.created").count(),
            IdempotencyRecord.objects.count(),
        )


CONTRIBUTION = {
    "facts": "Seen at A&E on 30 October with bruising.",
    "involvement": "Two attendances in 2026.",
    "immediate_safety_actions": "Sibling seen on 31 October.",
}
