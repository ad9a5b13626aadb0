"""The roles people hold in a partnership (DESIGN §1), and the named groups of them the rules use.

Declared once, here: a service, selector or page that asks "is this the review group?" names the
group below, never a tuple of its own. What each group may do is the permissions' and services'
to say; this module only says who is in it and why.
"""

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    """The roles of DESIGN §1, held per partnership (``tenants.models.Membership``)."""

    BUSINESS_MANAGER = "business_manager", "Business manager"
    CHAIR = "chair", "Independent chair / safeguarding partner lead"
    REVIEW_GROUP_MEMBER = "review_group_member", "Review group member"
    LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
    AGENCY_USER = "agency_user", "Agency user"


# The partnership's leadership: the business manager, who runs the business unit, and the
# independent chair, who speaks for the safeguarding partners (Working Together 2023, ch. 2).
# They commission and staff reviews, start publications, answer joint-review invitations and
# read the audit trail.
MANAGERS = (Role.BUSINESS_MANAGER, Role.CHAIR)

# The review group: the leadership and the members who screen referrals, run rapid reviews and
# monitor action plans (DESIGN §1). It sees every referral, review and action of the partnership.
REVIEW_GROUP = (*MANAGERS, Role.REVIEW_GROUP_MEMBER)

# Everyone who works on casework for the partnership itself rather than for an agency: the
# review group and the independent lead reviewers (who see only the reviews they are appointed
# to). The people a joint review's grant may let through the door.
REVIEW_GROUP_AND_REVIEWERS = (*REVIEW_GROUP, Role.LEAD_REVIEWER)

# Who answers another partnership's invitation to a joint review and manages their
# partnership's part in it: the safeguarding partners, through the chair and the business unit.
JOINT_REVIEW_ANSWERERS = MANAGERS

# Who reads the partnership's audit trail: the business manager, who runs the workspace, and
# the chair, who is accountable for how casework is handled.
AUDIT_TRAIL_READERS = MANAGERS

# Who runs the partnership's workspace (agencies, members, API keys): the business manager.
WORKSPACE_MANAGERS = (Role.BUSINESS_MANAGER,)

# Every role but agency users signs in with a second factor: they see casework across the
# partnership, an agency user only their own agency's referrals (the foundation issue, item 3).
ROLES_WITHOUT_SECOND_FACTOR = frozenset({Role.AGENCY_USER})


# The words a person sees when their role does not allow what they asked (a 403).
ROLE_REFUSED = "Your role in this partnership does not allow this."


def refuse_unless(allowed: bool, message: str = ROLE_REFUSED) -> None:
    """Raise ``PermissionDenied`` with ``message`` unless ``allowed``: the ``require_*`` rules'
    one way of saying no."""
    if not allowed:
        raise PermissionDenied(message)
