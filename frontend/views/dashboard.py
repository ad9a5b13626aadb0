from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from casework import permissions
from casework.joint import selectors as joint_selectors
from casework.selectors import lists
from frontend.decorators import member_required
from frontend.views.clocks import clock_row
from tenants.addresses import partnership_url
from tenants.agencies.selectors import agency_for_actor
from tenants.clock import today
from tenants.selectors import membership_list_for_user
from tenants.services import may_make_recovery_codes


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
    day = today()
    may_see_clock_board = permissions.may_see_clock_board(actor)
    # Its casework, the joint reviews' included, read and recorded once.
    casework = lists.dashboard_for_page(actor=actor)
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
            "may_see_clock_board": may_see_clock_board,
            "is_reviewer": permissions.is_reviewer(actor),
            "may_make_recovery_codes": may_make_recovery_codes(user=actor.user),
            "today": day,
            **casework,
            "attention": [clock_row(clock, day) for clock in casework["attention"]],
            "invitations_waiting": joint_selectors.live_part_count(actor=actor),
        },
    )
