"""Who does a thing in the services: a member of a partnership as their ``Actor`` (the services
take one, never a user), or the platform itself acting in a partnership (its tasks)."""

from tenants.actors import Actor, actor_for_member, actor_for_platform
from tenants.models import Membership, Partnership, User


def actor_of(user: User, partnership: Partnership) -> Actor:
    """``user`` as a member of ``partnership``."""
    membership = Membership.objects.select_related("user", "partnership").get(
        user=user, partnership=partnership
    )
    return actor_for_member(membership=membership)


def actor(world, who: str, partnership: Partnership | None = None) -> Actor:
    """A person of the test world by name (``"alice"``), as a member of ``partnership``
    (Croydon unless named)."""
    return actor_of(getattr(world, who), partnership or world.croydon)


def system(partnership: Partnership) -> Actor:
    """The platform acting in ``partnership``, as its tasks do."""
    return actor_for_platform(partnership=partnership, label="test")
