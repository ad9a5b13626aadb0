"""Who may do what in casework, declared once (the roles themselves: ``tenants.roles``).

Each rule is a ``may_<verb>_<thing>(actor, …)`` that answers yes or no, and where a service
enforces it a ``require_<…>(actor, …)`` that raises ``PermissionDenied`` (a 403) with the words
the person sees. Services call ``require_*``; the web pages and the API only ask ``may_*`` to
decide what to offer, so a page never offers what the service would refuse, and no role is named
in ``frontend/`` or ``api/`` (``tests/test_architecture.py`` keeps it so).

Seeing a thing at all is the selectors' (``access_*``: missing and not-yours are the same 404);
these rules say what someone who can see it may do with it. Where a rule comes from is DESIGN §1
(who does what) and §2 (the process), and for a joint review §3 (the review is the lead's; the
grant says what each participant may do).
"""

import datetime

from django.core.exceptions import PermissionDenied

from casework.joint import selectors as joint_selectors
from casework.joint.models import ParticipantPermission

# The joint grant's rules are declared beside the grant and asked of here like the rest.
from casework.joint.permissions import (  # noqa: F401
    may_end_part,
    may_manage_joint_reviews,
    may_open_part,
    require_joint_review_manager,
)
from tenants.actors import Actor
from tenants.clock import today
from tenants.roles import (
    MANAGERS,
    REVIEW_GROUP,
    REVIEW_GROUP_AND_REVIEWERS,
    Role,
    refuse_unless,
)

# --- Referrals (DESIGN §2 steps 1 to 4) -------------------------------------------------------


def may_see_every_case(actor: Actor) -> bool:
    """The review group sees every referral, review and action of the partnership (DESIGN §1);
    the selectors narrow everyone else's view."""
    return actor.has_role(*REVIEW_GROUP)


def may_see_referrals(actor: Actor) -> bool:
    """The review group sees every referral, an agency those it made; lead reviewers reach
    reviews, not referrals."""
    return actor.is_agency or actor.has_role(*REVIEW_GROUP)


def may_search_casework(actor: Actor) -> bool:
    """Search finds only what the searcher already sees (the selectors' rule)."""
    return actor.is_agency or actor.has_role(*REVIEW_GROUP_AND_REVIEWERS)


def may_refer(actor: Actor) -> bool:
    """Any agency with statutory duties for children refers (its users and its system), and the
    business manager for an agency (DESIGN §2 step 1)."""
    return actor.is_agency or actor.has_role(Role.BUSINESS_MANAGER)


def may_refer_for_an_agency(actor: Actor) -> bool:
    """The business manager names the referring agency; an agency refers as itself."""
    return not actor.is_agency and actor.has_role(Role.BUSINESS_MANAGER)


def may_choose_regime(actor: Actor) -> bool:
    """The business manager may choose other rules where both were in force (DESIGN §2)."""
    return may_refer_for_an_agency(actor)


def require_referrer(actor: Actor) -> None:
    refuse_unless(
        may_refer(actor), "Only agencies (and the business manager for them) refer cases."
    )


def may_add_referral_file(actor: Actor, referral) -> bool:
    """Its referring agency, or the review group, adds files to a referral."""
    return actor.has_role(*REVIEW_GROUP) or (
        actor.is_agency and referral.referring_agency.uuid == actor.agency_uuid
    )


def require_referral_file_adder(actor: Actor, referral) -> None:
    refuse_unless(may_add_referral_file(actor, referral), "You cannot add files to this referral.")


def may_screen_referral(actor: Actor) -> bool:
    """The review group screens a referral against the criteria (DESIGN §1, §2 step 2)."""
    return actor.has_role(*REVIEW_GROUP)


def require_screener(actor: Actor) -> None:
    refuse_unless(may_screen_referral(actor))


def may_notify(actor: Actor) -> bool:
    """The business manager records the notifications to the Panel, and to the Secretary of
    State and Ofsted (the local authority's duty, run by the business unit)."""
    return actor.has_role(Role.BUSINESS_MANAGER)


def require_notifier(actor: Actor) -> None:
    refuse_unless(may_notify(actor))


def may_run_rapid_review(actor: Actor) -> bool:
    """The review group starts the rapid review, asks agencies for contributions, writes it up
    and records the Panel's answer (DESIGN §1: "contributes to rapid reviews")."""
    return actor.has_role(*REVIEW_GROUP)


def require_rapid_reviewer(actor: Actor) -> None:
    refuse_unless(may_run_rapid_review(actor))


def may_send_rapid_review(actor: Actor) -> bool:
    """The business manager or the chair sends the completed rapid review to the Panel."""
    return actor.has_role(*MANAGERS)


def require_rapid_review_sender(actor: Actor) -> None:
    refuse_unless(may_send_rapid_review(actor))


def may_contribute(actor: Actor, request) -> bool:
    """Only the agency asked (its users or its system) gives a rapid-review contribution."""
    return actor.is_agency and request.agency.uuid == actor.agency_uuid


def require_contributor(actor: Actor, request) -> None:
    refuse_unless(may_contribute(actor, request), "Only the agency asked can contribute.")


def may_decide(actor: Actor) -> bool:
    """The independent chair decides on a referral (DESIGN §1, §2 step 4)."""
    return actor.has_role(Role.CHAIR)


def require_decider(actor: Actor) -> None:
    refuse_unless(may_decide(actor))


def may_record_decision_notices(actor: Actor) -> bool:
    """The business manager or the chair records when the family, the Panel and Ofsted were
    told of the decision."""
    return actor.has_role(*MANAGERS)


def require_decision_notices_recorder(actor: Actor) -> None:
    refuse_unless(may_record_decision_notices(actor))


def may_see_clock_board(actor: Actor) -> bool:
    """The review group watches every referral's clocks (it sees every referral)."""
    return actor.has_role(*REVIEW_GROUP)


# --- Reviews: who works on them (DESIGN §2 step 5) --------------------------------------------


def may_see_reviews(actor: Actor) -> bool:
    """The review group and the lead reviewers open reviews (a reviewer only those they are
    appointed to: the selectors say which)."""
    return actor.has_role(*REVIEW_GROUP_AND_REVIEWERS)


def is_reviewer(actor: Actor) -> bool:
    """A lead reviewer (their reviews are the ones they are appointed to)."""
    return actor.has_role(Role.LEAD_REVIEWER)


def is_appointed(actor: Actor, review, *, on: datetime.date | None = None) -> bool:
    """Whether the actor is a lead reviewer appointed to this review (and the appointment has
    begun)."""
    if not actor.has_role(Role.LEAD_REVIEWER):
        return False
    day = on or today()
    return review.appointments.filter(
        profile__user_uuid=actor.user.uuid, ended_on__isnull=True, appointed_on__lte=day
    ).exists()


def may_work_on_review(actor: Actor, review) -> bool:
    """The review group, and the lead reviewers appointed to this review, do its work. In a
    joint review, so do the participants' review groups and appointed reviewers, through the
    door and on that review only."""
    if actor.is_joint and review.uuid not in actor.review_uuids:
        return False
    return actor.has_role(*REVIEW_GROUP) or is_appointed(actor, review)


def require_review_worker(actor: Actor, review) -> None:
    if actor.is_joint and review.uuid not in actor.review_uuids:
        raise PermissionDenied("This is not the joint review you came through the door for.")
    refuse_unless(
        actor.has_role(*REVIEW_GROUP) or is_appointed(actor, review),
        "Only the review group and the appointed reviewer can do this.",
    )


def is_lead_side(actor: Actor) -> bool:
    """Some of a joint review stays with the lead partnership: its stages, its lead reviewers,
    its terms of reference and its documents (DESIGN §3: the review is the lead's)."""
    return not actor.is_joint


def require_lead_side(actor: Actor, what: str) -> None:
    refuse_unless(is_lead_side(actor), what)


def may_do_part(actor: Actor, permission: str) -> bool:
    """What the grant lets a participant do (a partnership at home may do all of it)."""
    return actor.may(permission)


def require_permission(actor: Actor, permission: str) -> None:
    refuse_unless(
        may_do_part(actor, permission),
        "The lead partnership has not given your partnership this part of the review: "
        + ParticipantPermission(permission).label.lower()
        + ".",
    )


def may_commission_review(actor: Actor) -> bool:
    """The business manager or the chair commissions a review, on their own host."""
    return is_lead_side(actor) and actor.has_role(*MANAGERS)


def require_review_commissioner(actor: Actor) -> None:
    require_lead_side(actor, "A partnership commissions its reviews on its own host.")
    refuse_unless(actor.has_role(*MANAGERS))


def may_manage_reviewers(actor: Actor) -> bool:
    """The lead partnership's business manager or chair records lead reviewers' profiles,
    checks their independence and appoints them (DESIGN §2 step 5)."""
    return is_lead_side(actor) and actor.has_role(*MANAGERS)


def require_reviewer_manager(actor: Actor, what: str) -> None:
    require_lead_side(actor, what)
    refuse_unless(actor.has_role(*MANAGERS))


def may_override_conflict(actor: Actor) -> bool:
    """Only the chair appoints a reviewer despite a conflict of interest, with a written
    reason shown on the review (DESIGN §2 step 5: reviewers independent of the case)."""
    return actor.has_role(Role.CHAIR)


def require_conflict_overrider(actor: Actor) -> None:
    refuse_unless(
        may_override_conflict(actor), "Only the chair can override a conflict of interest."
    )


def may_move_stage(actor: Actor, review, stage) -> bool:
    """Whether the actor may move the review into ``stage``: the stage's own list of who may
    (``casework.processes``; a lead reviewer only when appointed to this review); never a joint
    review's participant."""
    if actor.is_joint:
        return False
    others = [role for role in stage.moved_by if role != Role.LEAD_REVIEWER]
    return actor.has_role(*others) or (
        Role.LEAD_REVIEWER in stage.moved_by and is_appointed(actor, review)
    )


def require_stage_mover(actor: Actor, review, stage) -> None:
    refuse_unless(
        may_move_stage(actor, review, stage),
        f"Your role cannot move a review to '{stage.label}'.",
    )


def may_sign_off_review(actor: Actor, review) -> bool:
    """The chair signs the report off: the lead's, and in a joint review each participant's
    for their partnership (through the door, on that review)."""
    if not actor.has_role(Role.CHAIR):
        return False
    return not actor.is_joint or may_work_on_review(actor, review)


def require_review_signer(actor: Actor, review) -> None:
    refuse_unless(actor.has_role(Role.CHAIR))
    if actor.is_joint:
        require_review_worker(actor, review)


def may_write_terms(actor: Actor, review) -> bool:
    """The review's workers write the terms of reference (the lead's, in a joint review)."""
    return is_lead_side(actor) and may_work_on_review(actor, review)


def require_terms_writer(actor: Actor, review) -> None:
    require_lead_side(actor, "The lead partnership writes the terms of reference.")
    require_review_worker(actor, review)


def may_sign_off_terms(actor: Actor) -> bool:
    """The chair signs the terms off (the lead's chair, in a joint review)."""
    return is_lead_side(actor) and actor.has_role(Role.CHAIR)


def require_terms_signer(actor: Actor) -> None:
    require_lead_side(actor, "The lead partnership's chair signs off the terms of reference.")
    refuse_unless(actor.has_role(Role.CHAIR))


def may_upload_review_document(actor: Actor, review) -> bool:
    """The review's workers keep its documents (the lead's, in a joint review)."""
    return is_lead_side(actor) and may_work_on_review(actor, review)


def require_review_document_uploader(actor: Actor, review) -> None:
    require_lead_side(actor, "The lead partnership keeps the review's documents.")
    require_review_worker(actor, review)


# --- Agencies a review may name ---------------------------------------------------------------


def agency_in_reach(actor: Actor, review, agency) -> bool:
    """Which agencies a review may name. A participant names only its own agencies (their
    mirrors in the lead's schema); the lead its own, and those of the partnerships taking part
    in this review; a single review only the partnership's own."""
    if actor.is_joint:
        return agency.home_partnership_key == actor.partnership.key
    if not agency.home_partnership_key:
        return True
    return agency.home_partnership_key in joint_selectors.participant_keys(review_uuid=review.uuid)


# --- Information, chronology, findings (what the grant calls contributing) --------------------


def may_contribute_to_review(actor: Actor, review) -> bool:
    """Asking agencies for information, chronology entries and actions: the review's workers,
    and a participant whose grant lets it contribute."""
    return may_work_on_review(actor, review) and actor.may(ParticipantPermission.CONTRIBUTE)


def require_review_contributor(actor: Actor, review) -> None:
    require_review_worker(actor, review)
    require_permission(actor, ParticipantPermission.CONTRIBUTE)


def may_write_findings(actor: Actor, review) -> bool:
    """Findings and recommendations: the review's workers, and a participant whose grant lets
    it write them."""
    return may_work_on_review(actor, review) and actor.may(ParticipantPermission.FINDINGS)


def require_findings_writer(actor: Actor, review) -> None:
    require_review_worker(actor, review)
    require_permission(actor, ParticipantPermission.FINDINGS)


def may_answer_information_request(actor: Actor, request) -> bool:
    """Only the agency asked (its users or its system) answers an information request."""
    return actor.is_agency and request.agency.uuid == actor.agency_uuid


def require_information_answerer(actor: Actor, request) -> None:
    refuse_unless(
        may_answer_information_request(actor, request), "Only the agency asked can answer."
    )


def may_close_request(actor: Actor, request) -> bool:
    """The review's workers close requests; a participant only those to its own agencies."""
    return not actor.is_joint or (
        actor.may(ParticipantPermission.CONTRIBUTE)
        and agency_in_reach(actor, request.review, request.agency)
    )


def require_request_closer(actor: Actor, request) -> None:
    require_review_worker(actor, request.review)
    refuse_unless(
        may_close_request(actor, request),
        "Only the lead closes a request to another partnership's agency.",
    )


def may_correct_entry(actor: Actor, entry) -> bool:
    """Whether to offer a correction: a participant corrects only its own agencies' entries."""
    if not actor.may(ParticipantPermission.CONTRIBUTE):
        return False
    return not actor.is_joint or entry.agency.home_partnership_key == actor.partnership.key


def require_entry_corrector(actor: Actor, entry) -> None:
    require_review_contributor(actor, entry.review)
    refuse_unless(
        agency_in_reach(actor, entry.review, entry.agency),
        "Only the lead corrects another partnership's agency's entries.",
    )


# --- Actions (DESIGN §2 step 6) ---------------------------------------------------------------


def action_owner_key(action) -> str:
    """The key of the partnership an action belongs to in a joint review; empty for the
    partnership whose schema holds the review (the lead)."""
    if action.owner_agency_id:
        return action.owner_agency.home_partnership_key
    return action.owner_partnership_key


def owns_action(actor: Actor, action) -> bool:
    """Whether the action is the actor's partnership's (its own agency's, or its own)."""
    return action_owner_key(action) == (actor.partnership.key if actor.is_joint else "")


def may_see_actions(actor: Actor) -> bool:
    """The action tracker: agencies (their own actions), the review group and reviewers."""
    return actor.is_agency or actor.has_role(*REVIEW_GROUP_AND_REVIEWERS)


def may_follow_action_plans(actor: Actor) -> bool:
    """Who follows actions across reviews (the menu's tracker): an agency its own, and the
    review group, who monitors every action plan (DESIGN §1). A lead reviewer reaches their
    review's actions from the review (the tracker lets them in, but does not list itself)."""
    return actor.is_agency or actor.has_role(*REVIEW_GROUP)


def may_track_every_action(actor: Actor) -> bool:
    """The review group monitors every action plan (DESIGN §1), so it filters by agency."""
    return actor.has_role(*REVIEW_GROUP)


def may_update_action(actor: Actor, action) -> bool:
    """Its owner agency, and the review group; in a joint review a participant's review group
    only for its own actions (each participant owns its actions)."""
    if actor.is_agency:
        return action.owner_agency_id is not None and action.owner_agency.uuid == actor.agency_uuid
    if not actor.has_role(*REVIEW_GROUP):
        return False
    return not actor.is_joint or owns_action(actor, action)


def require_action_updater(actor: Actor, action) -> None:
    refuse_unless(may_update_action(actor, action), "Only the action's owner can update it.")


def may_verify_action(actor: Actor, action) -> bool:
    """The review group verifies a completed action; a joint review's participant its own."""
    return actor.has_role(*REVIEW_GROUP) and (not actor.is_joint or owns_action(actor, action))


def require_action_verifier(actor: Actor, action) -> None:
    refuse_unless(actor.has_role(*REVIEW_GROUP))
    refuse_unless(may_verify_action(actor, action), "Each partnership verifies its own actions.")


def may_open_reviews_of_actions(actor: Actor) -> bool:
    """An agency follows its actions, not the reviews they come from."""
    return not actor.is_agency
