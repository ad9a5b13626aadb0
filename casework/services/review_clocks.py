"""A review's own clocks (its review type's, ``casework.processes.REVIEW_TYPES``), kept in line
with what has been recorded, as a referral's clocks are with the referral's
(``casework.services.clocks``): real ``Clock`` rows belonging to the review alone, shown on the
clocks page with their sources and reminded by the same daily job. Recording a domestic abuse
related death review's submission to the Home Office stops its clock."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import permissions
from casework.audit import review_audit
from casework.models import Clock, Review
from casework.processes import plan_review_clocks
from casework.services.clocks import clock_rows_sync
from tenants.actors import Actor
from tenants.clock import today

# The publication states in which a report (or, withheld, its improvements) is out: the
# publication clock stops on the day. Publishing keeps them; casework only reads them.
_OUT = ("published", "on_request", "not_published")


def review_events(review: Review) -> dict[str, datetime.date]:
    """The dates a review's clocks count from and stop on, from what has been recorded."""
    events: dict[str, datetime.date] = {"commissioned": review.commissioned_on}
    if review.completed_on:
        events["completed"] = review.completed_on
    if review.home_office_sent_on:
        events["home_office_sent"] = review.home_office_sent_on
    publication = getattr(review, "publication", None)
    if publication is not None:
        if publication.published_on and publication.state in _OUT:
            events["published"] = publication.published_on
        if publication.not_published_on:
            events["not_publish_decided"] = publication.not_published_on
        sent = (publication.reasons_panel_sent_on, publication.reasons_secretary_of_state_sent_on)
        if all(sent):
            events["not_publish_reasons_sent"] = max(sent)
    return events


def review_clocks_sync(*, review: Review) -> list[Clock]:
    """Bring the review's clocks in line with its recorded dates: a clock starts when the event
    it counts from is recorded and stops (keeping that date) when its stopping event is, and
    follows a corrected date (or a withdrawn publication, which reopens the publication clock);
    an unstopped clock its type no longer has is removed."""
    plans = plan_review_clocks(review.review_type, review_events(review))
    existing = {clock.name: clock for clock in Clock.objects.filter(review=review, referral=None)}
    reopening = {rule.name for rule in review.definition.clocks if rule.reopens}
    return clock_rows_sync(plans, existing, reopening, review=review)


def home_office_submission_record(
    *, actor: Actor, review: Review, sent_on: datetime.date | None
) -> Review:
    """Record the day a domestic abuse related death review's overview report was sent to the
    Home Office (Home Office DHR statutory guidance, 2016): its clock stops that day. Not before
    the review was commissioned, not in the future; changing a recorded date is audited with
    the date it replaces."""
    permissions.require_reviewer_manager(
        actor, "The lead partnership records the review's submission to the Home Office."
    )
    if "home_office_submission" not in {rule.name for rule in review.definition.clocks}:
        raise ValidationError(
            ["Only a domestic abuse related death review goes to the Home Office."]
        )
    if sent_on is None:
        raise ValidationError({"sent_on": ["Enter the date the report was sent."]})
    if sent_on > today():
        raise ValidationError({"sent_on": ["The date cannot be in the future."]})
    if sent_on < review.commissioned_on:
        raise ValidationError(
            {"sent_on": [f"The date cannot be before {review.commissioned_on.isoformat()}."]}
        )
    with transaction.atomic():
        before = review.home_office_sent_on
        review.home_office_sent_on = sent_on
        review.home_office_sent_by = actor.label
        review.save(update_fields=["home_office_sent_on", "home_office_sent_by"])
        review_clocks_sync(review=review)
        review_audit(
            actor,
            review,
            "review.home_office_sent",
            sent_on=sent_on.isoformat(),
            replaces=before.isoformat() if before else None,
        )
    return review
