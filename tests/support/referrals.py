"""A referral of bob's (Met Police, Croydon) about Amelia: as the referral form posts it
(``referral_form``, one ``child`` a row) and made through the service (``make_referral``)."""

import datetime

from casework import services
from tenants.clock import today
from tests.support.actors import actor_of
from tests.support.world import inside

FAMILY_NAME = "Quillfeather"


def days_ago(days: int) -> str:
    return (today() - datetime.timedelta(days=days)).isoformat()


# The referral form's dates, typed in GOV.UK's three boxes (day, month, year).
DATE_BOX_FIELDS = ("incident_date", "aware_date")


def date_boxes(name: str, value: str) -> dict:
    """A date as its three boxes post it: ``aware_date`` "2026-11-02" → day 2, month 11, year
    2026 under ``aware_date_0``, ``_1`` and ``_2``."""
    year, month, day = value.split("-") if value else ("", "", "")
    return {f"{name}_0": day.lstrip("0"), f"{name}_1": month.lstrip("0"), f"{name}_2": year}


def in_date_boxes(data: dict) -> dict:
    """The form's data with its dates typed in their boxes."""
    for name in DATE_BOX_FIELDS:
        if name in data:
            data.update(date_boxes(name, data.pop(name)))
    return data


def child(**overrides) -> dict:
    return {
        "given_name": "Amelia",
        "family_name": FAMILY_NAME,
        "date_of_birth": "2019-03-04",
        "sex": "female",
        "ethnicity": "White British",
        **overrides,
    }


def referral_form(*, children=None, **overrides) -> dict:
    data = {
        "incident_date": days_ago(10),
        "aware_date": days_ago(2),
        "harm": "serious_harm",
        "abuse_or_neglect": "suspected",
        "regime": "wt2023",
        "agencies_involved": ["NHS Croydon Health Services"],
        "other_agencies": "Croydon Schools\n\n",
        "summary": "Found injured at home; taken to hospital.",
    }
    for number, row in enumerate([child()] if children is None else children, start=1):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"child-{number}-{key}"] = value
    # A date given as ISO is typed in its boxes; boxes given (``aware_date_1``) go as they are.
    return {**in_date_boxes(data), **in_date_boxes(dict(overrides))}


def make_referral(
    world, user=None, *, harm="serious_harm", looked_after=False, attachments=(), step="received"
):
    """A referral of bob's (Met Police), made through the service, and taken on to ``step``:
    ``screened`` (by dave), ``notified`` (by alice) or ``panel_answered`` (walk_to_decision)."""
    with inside(world.croydon):
        referral = services.referral_create(
            actor=actor_of(user or world.bob, world.croydon),
            incident_date=today() - datetime.timedelta(days=10),
            aware_date=today() - datetime.timedelta(days=2),
            harm=harm,
            abuse_or_neglect="suspected",
            children=[
                services.ChildInput(
                    given_name="Amelia",
                    family_name=FAMILY_NAME,
                    date_of_birth=datetime.date(2019, 3, 4),
                    sex="female",
                    looked_after=looked_after,
                )
            ],
            summary="Found injured at home.",
            agencies_involved=["NHS Croydon Health Services"],
            attachments=list(attachments),
        )
        group, manager = actor_of(world.dave, world.croydon), actor_of(world.alice, world.croydon)
        if step == "panel_answered":
            yesterday = today() - datetime.timedelta(days=1)
            return walk_to_decision(
                referral,
                group=group,
                manager=manager,
                notified_on=yesterday,
                sent_on=today(),
                answered_on=today(),
            )
        if step in ("screened", "notified"):
            services.screening_record(
                actor=group, referral=referral, view_met=True, rationale="The criteria are met."
            )
        if step == "notified":
            services.panel_notification_record(
                actor=manager,
                referral=referral,
                submitted_on=today() - datetime.timedelta(days=1),
                panel_reference="CSPRP-T-2",
            )
        return referral


def walk_to_decision(
    referral,
    *,
    group,
    manager,
    notified_on: datetime.date,
    sent_on: datetime.date,
    answered_on: datetime.date,
    agencies=(),
    next_step: str = "lcspr",
):
    """Take a referral through the steps before the decision, as the people whose job each is:
    screened as notifiable (``group``), the Panel notified (``manager``), the rapid review asked
    of ``agencies``, written and sent, and the Panel's answer agreeing. The services check
    every step (casework.steps); tests whose subject is what follows start here."""
    services.screening_record(
        actor=group, referral=referral, view_met=True, rationale="The criteria are met."
    )
    services.panel_notification_record(
        actor=manager, referral=referral, submitted_on=notified_on, panel_reference="CSPRP-T-1"
    )
    services.rapid_review_start(actor=group, referral=referral, agencies=list(agencies))
    services.rapid_review_update(
        actor=group,
        referral=referral,
        immediate_actions="The siblings were seen the same day.",
        potential_improvements="How agencies share what they see.",
        racism_inequality_disability="Considered; none found.",
        recommended_next_step=next_step,
    )
    services.rapid_review_send(actor=manager, referral=referral, sent_on=sent_on)
    services.panel_response_record(
        actor=group, referral=referral, kind="agrees", response="", responded_on=answered_on
    )
    return referral
