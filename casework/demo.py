"""Demo referrals at each stage, dated from today so their clocks are live. Fictional people.

Used by ``manage.py load_demo``; runs inside the partnership's schema, through the services, as
the demo people would.
"""

import datetime

from casework import services
from casework.clocks import add_working_days
from casework.models import Referral
from tenants.actors import actor_for_member
from tenants.models import Membership, Partnership, Role
from tenants.workspace.models import Agency

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
    """Four referrals: received, screened, rapid review under way (one contribution missing),
    decided (a review commissioned). Does nothing if the demo referrals are there already."""
    if Referral.objects.filter(summary__startswith=DEMO_MARKER).exists():
        return 0
    police = Agency.objects.filter(name="Met Police").first()
    health = Agency.objects.filter(name="NHS Croydon Health Services").first()
    social_care = Agency.objects.filter(name__icontains="children's social care").first()
    referrer = _actor(partnership, Role.AGENCY_USER, police)
    manager = _actor(partnership, Role.BUSINESS_MANAGER)
    group = _actor(partnership, Role.REVIEW_GROUP_MEMBER)
    chair = _actor(partnership, Role.CHAIR)
    if not all((police, health, referrer, manager, group, chair)):
        return 0
    today = services.today()

    def refer(aware_days_ago: int, summary: str, children, **extra):
        aware = _before(today, aware_days_ago)
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
        [child("Maya", "Clarke", today - datetime.timedelta(days=125), "female")],
        harm="serious_harm",
        abuse_or_neglect="suspected",
    )
    services.screening_record(
        actor=group,
        referral=screened,
        view_met=True,
        rationale="Non-accidental injury suspected in a non-mobile baby: the criteria are met.",
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
    services.screening_record(
        actor=group,
        referral=under_way,
        view_met=True,
        rationale="Neglect known, serious harm: criteria met.",
    )
    services.panel_notification_record(
        actor=manager,
        referral=under_way,
        submitted_on=_before(today, 6),
        panel_reference="CSPRP-DEMO-0003",
    )
    services.rapid_review_start(actor=group, referral=under_way, agencies=[police, health])
    request = under_way.rapid_review.contribution_requests.get(agency=police)
    services.contribution_submit(
        actor=referrer,
        request=request,
        facts="Officers attended on a welfare check requested by the school.",
        involvement="Two previous welfare checks this year; no crimes recorded.",
        immediate_safety_actions="Police protection used; both children placed with an aunt.",
    )

    decided = refer(
        25,
        "A 2-year-old died at home; the post-mortem found injuries of different ages.",
        [child("Noah", "Adeyemi", datetime.date(2024, 2, 11), "male")],
        harm="died",
        abuse_or_neglect="suspected",
    )
    services.screening_record(
        actor=group, referral=decided, view_met=True, rationale="A child's death, abuse suspected."
    )
    services.panel_notification_record(
        actor=manager,
        referral=decided,
        submitted_on=_before(today, 23),
        panel_reference="CSPRP-DEMO-0004",
    )
    services.rapid_review_start(actor=group, referral=decided, agencies=[police])
    services.rapid_review_update(
        actor=group,
        referral=decided,
        immediate_actions="Siblings' plans reviewed the same day.",
        potential_improvements="How health visiting and GP records are shared.",
        racism_inequality_disability="The family's first language was not English; interpreters "
        "were not used at two health appointments.",
        recommended_next_step="lcspr",
    )
    services.rapid_review_send(actor=manager, referral=decided, sent_on=_before(today, 10))
    services.decision_record(
        actor=chair,
        referral=decided,
        outcome="lcspr",
        rationale="Learning across health and social care about recognising injuries in toddlers.",
        decided_on=_before(today, 3),
        family_informed_on=_before(today, 2),
        family_informed_how="Letter and a home visit",
    )
    return 4
