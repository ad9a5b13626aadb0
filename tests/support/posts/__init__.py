"""Every route of a partnership's host that takes a POST: who may post it (tests/support/
access.py), the state it needs (tests/support/preparations.py), and data that succeeds for
someone allowed (``Post.data``, made from the route's ``Scope``: the same names its URL is made
from, so the joint review's own objects through the door).

``Post.answer`` is the status everyone who may gets (302 back to the page, 200 for a page that
shows what it did, 201 from the API); ``Post.changes`` is False only for a POST that shows
something and changes nothing (the independence check of a lead reviewer).

The routes the joint-review door serves (``frontend:joint-…``) are asked by the participant's
people on its own host; data naming an agency names the participant's own (its mirror in the
lead's schema, as the form offers it there).

Routes that take a POST and are not here are exempt, each with its reason, in ``EXEMPT``
(tests/support/access.py).
"""

from tests.support.posts.entry import Post
from tests.support.posts.notifications import NOTIFICATIONS
from tests.support.posts.publications import PUBLICATIONS
from tests.support.posts.referrals import API, REFERRALS, WORKSPACE
from tests.support.posts.reviews import JOINT, REVIEWS

POSTS: dict[str, Post] = {
    **WORKSPACE,
    **REFERRALS,
    **API,
    **REVIEWS,
    **JOINT,
    **PUBLICATIONS,
    **NOTIFICATIONS,
}

__all__ = ["POSTS", "Post"]
