from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from casework import review_selectors
from casework import selectors as casework_selectors
from casework import services as casework_services
from casework.joint import listings
from casework.joint import selectors as joint_selectors
from frontend.decorators import member_required
from frontend.views.referrals import clock_row
from tenants.models import Role
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
    day = casework_services.today()
    in_review_group = actor.has_role(*casework_services.REVIEW_GROUP)
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
            "in_review_group": in_review_group,
            "today": day,
            "attention": [
                clock_row(clock, day)
                for clock in casework_selectors.clocks_needing_attention(actor=actor, limit=5)
            ]
            if in_review_group
            else [],
            "contribution_requests": list(
                casework_selectors.contribution_requests_for_agency(actor=actor)[:10]
            )
            if actor.is_agency
            else [],
            "information_requests": list(
                review_selectors.information_requests_for_agency(actor=actor)[:20]
            )
            if actor.is_agency
            else [],
            "my_reviews": list(review_selectors.review_list(actor=actor))
            if actor.has_role(Role.LEAD_REVIEWER)
            else [],
            # Reviews other partnerships lead with this one, read through the door: a fixed
            # number of queries per lead partnership, whatever the number of reviews.
            "joint_reviews": listings.joint_reviews_taking_part(actor=actor, purpose="dashboard")
            if in_review_group or actor.has_role(Role.LEAD_REVIEWER)
            else [],
            "joint_information_requests": listings.joint_information_requests(
                actor=actor, purpose="dashboard", limit=20
            )
            if actor.is_agency
            else [],
            "invitations_waiting": joint_selectors.live_part_count(actor=actor),
        },
    )
