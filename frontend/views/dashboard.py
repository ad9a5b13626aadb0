from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from frontend.decorators import member_required
from tenants.selectors import membership_list_for_user, partnership_url
from tenants.workspace.selectors import agency_for_actor


@require_GET
def home(request):
    """A partnership's front door: straight to the dashboard when signed in here."""
    if request.actor is not None:
        return redirect("frontend:dashboard")
    return render(request, "dashboard/home.html")


@member_required
@require_GET
def dashboard(request):
    actor = request.actor
    memberships = [
        {
            "membership": membership,
            "url": partnership_url(
                partnership=membership.partnership,
                path="/dashboard/",
                scheme=request.scheme,
                port=request.get_port(),
            ),
            "is_here": membership.partnership_id == actor.partnership.pk,
        }
        for membership in membership_list_for_user(user=actor.user)
    ]
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "memberships": memberships,
            "agency": agency_for_actor(actor=actor) if actor.is_agency else None,
        },
    )
