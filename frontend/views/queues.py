"""Work queues on the web (issue 14, item 1): each queue of ``casework.selectors.queues`` as a
page of its own at ``/work/<queue>/``, filtered and paginated; the dashboard counts them."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from casework.selectors import queues, referral_waiting
from frontend.decorators import member_required
from frontend.forms.queues import QueueFilterForm
from frontend.views.reviews.chronology import pagination
from tenants.agencies.selectors import agency_list
from tenants.clock import today

QUEUE_PAGE_SIZE = 50


@member_required
@require_GET
def queue(request, key):
    actor = request.actor
    named = queues.queue_named(key)
    agencies = agency_list(actor=actor, include_inactive=True) if named.agency_field else None
    form = QueueFilterForm(request.GET or None, queue=named, agencies=agencies)
    named, rows = queues.queue_for_page(actor=actor, key=key, filters=form.filters())
    paginator = Paginator(rows, QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if named.kind == "referral":
        page.object_list = [(r, referral_waiting(r)) for r in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "queue": named,
        "form": form,
        "page": page,
        "pages": pagination(page.number, paginator.num_pages),
        "query": query.urlencode(),
        "base": reverse(f"frontend:work-{named.key}"),
        "filtered": any(vars(form.filters()).values()),
        "today": today(),
    }
    template = "work/queue.html#results" if request.htmx else "work/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
