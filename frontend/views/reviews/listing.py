"""The list of reviews (the review group's every review, a lead reviewer's own) and
commissioning a thematic review (``casework.permissions.may_commission_review``; the service
checks it again)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from casework import permissions, selectors, services
from frontend.decorators import allowed_if, member_required
from frontend.forms.reviews import ReviewCommissionForm
from tenants.agencies.selectors import agency_list


def _commission_form(actor, data=None):
    return ReviewCommissionForm(
        data,
        # Choices for the form, not a read of the list: the page records its own.
        referrals=selectors.referral_list(actor=actor, audit=False),
        agencies=agency_list(actor=actor),
    )


@member_required
@require_http_methods(["GET", "POST"])
@allowed_if(
    permissions.may_see_reviews, "Reviews are for the review group and the appointed reviewers."
)
def review_list(request):
    actor = request.actor
    may_commission = permissions.may_commission_review(actor)
    form = _commission_form(actor) if may_commission else None
    if request.method == "POST":
        if not may_commission:
            raise PermissionDenied("The business manager or the chair commissions a review.")
        form = _commission_form(actor, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.thematic_review_commission(
                    actor=actor,
                    title=data["title"],
                    commissioned_on=data["commissioned_on"],
                    referrals=list(
                        selectors.referral_list(actor=actor, audit=False).filter(
                            reference__in=data["referrals"]
                        )
                    ),
                    agencies=list(agency_list(actor=actor).filter(uuid__in=data["agencies"])),
                    review_type=data["review_type"] or "thematic",
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Review {review.reference} commissioned.")
                return redirect("frontend:review", review.reference)
    return render(
        request,
        "reviews/list.html",
        {
            "reviews": selectors.review_list_for_page(actor=actor),
            "is_reviewer": permissions.is_reviewer(actor),
            "may_manage_joint_reviews": permissions.may_manage_joint_reviews(actor),
            "form": form,
            "page_error": bool(form is not None and form.errors),
        },
    )
