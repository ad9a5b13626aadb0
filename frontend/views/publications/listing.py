"""The publications list, and starting a publication: from a completed review, or entering one
the partnership published before it used Safeguard."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from casework import selectors as casework_selectors
from frontend.decorators import member_required
from frontend.forms.publications import EnterForm, StartForm
from publishing import permissions, selectors, services

LIST = "publications/list.html"


def _list_context(request, forms=None) -> dict:
    actor = request.actor
    may_start = permissions.may_start_publication(actor)
    context = {
        "publications": selectors.publications_for_page(actor=actor),
        "may_start": may_start,
        "waiting_requests": selectors.copy_requests_waiting(actor=actor),
        "may_decide_copy_requests": permissions.may_decide_copy_requests(actor),
    }
    if may_start:
        reviews = list(selectors.reviews_ready_to_publish(actor=actor))
        context["start_form"] = StartForm(reviews=reviews)
        context["enter_form"] = EnterForm()
    context.update(forms or {})
    return context


def _starter(request):
    """Only those who may start one see its forms; a post from anyone else is refused as the
    service would refuse it (a 403), not answered with the form's errors."""
    if not permissions.may_start_publication(request.actor):
        raise PermissionDenied(permissions.ROLE_REFUSED)
    return request.actor


def _started(request, form, key: str, start):
    """Start a publication from the form when it reads: to its page, or the list with the
    form's errors."""
    if form.is_valid():
        try:
            publication, message = start(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, message)
            return redirect("frontend:publication", publication.uuid)
    context = _list_context(request, {key: form})
    return render(request, LIST, {**context, "page_error": True})


@member_required
@require_GET
def publication_list(request):
    return render(request, LIST, _list_context(request))


@member_required
@require_POST
def publication_start(request):
    actor = _starter(request)
    form = StartForm(request.POST, reviews=list(selectors.reviews_ready_to_publish(actor=actor)))

    def start(data):
        review = casework_selectors.access_review(actor=actor, reference=data["review"])
        publication = services.publication_create(actor=actor, review=review)
        return publication, "The publication is started: write its public record."

    return _started(request, form, "start_form", start)


@member_required
@require_POST
def publication_enter(request):
    actor = _starter(request)

    def enter(data):
        publication = services.publication_enter_directly(
            actor=actor,
            title=data["title"],
            review_type=data["review_type"],
            published_on=data["published_on"],
            summary_only=data["summary_only"],
        )
        return publication, "The review is entered: add its document."

    return _started(request, EnterForm(request.POST), "enter_form", enter)
