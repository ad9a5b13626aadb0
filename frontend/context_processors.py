from django.conf import settings

from casework import permissions
from publishing.permissions import may_see_publications
from tenants.agencies.permissions import may_read_audit_trail, may_run_workspace


def _menu(actor) -> dict:
    """Which of the service's areas the signed-in person's menu offers, asked of the rules that
    guard them (each page checks its own again)."""
    if actor is None:
        return {}
    return {
        "referrals": permissions.may_see_referrals(actor),
        "reviews": permissions.may_see_reviews(actor),
        "publications": may_see_publications(actor),
        "actions": permissions.may_follow_action_plans(actor),
        "clocks": permissions.may_see_clock_board(actor),
        "search": permissions.may_search_casework(actor),
        "workspace": may_run_workspace(actor),
        "audit_trail": may_read_audit_trail(actor),
    }


def service(request):
    """What every page's layout needs: the partnership this host serves, who is signed in and
    what their menu offers."""
    actor = getattr(request, "actor", None)
    return {
        "partnership": getattr(request, "partnership", None),
        "actor": actor,
        "membership": getattr(request, "membership", None),
        "platform_domain": settings.PLATFORM_DOMAIN,
        "menu": _menu(actor),
    }
