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
    data.update(overrides)
    return data


def make_referral(world, user=None, *, harm="serious_harm", looked_after=False, attachments=()):
    """A referral of bob's (Met Police), made through the service."""
    with inside(world.croydon):
        return services.referral_create(
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
