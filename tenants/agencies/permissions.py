"""Who runs the partnership's workspace and reads its audit trail, declared once (the groups
themselves: ``tenants.roles``). Pages ask ``may_*`` to decide what to show; the services and
selectors of ``tenants.agencies`` and ``tenants.services`` check the same rule."""

from tenants.actors import Actor
from tenants.roles import AUDIT_TRAIL_READERS, WORKSPACE_MANAGERS


def may_run_workspace(actor: Actor) -> bool:
    """The business manager runs the workspace: agencies, members, API keys (DESIGN §1)."""
    return actor.has_role(*WORKSPACE_MANAGERS)


def may_read_audit_trail(actor: Actor) -> bool:
    """The business manager and the chair read the partnership's audit trail (DESIGN §1, §5)."""
    return actor.has_role(*AUDIT_TRAIL_READERS)
