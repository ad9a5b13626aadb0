"""POST routes of notifications: a person's choices, "send again" on a webhook delivery, and an
agency system subscribing a webhook (tests/support/posts/entry.py)."""

from tenants.handoffs import KINDS
from tests.support.access import KEYS, PEOPLE
from tests.support.posts.entry import post

NOTIFICATIONS = {
    "frontend:notification-preferences": post(
        lambda s: {kind: "digest" if kind == "reminder" else "immediate" for kind in KINDS},
        None,
        *PEOPLE,
    ),
    "frontend:webhook-delivery-send-again": post(lambda s: {}, "webhook", "business_manager"),
    # A receiver on this machine: the tests allow loopback (safeguard/settings/test.py).
    "api:webhooks": post(
        lambda s: {"url": "http://127.0.0.1:9/hooks", "events": ["referral.received"]},
        None,
        *KEYS,
        answer=201,
        json=True,
    ),
}
