"""Who sees which reviews: the one rule the review, chronology and action selectors share. A lead
reviewer sees only the reviews they are appointed to, from their appointment on; the review
group sees every review; through the joint-review door, only the grant's review."""

from django.db.models import Exists, OuterRef, QuerySet

from casework.models import Review, ReviewerAppointment
from tenants.actors import Actor
from tenants.clock import today
from tenants.models import Role
from tenants.roles import REVIEW_GROUP


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
