"""Who sees which reviews: the one rule the review, chronology and action selectors share. A lead
reviewer sees only the reviews they are appointed to, from their appointment on; the review
group sees every review; through the joint-review door, only the grant's review."""

import uuid as uuid_module

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from casework.models import Review, ReviewerAppointment
from tenants.actors import Actor
from tenants.clock import today
from tenants.models import Role
from tenants.roles import REVIEW_GROUP


def parse_uuid(value) -> uuid_module.UUID:
    """A UUID from a URL or a form; anything else is the same 404 as a missing record."""
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404("No such record.") from None


def visible_reviews(actor: Actor) -> QuerySet[Review]:
    reviews = Review.objects.all()
    if actor.is_joint:
        # Through the joint-review door: the grant's review, nothing else of the lead's.
        reviews = reviews.filter(uuid__in=list(actor.review_uuids))
    if actor.has_role(*REVIEW_GROUP):
        return reviews
    if actor.has_role(Role.LEAD_REVIEWER):
        live = ReviewerAppointment.objects.filter(
            review=OuterRef("pk"),
            profile__user_uuid=actor.user.uuid,
            ended_on__isnull=True,
            appointed_on__lte=today(),
        )
        return reviews.filter(Exists(live))
    return reviews.none()
