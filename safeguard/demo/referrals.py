"""Demo referrals at each stage, dated from today so their clocks are live. Fictional people.

Used by ``manage.py load_demo``; runs inside the partnership's schema, through the services, as
the demo people would.
"""

import datetime

from casework import services
from casework.models import Referral
from casework.working_days import add_working_days
from safeguard.demo.chronology import chronology_load
from tenants.actors import actor_for_member
from tenants.agencies.models import Agency
from tenants.clock import today
from tenants.models import Membership, Partnership, Role

DEMO_MARKER = "[demo]"


def _before(day: datetime.date, working_days: int) -> datetime.date:
    """The date ``working_days`` working days before ``day``."""
    candidate = day
    while add_working_days(candidate, working_days) > day:
        candidate -= datetime.timedelta(days=1)
    return candidate


def _actor(partnership: Partnership, role: str, agency: Agency | None = None):
    memberships = Membership.objects.select_related("user", "partnership").filter(
        partnership=partnership, role=role
    )
    if agency is not None:
        memberships = memberships.filter(agency_uuid=agency.uuid)
    membership = memberships.first()
    return actor_for_member(membership=membership) if membership else None


def demo_referrals_load(*, partnership: Partnership) -> int:
    """Six referrals, one at each of the main steps: received, screened, not notifiable, rapid
    review under way (one contribution missing), sent to the Panel, decided (a review
    commissioned, the decision notice awaited). Does nothing if the demo referrals are there
    already."""
    if Referral.objects.filter(summary__startswith=DEMO_MARKER).exists():
        return 0
    police = Agency.objects.own().filter(name="Met Police").first()
    health = Agency.objects.own().filter(name="NHS Croydon Health Services").first()
    social_care = Agency.objects.own().filter(name__icontains="children's social care").first()
    referrer = _actor(partnership, Role.AGENCY_USER, police)
    manager = _actor(partnership, Role.BUSINESS_MANAGER)
    group = _actor(partnership, Role.REVIEW_GROUP_MEMBER)
    chair = _actor(partnership, Role.CHAIR)
    if not all((police, health, referrer, manager, group, chair)):
        return 0
    day = today()

    def refer(aware_days_ago: int, summary: str, children, **extra):
        aware = _before(day, aware_days_ago)
        return services.referral_create(
            actor=referrer,
            incident_date=aware - datetime.timedelta(days=2),
            aware_date=aware,
            summary=f"{DEMO_MARKER} {summary}",
            children=children,
            agencies_involved=[a.name for a in (police, health, social_care) if a],
            **extra,
        )

    def child(given, family, born, sex, **extra):
        return services.ChildInput(given, family, born, sex, ethnicity="Not recorded", **extra)

    def screen(referral, view_met, rationale):
        services.screening_record(
            actor=group, referral=referral, view_met=view_met, rationale=rationale
        )

    def to_rapid_review(referral, rationale, notified_days_ago, panel_reference, agencies):
        """Screened as notifiable, notified, the rapid review started."""
        screen(referral, True, rationale)
        services.panel_notification_record(
            actor=manager,
            referral=referral,
            submitted_on=_before(day, notified_days_ago),
            panel_reference=panel_reference,
        )
        services.rapid_review_start(actor=group, referral=referral, agencies=agencies)

    def to_the_panel(referral, sent_days_ago, **answers):
        """The rapid review's answers written and sent to the Panel."""
        services.rapid_review_update(actor=group, referral=referral, **answers)
        services.rapid_review_send(
            actor=manager, referral=referral, sent_on=_before(day, sent_days_ago)
        )

    refer(
        1,
        "A 14-year-old was found with stab wounds after going missing from home for three days.",
        [child("Tyler", "Brooks", datetime.date(2012, 3, 14), "male")],
        harm="serious_harm",
        abuse_or_neglect="suspected",
    )

    screened = refer(
        3,
        "A 4-month-old was brought to hospital with a fractured skull; the account given does "
        "not explain the injury.",
        [child("Maya", "Clarke", day - datetime.timedelta(days=125), "female")],
        harm="serious_harm",
        abuse_or_neglect="suspected",
    )
    screen(
        screened,
        True,
        "Non-accidental injury suspected in a non-mobile baby: the criteria are met.",
    )

    under_way = refer(
        8,
        "Two siblings aged 6 and 9 were found living in a home without heating or food; the "
        "younger was admitted with malnutrition.",
        [
            child("Leo", "Hart", datetime.date(2020, 5, 2), "male", child_protection_plan=True),
            child("Ruby", "Hart", datetime.date(2017, 9, 20), "female", child_protection_plan=True),
        ],
        harm="serious_harm",
        abuse_or_neglect="known",
    )
    to_rapid_review(
        under_way,
        "Neglect known, serious harm: criteria met.",
        6,
        "CSPRP-DEMO-0003",
        [police, health],
    )
    request = under_way.rapid_review.contribution_requests.get(agency=police)
    services.contribution_submit(
        actor=referrer,
        request=request,
        facts="Officers attended on a welfare check requested by the school.",
        involvement="Two previous welfare checks this year; no crimes recorded.",
        immediate_safety_actions="Police protection used; both children placed with an aunt.",
    )

    below = refer(
        4,
        "A 12-year-old broke an arm falling from a climbing frame at school; no concerns about "
        "care at home.",
        [child("Isla", "Morgan", datetime.date(2014, 7, 9), "female")],
        harm="serious_harm",
        abuse_or_neglect="not_suspected",
    )
    screen(below, False, "An accident; abuse or neglect is not suspected: not notifiable.")

    with_panel = refer(
        18,
        "A 15-year-old was admitted after an overdose; she had been reported missing four "
        "times and exploitation is suspected.",
        [child("Ella", "Price", datetime.date(2011, 1, 30), "female")],
        harm="serious_harm",
        abuse_or_neglect="suspected",
    )
    to_rapid_review(with_panel, "Exploitation suspected.", 16, "CSPRP-DEMO-0005", [])
    to_the_panel(
        with_panel,
        2,
        immediate_actions="A safety plan with the school and the missing-person coordinator.",
        potential_improvements="How return-home interviews reach the exploitation panel.",
        racism_inequality_disability="None identified so far.",
        recommended_next_step="learning_review",
    )

    decided = refer(
        25,
        "A 2-year-old died at home; the post-mortem found injuries of different ages.",
        [child("Noah", "Adeyemi", datetime.date(2024, 2, 11), "male")],
        harm="died",
        abuse_or_neglect="suspected",
    )
    to_rapid_review(decided, "A child's death, abuse suspected.", 23, "CSPRP-DEMO-0004", [police])
    to_the_panel(
        decided,
        10,
        immediate_actions="Siblings' plans reviewed the same day.",
        potential_improvements="How health visiting and GP records are shared.",
        racism_inequality_disability="The family's first language was not English; interpreters "
        "were not used at two health appointments.",
        recommended_next_step="lcspr",
    )
    services.panel_response_record(
        actor=group,
        referral=decided,
        kind="agrees",
        response="",
        responded_on=_before(day, 4),
    )
    services.decision_record(
        actor=chair,
        referral=decided,
        outcome="lcspr",
        rationale="Learning across health and social care about recognising injuries in toddlers.",
        decided_on=_before(day, 3),
        family_informed_on=_before(day, 2),
        family_informed_how="Letter and a home visit",
    )
    demo_review_load(
        partnership=partnership,
        review=decided.review,
        police=police,
        health=health,
        social_care=social_care,
        manager=manager,
        chair=chair,
    )
    return 6


CHRONOLOGY = """
700 | health | midwife | Booking appointment; mother reports low mood in pregnancy
690 | health | GP | Mother prescribed antidepressants; referral to perinatal team
640 | health | perinatal mental health nurse | Assessment; discharged after two missed appointments | key
610 | health | midwife | Birth at 39 weeks; no concerns recorded
600 | health | health visitor | New birth visit; father not present
560 | police | PC | Neighbour reports shouting at the address; no offences found
555 | social_care | duty social worker | Police notification screened: no further action | key
520 | health | health visitor | 6-8 week review; mother tearful, advised to see GP
480 | health | GP | Baby seen with nappy rash; no other concerns
430 | police | PC | Domestic abuse call; father arrested and released without charge | key
428 | social_care | duty social worker | Strategy discussion: single assessment opened | key
400 | social_care | social worker | Home visit; mother says father has left
380 | social_care | social worker | Assessment closed: no role for children's social care | key
360 | health | health visitor | 1-year review not attended
340 | health | health visitor | Second appointment not attended; letter sent
300 | health | emergency department nurse | Child brought in with a burn to the hand; account accepted | key
298 | health | GP | Discharge letter received and filed
250 | police | PC | Father seen at the address by neighbourhood officers
230 | health | health visitor | Home visit; new partner present, details not taken | key
200 | social_care | social worker | School nursery referral about bruising; advice given by phone | key
180 | health | GP | Mother's antidepressants stopped at her request
150 | police | call handler | Anonymous call about a child crying for hours
148 | police | PC | Welfare check: no answer at the door; no further action | key
120 | health | health visitor | 2-year review cancelled by the family
90 | social_care | family support worker | Early help offer declined
60 | health | emergency department doctor | Child with a head injury; skeletal survey not done | key
45 | health | GP | Mother reports the child is clumsy
30 | police | PC | Domestic abuse call; mother declines to make a statement | key
20 | social_care | duty social worker | Police notification not screened for 10 days | key
10 | health | health visitor | Unannounced visit; no access
2 | police | PC | Call from mother: child not breathing | key
2 | health | paramedic | Child taken to hospital; pronounced dead | key
1 | social_care | duty manager | Strategy discussion about the siblings | key
1 | police | detective sergeant | Investigation opened; scene preserved
0 | health | paediatrician | Post-mortem finds injuries of different ages | key
"""


def demo_review_load(*, partnership, review, police, health, social_care, manager, chair):
    """The decided referral's review in progress: a reviewer, terms, an open request to the
    police, a chronology from three agencies, two recommendations with actions (one overdue)."""
    from casework import services as reviews
    from casework.models import Action
    from tenants.models import User

    if review is None or review.chronology.exists():
        return
    reviewer = User.objects.filter(
        memberships__partnership=partnership, memberships__role=Role.LEAD_REVIEWER
    ).first()
    if reviewer is None:
        return
    profile = reviews.reviewer_profile_save(
        actor=manager,
        user_uuid=reviewer.uuid,
        name=reviewer.full_name or reviewer.email,
        organisation="Independent safeguarding consultant",
        affiliations=[
            reviews.AffiliationInput(
                "Kent County Council",
                datetime.date(2009, 4, 1),
                datetime.date(2016, 3, 31),
                "Head of service",
            )
        ],
    )
    reviews.reviewer_appoint(actor=manager, review=review, profile=profile)
    incident = review.referral.incident_date
    terms = reviews.terms_write(
        actor=manager,
        review=review,
        scope="The two years before the child's death, across health, police and children's "
        "social care.",
        lines_of_enquiry="How injuries to a toddler were recognised and shared\n"
        "The response to domestic abuse notifications\n"
        "Whether the voice of the child was heard",
        period_start=incident - datetime.timedelta(days=730),
        period_end=incident,
    )
    reviews.terms_sign_off(actor=chair, terms=terms)
    reviews.review_stage_move(actor=manager, review=review, to_stage="tor_agreed")
    reviews.information_request_create(
        actor=manager,
        review=review,
        agency=police,
        asks=["chronology", "single_agency_report"],
        details="All contact with the family in the period under review.",
    )
    reviews.review_stage_move(actor=manager, review=review, to_stage="information_gathering")
    agencies = {"health": health, "police": police, "social_care": social_care or health}
    chronology_load(
        actor=manager, review=review, before=incident, agencies=agencies, table=CHRONOLOGY
    )
    finding = reviews.finding_add(
        actor=manager,
        review=review,
        text="Injuries to a non-verbal child were explained away three times without a "
        "paediatric assessment.",
        evidence=list(review.chronology.filter(key_episode=True, agency=health)[:3]),
    )
    first, second = (
        reviews.recommendation_add(
            actor=manager,
            review=review,
            to_partnership=False,
            agencies=[agency],
            text=text,
            findings=[finding],
        )
        for agency, text in (
            (
                police,
                "Domestic abuse notifications involving children under five are screened within "
                "24 hours.",
            ),
            (
                health,
                "Emergency departments refer every unexplained injury in a child under two for a "
                "paediatric opinion.",
            ),
        )
    )
    day = today()
    reviews.action_add(
        actor=manager,
        recommendation=first,
        owner_agency=police,
        description="Audit notification screening times monthly and report to the partnership.",
        due=day + datetime.timedelta(days=60),
    )
    overdue = reviews.action_add(
        actor=manager,
        recommendation=second,
        owner_agency=health,
        description="Update the emergency department's injury pathway and train triage staff.",
        due=day + datetime.timedelta(days=1),
    )
    # Demo history: this action was agreed months ago and its date has passed.
    Action.objects.filter(pk=overdue.pk).update(due=day - datetime.timedelta(days=14))
