"""Demo joint reviews, for ``manage.py load_demo``: an active one led by Croydon with Lewisham,
and Merton's part in Kingston's "Family A" (a joint review of the past: completed, signed off by
both chairs, the grant since ended). Fictional content, through the services and the door as the
demo people would do it. Each function runs in the schema ``load_demo`` puts it in (the lead's to
commission and invite, the participant's to accept and work through the door) and does nothing
when its part is there already, so ``load_demo`` can run twice."""

import datetime

from casework import services as reviews
from casework.joint import door
from casework.joint import services as joint_services
from casework.joint.models import JointReviewGrant, JointReviewParticipant, ParticipantState
from casework.models import Review
from casework.services import EntryInput
from safeguard.demo.chronology import chronology_load
from tenants.actors import actor_for_member
from tenants.agencies.models import Agency
from tenants.agencies.selectors import agency_list
from tenants.clock import today
from tenants.files import UploadedFile
from tenants.models import Membership, Partnership, Role, User

CROYDON_TITLE = "Baby T: joint practice review (Croydon and Lewisham)"
FAMILY_A_TITLE = "Family A"
# Croydon's agencies' part of the chronology, and Lewisham's (``safeguard.demo.chronology``).
CROYDON_CHRONOLOGY = """
120 | health | health visitor | New birth visit in Croydon; records from Lewisham not yet received | key
60 | police | PC | Domestic abuse call at the Croydon address; no children's notification sent | key
30 | health | emergency department nurse | Baby brought in with bruising to the face; skeletal survey arranged | key
"""
LEWISHAM_CHRONOLOGY = """
400 | social_care | social worker | Child in need plan for the older sibling closed in Lewisham | key
150 | police | PC | Welfare check at the Lewisham address before the move; no concerns recorded
140 | social_care | duty social worker | Transfer-in letter to Croydon drafted but not sent | key
"""
DRAFT = b"%PDF-1.7\n% Demo draft report (fictional)\n%%EOF\n"


def _actor(partnership: Partnership, role: str):
    membership = (
        Membership.objects.select_related("user", "partnership")
        .filter(partnership=partnership, role=role)
        .order_by("created_at")
        .first()
    )
    return actor_for_member(membership=membership) if membership else None


def _grant(title: str):
    return JointReviewGrant.objects.filter(review_title=title).first()


def _entry(on, agency, who, what, key=False) -> EntryInput:
    return EntryInput(
        occurred_on=on,
        agency=agency,
        what_happened=what,
        who=who,
        key_episode=key,
        source_document=f"{agency.name} records",
    )


# --- Croydon with Lewisham, under way ----------------------------------------------------------


def croydon_joint_review_load(*, lead: Partnership) -> Review | None:
    """In Croydon's schema: the review, its terms, Croydon's agencies' part, and the invitation
    to Lewisham."""
    if _grant(CROYDON_TITLE) is not None:
        return None
    manager, chair = _actor(lead, Role.BUSINESS_MANAGER), _actor(lead, Role.CHAIR)
    police = Agency.objects.own().filter(name="Met Police").first()
    health = Agency.objects.own().filter(name="NHS Croydon Health Services").first()
    if not (manager and chair and police and health):
        return None
    day = today()
    review = reviews.thematic_review_commission(
        actor=manager,
        title=CROYDON_TITLE,
        commissioned_on=day - datetime.timedelta(days=20),
        agencies=[police, health],
        review_type="lcspr",
    )
    terms = reviews.terms_write(
        actor=manager,
        review=review,
        scope="A baby known to services in both boroughs: the family moved from Lewisham to "
        "Croydon four months before the baby was seriously injured.",
        lines_of_enquiry="How information followed the family when it moved\n"
        "How unexplained bruising in a non-mobile baby was responded to",
        period_start=day - datetime.timedelta(days=500),
        period_end=day - datetime.timedelta(days=25),
    )
    reviews.terms_sign_off(actor=chair, terms=terms)
    agencies = {"health": health, "police": police}
    chronology_load(
        actor=manager, review=review, before=day, agencies=agencies, table=CROYDON_CHRONOLOGY
    )
    reviews.information_request_create(
        actor=manager, review=review, agency=police, asks=["chronology", "single_agency_report"]
    )
    recommendation = reviews.recommendation_add(
        actor=manager,
        review=review,
        to_partnership=True,
        text="When a family moves between boroughs, health visiting and police records follow "
        "it within 10 working days.",
    )
    reviews.action_add(
        actor=manager,
        recommendation=recommendation,
        owner_agency=police,
        description="Croydon's police: send every domestic abuse notification involving a baby "
        "to children's social care the same day.",
        due=day + datetime.timedelta(days=75),
    )
    joint_services.joint_review_invite(actor=manager, review=review, partnership_key="lewisham")
    return review


def lewisham_part_load(*, participant: Partnership) -> bool:
    """In Lewisham's schema: its chair accepts, and its people add Lewisham's agencies' part
    through the door (chronology entries, a request to its police, an action its police owns)."""
    part = JointReviewParticipant.objects.filter(
        grant__review_title=CROYDON_TITLE, partnership=participant
    ).first()
    if part is None or part.state != ParticipantState.INVITED:
        return False
    chair, manager = _actor(participant, Role.CHAIR), _actor(participant, Role.BUSINESS_MANAGER)
    if not (chair and manager):
        return False
    joint_services.joint_review_accept(actor=chair, part=part)
    day = today()

    def contribute(passage):
        actor = passage.actor
        review = Review.objects.get(uuid=passage.grant.review_uuid)
        mine = {agency.name.split(" (")[0]: agency for agency in agency_list(actor=actor)}
        police = mine.get("Met Police")
        social_care = mine.get("Lewisham Children's Social Care") or police
        agencies = {"police": police, "social_care": social_care}
        chronology_load(
            actor=actor, review=review, before=day, agencies=agencies, table=LEWISHAM_CHRONOLOGY
        )
        reviews.information_request_create(
            actor=actor, review=review, agency=police, asks=["chronology"]
        )
        recommendation = review.recommendations.order_by("number").first()
        reviews.action_add(
            actor=actor,
            recommendation=recommendation,
            owner_agency=police,
            description="Lewisham's police: flag open safeguarding concerns to the receiving "
            "borough when a family with a baby moves.",
            due=day + datetime.timedelta(days=90),
        )

    door.through(
        actor=manager, review_uuid=part.grant.review_uuid, purpose="load_demo", work=contribute
    )
    return True


# --- Kingston's "Family A", with Merton: a joint review of the past ---------------------------


def family_a_load(*, lead: Partnership) -> Review | None:
    """In Kingston's schema: "Family A" commissioned in 2014, its reviewer, terms, Kingston's
    part, the draft report and the recommendations; Merton invited."""
    if _grant(FAMILY_A_TITLE) is not None:
        return None
    manager, chair = _actor(lead, Role.BUSINESS_MANAGER), _actor(lead, Role.CHAIR)
    police = Agency.objects.own().filter(name="Met Police").first()
    reviewer = User.objects.filter(
        memberships__partnership=lead, memberships__role=Role.LEAD_REVIEWER
    ).first()
    if not (manager and chair and police and reviewer):
        return None
    review = reviews.thematic_review_commission(
        actor=manager,
        title=FAMILY_A_TITLE,
        commissioned_on=datetime.date(2014, 3, 3),
        agencies=[police],
        review_type="serious_case_review",
    )
    profile = reviews.reviewer_profile_save(
        actor=manager,
        user_uuid=reviewer.uuid,
        name=reviewer.full_name or reviewer.email,
        organisation="Independent safeguarding consultant",
        affiliations=[],
    )
    reviews.reviewer_appoint(
        actor=manager, review=review, profile=profile, appointed_on=datetime.date(2014, 3, 10)
    )
    terms = reviews.terms_write(
        actor=manager,
        review=review,
        scope="Agencies' work with a family with complex needs, in Kingston and, several years "
        "earlier, in Merton.",
        lines_of_enquiry="Collaborative work with families with complex needs\n"
        "How each borough's knowledge of the family was shared",
        period_start=datetime.date(2008, 1, 1),
        period_end=datetime.date(2013, 12, 31),
    )
    reviews.terms_sign_off(actor=chair, terms=terms)
    reviews.review_stage_move(actor=manager, review=review, to_stage="tor_agreed")
    joint_services.joint_review_invite(actor=manager, review=review, partnership_key="merton")
    return review


def merton_part_load(*, participant: Partnership) -> bool:
    """In Merton's schema: Merton's chair accepts, and Merton adds its agencies' part of the
    chronology (years before Kingston's) through the door."""
    part = JointReviewParticipant.objects.filter(
        grant__review_title=FAMILY_A_TITLE, partnership=participant
    ).first()
    if part is None or part.state != ParticipantState.INVITED:
        return False
    chair = _actor(participant, Role.CHAIR)
    if chair is None:
        return False
    joint_services.joint_review_accept(actor=chair, part=part)

    def contribute(passage):
        actor = passage.actor
        review = Review.objects.get(uuid=passage.grant.review_uuid)
        mine = {agency.name.split(" (")[0]: agency for agency in agency_list(actor=actor)}
        social_care = mine.get("Merton Children's Social Care") or mine.get("Met Police")
        for on, who, what in (
            (
                datetime.date(2008, 5, 12),
                "social worker",
                "Family assessed; support offered for the mother's mental health",
            ),
            (
                datetime.date(2009, 11, 2),
                "team manager",
                "Case closed when the family moved to Kingston; no transfer meeting held",
            ),
        ):
            reviews.chronology_entry_add(
                actor=actor, review=review, data=_entry(on, social_care, who, what, True)
            )

    door.through(
        actor=chair, review_uuid=part.grant.review_uuid, purpose="load_demo", work=contribute
    )
    return True


def family_a_complete(*, lead: Partnership) -> bool:
    """In Kingston's schema again: the review taken to completion — Kingston's part, findings,
    the draft report, Kingston's chair's sign-off — once Merton's chair has signed off too
    (``merton_sign_off``), then the grant ended: a joint review of the past."""
    grant = _grant(FAMILY_A_TITLE)
    if grant is None or grant.ended_at is not None:
        return False
    review = Review.objects.filter(uuid=grant.review_uuid).first()
    manager, chair = _actor(lead, Role.BUSINESS_MANAGER), _actor(lead, Role.CHAIR)
    if review is None or review.stage != "sign_off" or not review.chair_signed_off_at:
        return False
    if not review.partnership_sign_offs.exists():
        return False
    reviews.review_stage_move(actor=chair, review=review, to_stage="completed")
    joint_services.joint_review_end(
        actor=manager,
        review=review,
        reason="The report was published on 2015-11-23; Merton's part is complete.",
    )
    return True


def family_a_to_sign_off(*, lead: Partnership) -> bool:
    """In Kingston's schema: Kingston's own part, to the sign-off stage and its chair's
    signature."""
    grant = _grant(FAMILY_A_TITLE)
    review = Review.objects.filter(uuid=grant.review_uuid).first() if grant else None
    if review is None or review.stage != "tor_agreed":
        return False
    manager, chair = _actor(lead, Role.BUSINESS_MANAGER), _actor(lead, Role.CHAIR)
    police = Agency.objects.own().filter(name="Met Police").first()
    request = reviews.information_request_create(
        actor=manager, review=review, agency=police, asks=["chronology"]
    )
    reviews.review_stage_move(actor=manager, review=review, to_stage="information_gathering")
    reviews.chronology_entry_add(
        actor=manager,
        review=review,
        data=_entry(
            datetime.date(2013, 6, 4),
            police,
            "PC",
            "Domestic incident at the Kingston address; children present",
            True,
        ),
    )
    reviews.information_request_close(actor=manager, request=request)
    reviews.review_stage_move(actor=manager, review=review, to_stage="analysis")
    finding = reviews.finding_add(
        actor=manager,
        review=review,
        text="What Merton knew of the family did not reach Kingston when the family moved.",
        evidence=list(review.chronology.filter(key_episode=True)),
    )
    reviews.review_stage_move(actor=manager, review=review, to_stage="drafting")
    reviews.recommendation_add(
        actor=manager,
        review=review,
        to_partnership=True,
        findings=[finding],
        text="Partnerships agree how to work together with families with complex needs who "
        "move between boroughs.",
    )
    reviews.review_document_upload(
        actor=manager,
        review=review,
        title="Family A: overview report",
        kind="draft_report",
        upload=UploadedFile("family-a-overview-report.pdf", DRAFT),
    )
    reviews.review_stage_move(actor=manager, review=review, to_stage="sign_off")
    reviews.review_chair_sign_off(actor=chair, review=review)
    return True


def merton_sign_off(*, participant: Partnership) -> bool:
    """In Merton's schema: Merton's chair signs the report off, with the chair's statement."""
    part = JointReviewParticipant.objects.filter(
        grant__review_title=FAMILY_A_TITLE, partnership=participant
    ).first()
    chair = _actor(participant, Role.CHAIR)
    if part is None or part.state != ParticipantState.ACTIVE or chair is None:
        return False

    def sign(passage):
        review = Review.objects.get(uuid=passage.grant.review_uuid)
        if review.stage != "sign_off" or review.partnership_sign_offs.exists():
            return False
        reviews.review_chair_sign_off(
            actor=passage.actor,
            review=review,
            statement="Merton Safeguarding Children Board welcomes this review and its "
            "recommendations on collaborative work with families with complex needs.",
        )
        return True

    return door.through(
        actor=chair, review_uuid=part.grant.review_uuid, purpose="load_demo", work=sign
    )
