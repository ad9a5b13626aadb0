"""What the OpenAPI document says about every endpoint: problem+json errors, the
``Idempotency-Key`` header, and the agency API contract's examples (DESIGN §4)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from api.problems import PROBLEM_CONTENT_TYPE
from tenants.agencies.services import IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, with each invalid field named in ``errors`` on a 400."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text='On a 400: [{"name": "children.0.date_of_birth", "reason": "…"}, …]',
    )


def _problem(description: str, example: dict | None = None) -> OpenApiResponse:
    examples = [OpenApiExample("Problem", value=example)] if example else []
    return OpenApiResponse(ProblemSerializer, description=description, examples=examples)


UNAUTHORISED = {
    (401, PROBLEM_CONTENT_TYPE): _problem(
        "No key, or a key that is not valid on this partnership's host."
    ),
    (429, PROBLEM_CONTENT_TYPE): _problem(
        "Too many failed key attempts from this address: refused, whatever the key, until the "
        "time in `Retry-After` (seconds) has passed."
    ),
}
NOT_FOUND = {
    (404, PROBLEM_CONTENT_TYPE): _problem(
        "No such referral for this agency: missing, another agency's or another partnership's "
        "all look the same."
    )
}
WEBHOOK_NOT_FOUND = {
    (404, PROBLEM_CONTENT_TYPE): _problem(
        "No such webhook for this agency: missing, another agency's or another partnership's "
        "all look the same."
    )
}
INVALID = {
    (400, PROBLEM_CONTENT_TYPE): _problem(
        "Malformed JSON, or fields that are missing or not valid; each is named in `errors`."
    )
}
INVALID_REFERRAL = {
    (400, PROBLEM_CONTENT_TYPE): _problem(
        "Malformed JSON, or fields that are missing or contradict each other; each is named "
        "in `errors`.",
        {
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": "The request is not valid: aware_date, children.0.date_of_birth.",
            "instance": "/api/v1/referrals/",
            "errors": [
                {
                    "name": "aware_date",
                    "reason": "The date you became aware cannot be before the incident.",
                },
                {
                    "name": "children.0.date_of_birth",
                    "reason": "Child 1 was born after the incident: check both dates.",
                },
            ],
        },
    )
}
KEY_REUSED = {
    (422, PROBLEM_CONTENT_TYPE): _problem(
        f"The {IDEMPOTENCY_KEY_HEADER} was already used for a different request."
    )
}

IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_KEY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        f"Up to {IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters (a UUID is best), new for "
        "each request. Resending the same request with the same key returns the first answer "
        "(same status and body, with `Idempotent-Replayed: true`) and changes nothing; the same "
        "key with a different body is a 422. Keys are remembered for at least 24 hours."
    ),
)

REFERRAL_BODY = {
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
PANEL_NOTIFICATION_CLOCK = {
    "name": "panel_notification",
    "counted_from": "2026-11-02",
    "due": "2026-11-09",
    "length": "5 working days",
    "source": "Working Together to Safeguard Children 2023, ch. 5",
    "state": "running",
    "label": "Notify the Child Safeguarding Practice Review Panel",
    "days_left": 4,
    "due_soon": False,
    "stopped_on": None,
}
REFERRAL_ANSWER = {
    "reference": "CRO-2026-0042",
    "status": "received",
    "clocks": [PANEL_NOTIFICATION_CLOCK],
    "regime": "wt2023",
    "url": "https://croydon.example/api/v1/referrals/CRO-2026-0042/",
}
CONTRIBUTION_BODY = {
    "facts": "Known to the service since 2025; seen at A&E on 30 October.",
    "involvement": "Two attendances in 2026; safeguarding referral made on 30 October.",
    "immediate_safety_actions": "Sibling seen and safety-planned on 31 October.",
}
