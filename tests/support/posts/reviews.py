"""POST routes of reviews, of actions and information requests, and of the joint review
(through the door on the participant's host, and its invitations): who may post, and data that
succeeds for them (tests/support/posts/entry.py)."""

from tests.support import preparations as prepared
from tests.support.access import MANAGERS, REVIEW_GROUP, WORKERS
from tests.support.documents import pdf
from tests.support.posts.entry import agency_named, door, on, post, upload
from tests.support.routes import Scope

# --- Reviews (and through the door, the joint review) ------------------------------------------


def _terms(s: Scope) -> dict:
    return {
        "terms-scope": "The child's last two years.",
        "terms-lines_of_enquiry": "Information sharing\nRecognising injuries",
        "terms-period_start": on(-700),
        "terms-period_end": on(-10),
    }


def _entry(s: Scope, prefix: str = "entry") -> dict:
    return {
        f"{prefix}-occurred_on": on(-40),
        f"{prefix}-occurred_at": "14:30",
        f"{prefix}-agency": str(agency_named(s).uuid),
        f"{prefix}-what_happened": "A call to the address; no answer.",
        f"{prefix}-who": "police officer",
        f"{prefix}-source_document": "Call log 17",
        f"{prefix}-key_episode": "on",
    }


def _correction(s: Scope) -> dict:
    return _entry(s, prefix=f"correct-{s.work.entry.uuid.hex[:8]}")


def _information_request(s: Scope) -> dict:
    return {
        "request-agency": str(agency_named(s).uuid),
        "request-asks": ["chronology", "single_agency_report"],
        "request-details": "From the first call-out.",
        "request-due": on(30),
    }


def _finding(s: Scope) -> dict:
    return {
        "finding-text": "Calls were not followed up.",
        "finding-evidence": [str(s.work.entry.uuid)],
    }


def _recommendation(s: Scope) -> dict:
    return {
        "recommendation-text": "Follow up every unanswered call.",
        "recommendation-agencies": [str(agency_named(s).uuid)],
        "recommendation-findings": ["1"],
    }


def _action(s: Scope) -> dict:
    return {
        "action-recommendation": str(s.work.recommendation.uuid),
        "action-description": "Audit unanswered calls.",
        "action-owner": str(agency_named(s).uuid),
        "action-due": on(90),
    }


def _document(s: Scope) -> dict:
    return {
        "document-title": "Panel paper",
        "document-kind": "paper",
        "document-file": upload("paper.pdf", pdf("A paper for the panel."), "application/pdf"),
    }


def _reviewer(s: Scope) -> dict:
    return {"check-reviewer": str(s.side.people["lead_reviewer"].uuid)}


def _appointment(s: Scope) -> dict:
    return {
        "appoint-reviewer": str(s.side.people["unappointed_reviewer"].uuid),
        "appoint-appointed_on": on(0),
    }


def _profile(s: Scope) -> dict:
    person = s.side.people["unappointed_reviewer"]
    return {
        "profile-reviewer": str(person.uuid),
        "profile-name": person.full_name,
        "profile-organisation": "Independent",
    }


def _update(s: Scope) -> dict:
    return {"update-status": "complete", "update-note": "Every call handler trained."}


def _answer(s: Scope) -> dict:
    return {"response-text": "Three call-outs, listed."}


REVIEWS = {
    # Commissioning a thematic review, on the list of reviews.
    "frontend:review-list": post(
        lambda s: {
            "commission-review_type": "thematic",
            "commission-title": "Adolescents at risk outside the home",
            "commission-commissioned_on": on(-1),
        },
        None,
        *MANAGERS,
    ),
    # Drafting → sign-off: its recommendation and draft report are there.
    "frontend:review-stage": post(
        lambda s: {"stage-to_stage": "sign_off"},
        "review",
        *MANAGERS,
        "lead_reviewer",
        prepare=prepared.review_drafting,
    ),
    # A domestic abuse related death review's overview report sent to the Home Office.
    "frontend:review-home-office": post(
        lambda s: {"home-office-sent_on": on(0)},
        "review",
        *MANAGERS,
        prepare=prepared.review_a_dardr,
    ),
    "frontend:review-reviewer-check": post(_reviewer, "review", *MANAGERS, changes=False),
    "frontend:review-reviewer-appoint": post(
        _appointment, "review", *MANAGERS, prepare=prepared.reviewer_with_a_profile
    ),
    "frontend:review-reviewer-profile": post(_profile, "review", *MANAGERS),
    "frontend:review-sign-off": post(lambda s: {}, "review", "chair"),
    "frontend:review-terms-write": post(_terms, "review", *WORKERS),
    "frontend:review-terms-sign-off": post(
        lambda s: {"sign-terms-version": "1"}, "review", "chair"
    ),
    "frontend:review-information-request": post(_information_request, "review", *WORKERS),
    "frontend:review-information-close": post(lambda s: {}, "review", *WORKERS),
    "frontend:review-chronology-add": post(_entry, "review", *WORKERS),
    "frontend:review-chronology-correct": post(_correction, "review", *WORKERS),
    "frontend:review-finding-add": post(_finding, "review", *WORKERS),
    "frontend:review-recommendation-add": post(_recommendation, "review", *WORKERS),
    "frontend:review-action-add": post(_action, "review", *WORKERS),
    "frontend:review-document-upload": post(_document, "review", *WORKERS),
    # The lead's management of its joint review (Croydon's, held with Lewisham).
    "frontend:review-joint-invite": post(
        lambda s: {
            "invite-partnership": "bexley",
            "invite-permissions": ["contribute"],
            "invite-open_on_acceptance": "on",
        },
        "joint_review",
        *MANAGERS,
    ),
    "frontend:review-joint-end": post(
        lambda s: {"end-joint-reason": "The review is the lead's alone now."},
        "joint_review",
        *MANAGERS,
    ),
    "frontend:review-joint-open": post(
        lambda s: {}, "joint_review", *MANAGERS, prepare=prepared.invitation_accepted_waiting
    ),
    # An active part is ended by a chair (the business manager withdraws invitations only).
    "frontend:review-joint-part-end": post(
        lambda s: {f"end-{s.world.joint.part.uuid.hex[:8]}-reason": "Their part is done."},
        "joint_review",
        "chair",
    ),
    # An action's owner agency, and the review group, report progress; the group verifies.
    "frontend:action": post(_update, "action", *REVIEW_GROUP, "agency_user"),
    "frontend:action-verify": post(
        lambda s: {}, "action", *REVIEW_GROUP, prepare=prepared.action_complete
    ),
    "frontend:information-request": post(_answer, "information_request", "agency_user"),
}

# Through the door, Lewisham's people in Croydon's joint review (every permission granted):
# the lead keeps its stages, reviewers, terms and documents (a participant's people are refused
# them, 403: they see the review); a participant's review group adds its own agencies' part and
# its findings; its agency answers what is asked of it and reports on the actions it owns.
JOINT = {
    "frontend:joint-review-stage": door(lambda s: {"stage-to_stage": "tor_agreed"}, "review"),
    "frontend:joint-review-home-office": door(
        lambda s: {"home-office-sent_on": on(0)}, "review", prepare=prepared.review_a_dardr
    ),
    "frontend:joint-review-reviewer-check": door(_reviewer, "review", changes=False),
    "frontend:joint-review-reviewer-appoint": door(_appointment, "review"),
    "frontend:joint-review-reviewer-profile": door(_profile, "review"),
    "frontend:joint-review-sign-off": door(
        lambda s: {"sign-off-statement": "Lewisham accepts the findings."}, "review", "chair"
    ),
    "frontend:joint-review-terms-write": door(_terms, "review"),
    "frontend:joint-review-terms-sign-off": door(lambda s: {"sign-terms-version": "1"}, "review"),
    "frontend:joint-review-information-request": door(
        _information_request, "review", *REVIEW_GROUP
    ),
    "frontend:joint-review-information-close": door(lambda s: {}, "review", *REVIEW_GROUP),
    "frontend:joint-review-chronology-add": door(_entry, "review", *REVIEW_GROUP),
    # The joint review's entry names the lead's own agency: only the lead corrects it.
    "frontend:joint-review-chronology-correct": door(_correction, "review"),
    "frontend:joint-review-finding-add": door(_finding, "review", *REVIEW_GROUP),
    "frontend:joint-review-recommendation-add": door(_recommendation, "review", *REVIEW_GROUP),
    "frontend:joint-review-action-add": door(_action, "review", *REVIEW_GROUP),
    "frontend:joint-review-document-upload": door(_document, "review"),
    # The action Lewisham's Met Police owns, and the request it was sent.
    "frontend:joint-action": door(_update, "action", *REVIEW_GROUP, "agency_user"),
    "frontend:joint-action-verify": door(
        lambda s: {}, "action", *REVIEW_GROUP, prepare=prepared.action_complete
    ),
    "frontend:joint-information-request": door(_answer, "information_request", "agency_user"),
    # Answering the invitation, on the invited partnership's own host.
    "frontend:joint-invitation-accept": post(
        lambda s: {},
        "invitation",
        *MANAGERS,
        owner="lewisham",
        prepare=prepared.invitation_unanswered,
    ),
    "frontend:joint-invitation-decline": post(
        lambda s: {f"decline-{s.world.joint.part.uuid.hex[:8]}-reason": "No capacity."},
        "invitation",
        *MANAGERS,
        owner="lewisham",
        prepare=prepared.invitation_unanswered,
    ),
    "frontend:joint-part-end": post(
        lambda s: {f"end-{s.world.joint.part.uuid.hex[:8]}-reason": "Our part is done."},
        "invitation",
        "chair",
        owner="lewisham",
    ),
}
