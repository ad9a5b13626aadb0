"""A partnership's public area, on its own host, for anyone (no sign-in): its published reviews
newest first (joint reviews it took part in included, whichever partnership led them), each
review's page, its documents while it is online, the request-a-copy form once it is not, and
the single-use links a request's approval sends.

The list and the pages read the national library index, the anonymised public record; the
documents and the requests are the lead partnership's, on its host.
"""

import logging
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from frontend.forms.publications import CopyRequestForm
from publishing import selectors, services
from publishing.library.models import AgeBand
from publishing.library.selectors import (
    library_record_get,
    library_records_of_partnership,
    partnerships_by_key,
    theme_labels,
)
from publishing.models import PublicationState
from tenants.actors import actor_for_platform
from tenants.addresses import partnership_url, platform_url
from tenants.files import StoredFileAltered
from tenants.throttles import client_address

logger = logging.getLogger(__name__)
PUBLIC_LABEL = "a member of the public"


def _public_actor(request):
    return actor_for_platform(
        partnership=request.partnership, label=PUBLIC_LABEL, request_id=request.request_id
    )


def _partnership_only(request) -> None:
    if request.partnership is None:
        raise Http404("No such page.")


def record_links(request, record, partnerships: dict, labels: dict | None = None) -> dict:
    """Where a record's pages and documents are: documents and requests on the lead
    partnership's host, the review's page on each partnership's."""
    lead = partnerships.get(record.lead_partnership_key)
    here = request.partnership.key if request.partnership else ""

    def on(partnership, path):
        if partnership is None:
            return ""
        if partnership.key == here:
            return path
        return partnership_url(
            partnership=partnership, path=path, scheme=request.scheme, port=request.get_port()
        )

    page = reverse(
        "frontend:public-review", urlconf="safeguard.urls_partnership", args=[record.uuid]
    )
    published = reverse("frontend:public-reviews", urlconf="safeguard.urls_partnership")
    labels = labels or {}
    return {
        "record": record,
        "themes": [(slug, labels.get(slug, slug.replace("-", " "))) for slug in record.themes],
        # Each partnership's name leads to its page of the review; the partnership whose host
        # this is, to its published reviews (its page of the review is this very page).
        "pages": [
            {
                "name": item["name"],
                "url": on(
                    partnerships.get(item["key"]), published if item["key"] == here else page
                ),
            }
            for item in record.partnerships
        ],
        "documents": [
            {
                **document,
                "url": on(
                    lead,
                    reverse(
                        "frontend:public-review-document",
                        urlconf="safeguard.urls_partnership",
                        args=[record.uuid, document["uuid"]],
                    ),
                ),
            }
            for document in record.documents
        ],
        "request_url": on(
            lead,
            reverse(
                "frontend:public-review-request",
                urlconf="safeguard.urls_partnership",
                args=[record.uuid],
            ),
        ),
        "library_url": platform_url(f"/library/{record.uuid}/"),
    }


@require_http_methods(["GET", "POST"])
def reviews_index(request):
    """``/reviews/``: the published reviews (also always at ``/reviews/published/``); the
    partnership's signed-in people, who found their review list here before it moved to
    ``/case-reviews/``, are sent on there (for now only: signed out, this is the public page)."""
    signed_in = request.user.is_authenticated
    if request.partnership is not None and (request.actor is not None or signed_in):
        return redirect("frontend:review-list")
    if request.method != "GET":
        raise Http404("No such page.")
    return published_list(request)


@require_GET
def published_list(request):
    _partnership_only(request)
    records = list(library_records_of_partnership(key=request.partnership.key))
    partnerships = partnerships_by_key(
        keys={key for record in records for key in record.partnership_keys}
    )
    labels = theme_labels()
    return render(
        request,
        "public/reviews.html",
        {
            "items": [record_links(request, record, partnerships, labels) for record in records],
            "library_url": platform_url("/library/"),
        },
    )


def _record_here(request, publication_uuid):
    _partnership_only(request)
    record = library_record_get(record_uuid=publication_uuid)
    if record is None or request.partnership.key not in record.partnership_keys:
        raise Http404("No such review.")
    return record


def record_page(request, record, template: str):
    """A library record's page, the library's or a partnership's public one: the record, where
    its pages and documents are, and the labels of its themes and age bands."""
    partnerships = partnerships_by_key(keys=record.partnership_keys)
    links = record_links(request, record, partnerships, theme_labels())
    return render(request, template, {**links, "age_labels": dict(AgeBand.choices)})


@require_GET
def public_review(request, publication_uuid):
    return record_page(request, _record_here(request, publication_uuid), "public/review.html")


def _unavailable(request, record, status: int, why: str):
    partnerships = partnerships_by_key(keys=record.partnership_keys)
    return render(
        request,
        "public/document_unavailable.html",
        {**record_links(request, record, partnerships), "why": why},
        status=status,
    )


@require_GET
def public_document(request, publication_uuid, document_uuid):
    """A published document while it is online, checked byte for byte against what the gate
    passed. After the retention period it is no longer served (410, with the way to ask)."""
    record = _record_here(request, publication_uuid)
    publication = selectors.public_publication(publication_uuid=publication_uuid)
    if publication is None:
        raise Http404("No such document.")
    if publication.state == PublicationState.ON_REQUEST:
        return _unavailable(request, record, 410, "on_request")
    try:
        document, content = services.public_document_download(
            publication=publication, document_uuid=document_uuid
        )
    except publication.documents.model.DoesNotExist:
        raise Http404("No such document.") from None
    except StoredFileAltered:
        return _unavailable(request, record, 503, "altered")
    return _file(document, content, inline=document.content_type == "application/pdf")


def _file(document, content: bytes, *, inline: bool) -> HttpResponse:
    extension = "pdf" if document.content_type == "application/pdf" else "docx"
    response = HttpResponse(content, content_type=document.content_type)
    disposition = "inline" if inline else "attachment"
    name = f"{document.get_kind_display().lower().replace(' ', '-')}.{extension}"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def request_copy(request, publication_uuid):
    """The request-a-copy form of a publication no longer online (on the lead partnership's
    host, which keeps the requests)."""
    record = _record_here(request, publication_uuid)
    publication = selectors.public_publication(publication_uuid=publication_uuid)
    if publication is None:
        links = record_links(request, record, partnerships_by_key(keys=record.partnership_keys))
        if links["request_url"]:
            return redirect(links["request_url"])
        raise Http404("No such review.")
    if publication.state != PublicationState.ON_REQUEST:
        return redirect("frontend:public-review", record.uuid)
    form = CopyRequestForm(request.POST or None, documents=record.documents)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.copy_request_create(
                actor=_public_actor(request),
                publication=publication,
                document_uuid=data["document"],
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                reason=data["reason"],
                client_address=client_address(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            status = 400
        except services.CopyRequestThrottled as error:
            return render(
                request,
                "public/request_throttled.html",
                {"record": record, "message": str(error)},
                status=429,
            )
        else:
            return redirect(
                reverse("frontend:public-review-request", args=[record.uuid])
                + "?"
                + urlencode({"sent": "1"})
            )
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "public/request_copy.html",
        {
            "record": record,
            "form": form,
            "sent": request.GET.get("sent") == "1" and request.method == "GET",
            "page_error": bool(form.errors),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def copy_link(request, token):
    """A link sent on request: a page with a download button (so that a mail scanner opening
    the link does not spend it); the download works once, within 14 days."""
    _partnership_only(request)
    link = selectors.copy_link_state(token=token)
    if request.method == "POST" and link.state == "valid":
        try:
            document, content = services.copy_link_download(
                actor=_public_actor(request), token=token
            )
        except ValidationError:
            link = selectors.copy_link_state(token=token)
        except StoredFileAltered:
            logger.error("A copy link's document differs from the file the gate checked")
            link.state = "altered"
        else:
            return _file(document, content, inline=False)
    status = {"valid": 200, "unknown": 404, "altered": 503}.get(link.state, 410)
    title = ""
    if link.request is not None and link.request.publication.public_record_run_id:
        title = link.request.publication.public_record_run.record_snapshot["title"]
    return render(
        request,
        "public/copy_link.html",
        {"link": link, "title": title, "token": token},
        status=status,
    )
