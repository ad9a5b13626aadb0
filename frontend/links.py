"""Addresses of a review's pages. One review model serves single and joint reviews, and so do
the same views and templates: the lead's people reach a review at
``/case-reviews/<reference>/…``, a participant's people on their own host at
``/joint-reviews/<uuid>/…`` (through the door). Every link and redirect of the review workspace
is made here, so it points the right way."""

from django.urls import reverse

# Pages named by their own UUID (an action, an information request), not the review's reference.
NOT_UNDER_THE_REVIEW = frozenset(
    {"action", "action-verify", "action-evidence", "information-request"}
)


def through_the_door(request, review=None) -> bool:
    """Whether this page is a joint review seen from a participant's host: the request came
    through the door, or the review was read through it for a list."""
    return getattr(request, "joint", None) is not None or bool(
        getattr(review, "through_door", False)
    )


def _joint_name(name: str) -> str:
    # Read when a link is made: the URL table imports the views, which import this module.
    from frontend.urls import JOINT_NAME_OF

    return JOINT_NAME_OF[name]


def review_path(request, name: str, review, *args) -> str:
    """The path of the review page ``name`` (a URL name without the ``frontend:`` namespace,
    e.g. ``review-chronology``) with ``args`` after the review's own identifier; through the
    door, the same page's joint-review address (``frontend.urls.REVIEW_PAGES``)."""
    passage = getattr(request, "joint", None)
    if passage is not None:
        return reverse("frontend:" + _joint_name(name), args=[passage.grant.review_uuid, *args])
    if getattr(review, "through_door", False):
        return reverse("frontend:" + _joint_name(name), args=[review.uuid, *args])
    if name in NOT_UNDER_THE_REVIEW:
        return reverse("frontend:" + name, args=list(args))
    return reverse("frontend:" + name, args=[review.reference, *args])
