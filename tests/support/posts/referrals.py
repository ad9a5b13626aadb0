"""POST routes of the workspace, of referrals and of the agency API: who may post, and data
that succeeds for them (tests/support/posts/entry.py)."""

from tests.support import preparations as prepared
from tests.support.access import KEYS, MANAGERS, REVIEW_GROUP
from tests.support.posts.entry import on, post, upload
from tests.support.referrals import date_boxes
from tests.support.route_casework import PNG
from tests.support.routes import Scope

# --- The workspace -----------------------------------------------------------------------------

WORKSPACE = {
    "frontend:agency-list": post(
        lambda s: {"name": "Croydon Schools", "kind": "education"}, None, "business_manager"
    ),
    "frontend:agency-edit": post(
        lambda s: {"name": "Met Police (South)", "kind": "police", "is_active": "on"},
        "agency",
        "business_manager",
    ),
    "frontend:member-list": post(
        lambda s: {
            "email": "newcomer@croydon.example",
            "full_name": "A Newcomer",
            "role": "review_group_member",
            "agency": "",
        },
        None,
        "business_manager",
    ),
    # The key is shown once, on the page that issued it.
    "frontend:api-key-list": post(
        lambda s: {"agency": str(s.side.agency.uuid), "name": "Case system 2", "expires_on": ""},
        None,
        "business_manager",
        answer=200,
    ),
    "frontend:api-key-revoke": post(
        lambda s: {"reason": "The system was replaced."}, "api_key", "business_manager"
    ),
}

# --- Referrals ---------------------------------------------------------------------------------


def _referral_form(s: Scope) -> dict:
    return {
        # The business manager refers for an agency; an agency user's form has no such field.
        "agency": str(s.side.agency.uuid),
        **date_boxes("incident_date", on(-3)),
        **date_boxes("aware_date", on(-1)),
        "harm": "serious_harm",
        "abuse_or_neglect": "suspected",
        "summary": "A baby was found with a fractured arm.",
        "child-1-given_name": "Pip",
        "child-1-family_name": "Ashdown",
        "child-1-date_of_birth": on(-300),
        "child-1-sex": "male",
    }


REFERRALS = {
    "frontend:referral-new": post(
        _referral_form, None, "business_manager", "agency_user", "other_agency_user"
    ),
    "frontend:referral-attachment-add": post(
        lambda s: {"file-attachment": upload("scan.png", PNG, "image/png")},
        "referral",
        *REVIEW_GROUP,
        "agency_user",
    ),
    "frontend:referral-screening": post(
        lambda s: {"screening-view_met": "yes", "screening-rationale": "The criteria are met."},
        "referral",
        *REVIEW_GROUP,
        prepare=prepared.received_referral,
    ),
    "frontend:referral-panel-notification": post(
        lambda s: {"panel-submitted_on": on(-1), "panel-panel_reference": "CSPRP-2026-117"},
        "referral",
        "business_manager",
        prepare=prepared.screened_referral,
    ),
    "frontend:referral-sos-ofsted-notification": post(
        lambda s: {"sos-notified_on": on(-1)}, "referral", "business_manager"
    ),
    "frontend:rapid-review-update": post(
        lambda s: {
            "rapid-immediate_actions": "The sibling was seen the same day.",
            "rapid-potential_improvements": "Share injuries seen on babies at once.",
            "rapid-racism_inequality_disability": "None found.",
            "rapid-recommended_next_step": "lcspr",
        },
        "referral",
        *REVIEW_GROUP,
        prepare=prepared.asked_only_the_referrer,
    ),
    "frontend:rapid-review-start": post(
        lambda s: {"ask-agencies": [str(s.side.agency.uuid)]},
        "referral",
        *REVIEW_GROUP,
        prepare=prepared.notified_referral,
    ),
    "frontend:rapid-review-ask": post(
        lambda s: {"more-agencies": [str(s.side.other_agency.uuid)]},
        "referral",
        *REVIEW_GROUP,
        prepare=prepared.asked_only_the_referrer,
    ),
    "frontend:rapid-review-send": post(
        lambda s: {"send-sent_on": on(0)},
        "referral",
        *MANAGERS,
        prepare=prepared.rapid_review_written,
    ),
    "frontend:rapid-review-panel-response": post(
        lambda s: {
            "response-kind": "agrees",
            "response-response": "A local review.",
            "response-responded_on": on(0),
        },
        "referral",
        *REVIEW_GROUP,
        prepare=prepared.rapid_review_sent,
    ),
    "frontend:referral-decision": post(
        lambda s: {
            "decision-outcome": "no_review",
            "decision-rationale": "Single-agency learning is enough.",
            "decision-decided_on": on(0),
        },
        "referral",
        "chair",
        prepare=prepared.panel_answered,
    ),
    "frontend:referral-decision-notices": post(
        lambda s: {
            "notices-family_informed_on": on(0),
            "notices-family_informed_how": "By letter.",
        },
        "referral",
        *MANAGERS,
    ),
    "frontend:contribution": post(
        lambda s: {"facts": "Two calls.", "involvement": "Known since 2025."},
        "contribution",
        "agency_user",
        prepare=prepared.asked_only_the_referrer,
    ),
}

# --- The agency API ----------------------------------------------------------------------------

API = {
    "api:referrals": post(
        lambda s: {
            "incident_date": on(-3),
            "aware_date": on(-1),
            "harm": "serious_harm",
            "abuse_or_neglect": "suspected",
            "children": [
                {
                    "given_name": "Pip",
                    "family_name": "Ashdown",
                    "date_of_birth": on(-300),
                    "sex": "male",
                }
            ],
            "summary": "A baby was found with a fractured arm.",
        },
        None,
        *KEYS,
        answer=201,
        json=True,
    ),
    "api:referral-contributions": post(
        lambda s: {"facts": "Two calls.", "involvement": "Known since 2025."},
        "contribution",
        "agency_key",
        prepare=prepared.asked_only_the_referrer,
        answer=201,
        json=True,
    ),
    "api:information-responses": post(
        lambda s: {"text": "Our chronology follows."},
        "information_request",
        "agency_key",
        answer=201,
        json=True,
    ),
    "api:action-updates": post(
        lambda s: {"status": "complete", "note": "Every call handler trained."},
        "action",
        "agency_key",
        answer=201,
        json=True,
    ),
}
