"""The referral form, the triage list (the review group's; an agency sees its own referrals
there) and an agency's rapid-review contribution. Who may is asked of ``casework.permissions``;
every change is a casework service's, which checks the rule again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from casework import permissions, selectors, services
from frontend.decorators import allowed_if, member_required
from frontend.forms.referral_sections import ContributionForm
from frontend.forms.referrals import ReferralEntry, TriageFilterForm
from frontend.views.clocks import clock_row
from tenants.agencies.selectors import access_agency, agency_list
from tenants.clock import today


def _next_open_clock(referral):
    open_clocks = [clock for clock in referral.clocks.all() if clock.stopped_on is None]
    return min(open_clocks, key=lambda clock: (clock.due, clock.pk), default=None)


# --- The referral form -------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
@allowed_if(permissions.may_refer, "Agencies, and the business manager for them, refer cases.")
def referral_new(request):
    actor = request.actor
    choose_agency = permissions.may_refer_for_an_agency(actor)
    agencies = list(selectors.referral_agency_choices())
    entry = ReferralEntry(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        agencies=agencies,
        choose_agency=choose_agency,
        choose_regime=permissions.may_choose_regime(actor),
    )
    if request.method == "POST" and entry.is_valid():
        data = entry.form.cleaned_data
        try:
            referral = services.referral_create(
                actor=actor,
                agency=access_agency(actor=actor, agency_uuid=data["agency"])
                if data.get("agency")
                else None,
                incident_date=data["incident_date"],
                aware_date=data["aware_date"],
                harm=data["harm"],
                abuse_or_neglect=data["abuse_or_neglect"],
                circumstances=data["circumstances"],
                regime=data.get("regime") or None,
                regime_reason=data.get("regime_reason", ""),
                working_together_concern=data["working_together_concern"],
                children=entry.child_inputs(),
                agencies_involved=entry.form.agency_names(),
                summary=data["summary"],
                attachments=entry.form.uploads(),
            )
        except ValidationError as error:
            entry.add_service_errors(error)
        else:
            messages.success(request, f"Referral {referral.reference} sent.")
            return redirect("frontend:referral", referral.reference)
    return render(request, "referrals/new.html", {"entry": entry})


# --- The triage list ---------------------------------------------------------------------------


@member_required
@require_GET
@allowed_if(
    permissions.may_see_referrals, "Referrals are for the review group and the referring agencies."
)
def referral_list(request):
    actor = request.actor
    agencies = None if actor.is_agency else agency_list(actor=actor, include_inactive=True)
    form = TriageFilterForm(request.GET or None, agencies=agencies)
    day = today()
    rows = []
    for referral in selectors.referral_list(actor=actor, **form.filters()):
        clock = _next_open_clock(referral)
        rows.append(
            {
                "referral": referral,
                "clock": clock_row(clock, day) if clock else None,
                "waiting": selectors.referral_waiting(referral),
            }
        )
    context = {
        "form": form,
        "rows": rows,
        "filtered": any(form.filters().values()),
        "may_refer": permissions.may_refer(actor),
        "contribution_requests": list(selectors.contribution_requests_for_agency(actor=actor))
        if actor.is_agency
        else [],
        "today": day,
    }
    template = "referrals/list.html#results" if request.htmx else "referrals/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- The agency's contribution -----------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def contribution(request, reference):
    actor = request.actor
    contribution_request = selectors.contribution_request_for_page(actor=actor, reference=reference)
    form = ContributionForm(
        request.POST or None,
        initial={
            "facts": contribution_request.facts,
            "involvement": contribution_request.involvement,
            "immediate_safety_actions": contribution_request.immediate_safety_actions,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_submit(
                actor=actor, request=contribution_request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Your contribution to {contribution_request.rapid_review.referral.reference} "
                "is sent.",
            )
            return redirect("frontend:contribution", reference=reference)
    return render(
        request,
        "referrals/contribution.html",
        {
            "contribution_request": contribution_request,
            "referral": contribution_request.rapid_review.referral,
            "closed": bool(contribution_request.rapid_review.sent_to_panel_on),
            "form": form,
        },
    )
