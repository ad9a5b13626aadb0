"""The public's requests for copies of a report no longer online, for the business manager: the
list, and each request with its decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from frontend.decorators import member_required
from frontend.forms.publications import DecisionForm
from publishing import selectors, services

STATUSES = ("pending", "approved", "refused")


@member_required
@require_GET
def copy_requests(request):
    status = request.GET.get("status", "")
    if status not in STATUSES:
        status = ""
    found = list(selectors.copy_requests_list(actor=request.actor, status=status))
    return render(request, "publications/copy_requests.html", {"requests": found, "status": status})


@member_required
@require_http_methods(["GET", "POST"])
def copy_request_decide(request, request_uuid):
    read = (
        selectors.copy_request_for_page
        if request.method == "GET"
        else selectors.access_copy_request
    )
    copy_request = read(actor=request.actor, request_uuid=request_uuid)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            services.copy_request_decide(
                actor=request.actor,
                copy_request=copy_request,
                approve=approve,
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                "Approved: the requester is emailed a link that works once, for 14 days."
                if approve
                else "Refused: the requester is told why.",
            )
            return redirect("frontend:copy-requests")
    return render(
        request,
        "publications/copy_request.html",
        {
            "copy_request": copy_request,
            "form": form if copy_request.status == "pending" else None,
            "page_error": bool(form.errors),
            "downloads": list(copy_request.downloads.all()),
        },
    )
