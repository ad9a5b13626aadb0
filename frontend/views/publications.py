"""Publications on the web, for the partnership's people: the list, starting one, and each
publication's page (its public record, identifiers to check, documents and the anonymisation
gate, chair's statements, the 7-minute briefing, the notice and publication), the redaction log
and the requests for copies.

Every page reaches its publication through ``access_publication``: an agency, an unappointed
reviewer and another partnership get the same 404. Every change is a publishing service's; a
refusal by role is a 403; a ValidationError is shown in the form's error summary.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import selectors as review_selectors
from frontend.decorators import member_required
from frontend.forms.base import ButtonForm
from frontend.forms.publications import (
    AcceptForm,
    BriefingForm,
    DecisionForm,
    DelayForm,
    DocumentForm,
    EnterForm,
    IdentifierForm,
    KeepOnlineForm,
    NoticeForm,
    ReasonForm,
    RecordForm,
    ScheduleForm,
    StartForm,
    StatementForm,
)
from frontend.sections import section_answer
from frontend.views.reviews import private_file
from publishing import selectors, services
from publishing.library.selectors import themes_offered
from publishing.models import (
    PREPARING_STATES,
    PUBLIC_STATES,
    DocumentKind,
    GateState,
    PublicationState,
)
from publishing.notice import NOTICE_SOURCE, NOTICE_WORKING_DAYS
from tenants.clock import today
from tenants.roles import MANAGERS, Role

PAGE = "publications/publication.html"


def _require_reader(actor) -> None:
    if not selectors.may_see_publications(actor):
        raise PermissionDenied("Publications are for the review group and the reviewers.")


# --- The list ----------------------------------------------------------------------------------


def _list_context(request, forms=None) -> dict:
    actor = request.actor
    may_start = actor.has_role(*MANAGERS)
    context = {
        "publications": selectors.publications_for_page(actor=actor),
        "may_start": may_start,
        "waiting_requests": selectors.copy_requests_waiting(actor=actor),
    }
    if may_start:
        reviews = list(selectors.reviews_ready_to_publish(actor=actor))
        context["start_form"] = StartForm(reviews=reviews)
        context["enter_form"] = EnterForm()
    context.update(forms or {})
    return context


@member_required
@require_GET
def publication_list(request):
    _require_reader(request.actor)
    return render(request, "publications/list.html", _list_context(request))


@member_required
@require_POST
def publication_start(request):
    actor = request.actor
    actor.require_role(*MANAGERS)
    reviews = list(selectors.reviews_ready_to_publish(actor=actor))
    form = StartForm(request.POST, reviews=reviews)
    if form.is_valid():
        try:
            review = review_selectors.access_review(
                actor=actor, reference=form.cleaned_data["review"]
            )
            publication = services.publication_create(actor=actor, review=review)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The publication is started: write its public record.")
            return redirect("frontend:publication", publication.uuid)
    context = _list_context(request, {"start_form": form})
    return render(request, "publications/list.html", {**context, "page_error": True})


@member_required
@require_POST
def publication_enter(request):
    actor = request.actor
    actor.require_role(*MANAGERS)
    form = EnterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            publication = services.publication_enter_directly(
                actor=actor,
                title=data["title"],
                review_type=data["review_type"],
                published_on=data["published_on"],
                summary_only=data["summary_only"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The review is entered: add its document.")
            return redirect("frontend:publication", publication.uuid)
    context = _list_context(request, {"enter_form": form})
    return render(request, "publications/list.html", {**context, "page_error": True})


# --- A publication's page ----------------------------------------------------------------------


def _document_kinds(publication):
    if publication.summary_only:
        return [(DocumentKind.EXECUTIVE_SUMMARY, DocumentKind.EXECUTIVE_SUMMARY.label)]
    return DocumentKind.choices


def _page_context(request, publication, forms=None) -> dict:
    actor = request.actor
    is_manager = actor.has_role(*MANAGERS)
    is_chair = actor.has_role(Role.CHAIR)
    may_prepare = is_manager or services.is_appointed_reviewer(actor, publication)
    readiness = selectors.publication_readiness(publication=publication)
    preparing = publication.state in PREPARING_STATES
    checks = []
    for check in readiness.checks:
        hits = list(check.run.hits.order_by("position")) if check.run else []
        checks.append(
            {
                "check": check,
                "hits": [
                    {
                        "hit": hit,
                        "form": AcceptForm(hit_uuid=str(hit.uuid))
                        if is_chair and not hit.accepted and publication.state != "withdrawn"
                        else None,
                    }
                    for hit in hits
                ],
            }
        )
    briefing = selectors.briefing_for(publication=publication)
    statement = next(
        (
            s
            for s in selectors.statements_of(publication=publication)
            if s.partnership_key == actor.partnership.key
        ),
        None,
    )
    context = {
        "publication": publication,
        "readiness": readiness,
        "checks": checks,
        "busy": any(c["check"].run and c["check"].run.state != GateState.DONE for c in checks),
        "identifiers": list(publication.identifiers.all()),
        "statements": selectors.statements_of(publication=publication),
        "documents": list(publication.documents.order_by("kind", "-version")),
        "public_documents": selectors.public_documents(publication=publication),
        "earliest": selectors.earliest_publication_date(publication=publication),
        "notice_working_days": NOTICE_WORKING_DAYS,
        "notice_source": NOTICE_SOURCE,
        "is_manager": is_manager,
        "is_chair": is_chair,
        "may_prepare": may_prepare,
        "preparing": preparing,
        "is_public": publication.state in PUBLIC_STATES,
        "public_url": reverse("frontend:public-review", args=[publication.uuid])
        if publication.state in PUBLIC_STATES
        else "",
        "case_identifiers": len(services.gate_identifiers(publication))
        - publication.identifiers.count(),
        "today": today(),
    }
    if is_manager and publication.state != PublicationState.WITHDRAWN:
        context["record_form"] = RecordForm(
            initial=RecordForm.initial_from(publication),
            themes=_themes_for(publication),
        )
    if may_prepare and publication.state != PublicationState.WITHDRAWN:
        context["identifier_form"] = IdentifierForm()
    if may_prepare and preparing:
        context["document_form"] = DocumentForm(kinds=_document_kinds(publication))
    if is_chair and publication.state != PublicationState.WITHDRAWN:
        context["statement_form"] = StatementForm(
            initial={
                "chair_name": statement.chair_name if statement else (actor.user.full_name or ""),
                "chair_role": statement.chair_role if statement else "Independent Chair",
                "text": statement.text if statement else "",
            }
        )
    if is_manager and preparing:
        context["notice_form"] = NoticeForm(
            initial={
                "panel_sent_on": publication.panel_sent_on,
                "secretary_of_state_sent_on": publication.secretary_of_state_sent_on,
                "ofsted_sent_on": publication.ofsted_sent_on,
            }
        )
        if not publication.summary_only:
            context["briefing_form"] = BriefingForm(
                initial={name: getattr(briefing, name) for name in services.BRIEFING_SECTIONS}
            )
            context["briefing_saved"] = briefing.pk is not None
        if publication.entered_directly:
            context["as_published_form"] = ButtonForm(
                submit="Record it as published", prefix="as-published"
            )
        else:
            context["schedule_form"] = ScheduleForm(
                initial={"scheduled_for": publication.scheduled_for}
            )
            context["publish_form"] = ButtonForm(submit="Publish now", prefix="publish")
            if publication.is_delayed:
                context["lift_form"] = ButtonForm(
                    submit="Lift the delay", prefix="lift", secondary=True
                )
            else:
                context["delay_form"] = DelayForm()
            context["not_published_form"] = ReasonForm(
                prefix="not-published",
                label="Why the report is not published",
                hint="Not published. The improvements in the public record are published instead.",
                submit="Do not publish the report",
            )
        if publication.state == PublicationState.SCHEDULED:
            context["unschedule_form"] = ButtonForm(
                submit="Cancel the schedule", prefix="unschedule", secondary=True
            )
    if is_manager and publication.state in (
        PublicationState.PUBLISHED,
        PublicationState.ON_REQUEST,
    ):
        context["online_form"] = KeepOnlineForm(initial={"until": publication.online_until})
    if is_manager and publication.state != PublicationState.WITHDRAWN:
        context["withdraw_form"] = ReasonForm(
            prefix="withdraw",
            label="Why it is withdrawn",
            submit="Withdraw",
            hint="Its page and documents go from the partnership's site and the library.",
        )
    if is_manager and publication.state == PublicationState.WITHDRAWN:
        context["reopen_form"] = ButtonForm(
            submit="Reopen to correct it", prefix="reopen", secondary=True
        )
    context.update(forms or {})
    return context


def _themes_for(publication):
    return list(themes_offered(current=publication.themes))


def _page(request, publication, forms=None, status=200):
    context = _page_context(request, publication, forms)
    if forms:
        context["page_error"] = True
    return render(request, PAGE, context, status=status)


def _done(request, publication, message: str, section: str):
    """A change made without a form to read (or with its own answer on errors): back to the
    page at the section."""
    return section_answer(
        request=request,
        page=PAGE,
        section=section,
        render_after=lambda after: _page_context(request, publication, after.forms),
        done=message,
        back_to=reverse("frontend:publication", args=[publication.uuid]),
    )


def _act(request, publication, form, key: str, action, message: str, section: str):
    """Run ``action`` with the form's data when it reads (``frontend.sections``); back to the
    page at ``section``, or the page with the form's errors."""

    def render_after(after) -> dict:
        shown = selectors.access_publication(actor=request.actor, publication_uuid=publication.uuid)
        return _page_context(request, shown, after.forms)

    return section_answer(
        request=request,
        page=PAGE,
        section=section,
        form=form,
        form_key=key,
        perform=action,
        render_after=render_after,
        done=message,
        back_to=reverse("frontend:publication", args=[publication.uuid]),
    )


def _publication(request, publication_uuid):
    _require_reader(request.actor)
    return selectors.access_publication(actor=request.actor, publication_uuid=publication_uuid)


@member_required
@require_GET
def publication_detail(request, publication_uuid):
    _require_reader(request.actor)
    publication = selectors.publication_for_page(
        actor=request.actor, publication_uuid=publication_uuid
    )
    return _page(request, publication)


@member_required
@require_POST
def record_update(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = RecordForm(request.POST, themes=_themes_for(publication))
    return _act(
        request,
        publication,
        form,
        "record_form",
        lambda data: services.publication_record_update(
            actor=request.actor, publication=publication, data=form.record_input()
        ),
        "The public record is saved; the gate is checking it.",
        "record",
    )


@member_required
@require_POST
def identifier_add(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = IdentifierForm(request.POST)
    return _act(
        request,
        publication,
        form,
        "identifier_form",
        lambda data: services.identifier_add(
            actor=request.actor, publication=publication, kind=data["kind"], value=data["value"]
        ),
        "The identifier is added; everything is being checked again.",
        "identifiers",
    )


@member_required
@require_POST
def identifier_remove(request, publication_uuid, identifier_uuid):
    publication = _publication(request, publication_uuid)
    identifier = publication.identifiers.filter(uuid=identifier_uuid).first()
    if identifier is None:
        return _done(request, publication, "That identifier was already removed.", "identifiers")
    try:
        services.identifier_remove(
            actor=request.actor, publication=publication, identifier=identifier
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("frontend:publication", args=[publication.uuid]))
    return _done(request, publication, "The identifier is removed.", "identifiers")


@member_required
@require_POST
def document_upload(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = DocumentForm(request.POST, request.FILES, kinds=_document_kinds(publication))

    def upload(data):
        file = form.upload()
        if file is None:
            raise ValidationError({"file": ["Choose the file to upload."]})
        services.document_upload(
            actor=request.actor, publication=publication, kind=data["kind"], upload=file
        )

    return _act(
        request,
        publication,
        form,
        "document_form",
        upload,
        "The document is uploaded; the anonymisation gate is checking it.",
        "gate",
    )


@member_required
@require_GET
def document_download(request, publication_uuid, document_uuid):
    """A document of the publication, any version, to those who may open it; audited."""
    publication = _publication(request, publication_uuid)
    document = selectors.publication_document_for_download(
        actor=request.actor, publication=publication, document_uuid=document_uuid
    )
    return private_file(document.file, document.original_name, document.content_type)


@member_required
@require_GET
def gate_run(request, publication_uuid, run_uuid):
    """One run's progress, polled by the page while the gate works; when it is done the page
    reloads to show what it found."""
    publication = _publication(request, publication_uuid)
    run = selectors.gate_run_for_page(
        actor=request.actor, publication=publication, run_uuid=run_uuid
    )
    response = render(request, "publications/_gate_progress.html", {"run": run, "poll": True})
    if run.state == GateState.DONE and request.htmx:
        response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response


@member_required
@require_POST
def gate_hit_accept(request, publication_uuid, hit_uuid):
    publication = _publication(request, publication_uuid)
    hit = selectors.access_gate_hit(publication=publication, hit_uuid=hit_uuid)
    form = AcceptForm(request.POST, hit_uuid=str(hit.uuid))
    if form.is_valid():
        try:
            services.gate_hit_accept(
                actor=request.actor, hit=hit, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _done(request, publication, "The finding is accepted.", "gate")
    context = _page_context(request, publication)
    for check in context["checks"]:
        for item in check["hits"]:
            if item["hit"].pk == hit.pk:
                item["form"] = form
    context["page_error"] = True
    context["accept_errors"] = form.error_links()
    return render(request, PAGE, context)


@member_required
@require_POST
def statement_save(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = StatementForm(request.POST)
    return _act(
        request,
        publication,
        form,
        "statement_form",
        lambda data: services.chair_statement_save(
            actor=request.actor, publication=publication, **data
        ),
        "Your statement is saved; the gate is checking it.",
        "statements",
    )


@member_required
@require_POST
def briefing_save(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = BriefingForm(request.POST)
    return _act(
        request,
        publication,
        form,
        "briefing_form",
        lambda data: services.briefing_save(
            actor=request.actor, publication=publication, sections=data
        ),
        "The briefing's text is saved.",
        "briefing",
    )


@member_required
@require_POST
def briefing_generate(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = BriefingForm(request.POST)

    def generate(data):
        services.briefing_save(actor=request.actor, publication=publication, sections=data)
        services.briefing_generate(actor=request.actor, publication=publication)

    return _act(
        request,
        publication,
        form,
        "briefing_form",
        generate,
        "The 7-minute briefing is made; the anonymisation gate is checking it.",
        "briefing",
    )


@member_required
@require_POST
def notice_record(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = NoticeForm(request.POST)
    return _act(
        request,
        publication,
        form,
        "notice_form",
        lambda data: services.notice_record(actor=request.actor, publication=publication, **data),
        "The notice dates are saved.",
        "publishing",
    )


def _button(request, publication_uuid, prefix: str, submit: str, action, message: str):
    publication = _publication(request, publication_uuid)
    form = ButtonForm(request.POST, submit=submit, prefix=prefix)
    return _act(
        request,
        publication,
        form,
        f"{prefix.replace('-', '_')}_form",
        lambda data: action(publication),
        message,
        "publishing",
    )


@member_required
@require_POST
def schedule(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = ScheduleForm(request.POST)
    return _act(
        request,
        publication,
        form,
        "schedule_form",
        lambda data: services.publication_schedule(
            actor=request.actor, publication=publication, on=data["scheduled_for"]
        ),
        "Publication is scheduled.",
        "publishing",
    )


@member_required
@require_POST
def unschedule(request, publication_uuid):
    return _button(
        request,
        publication_uuid,
        "unschedule",
        "Cancel the schedule",
        lambda p: services.publication_unschedule(actor=request.actor, publication=p),
        "The schedule is cancelled.",
    )


@member_required
@require_POST
def publish(request, publication_uuid):
    return _button(
        request,
        publication_uuid,
        "publish",
        "Publish now",
        lambda p: services.publication_publish(actor=request.actor, publication=p),
        "Published: it is on the partnership's page and in the national library.",
    )


@member_required
@require_POST
def record_as_published(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    online = request.POST.get("online", "yes") != "no"
    form = ButtonForm(request.POST, submit="Record it as published", prefix="as-published")
    return _act(
        request,
        publication,
        form,
        "as_published_form",
        lambda data: services.publication_record_as_published(
            actor=request.actor, publication=publication, online=online
        ),
        "Recorded as published: it is on the partnership's page and in the national library.",
        "publishing",
    )


@member_required
@require_POST
def delay(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = DelayForm(request.POST)
    return _act(
        request,
        publication,
        form,
        "delay_form",
        lambda data: services.publication_delay(
            actor=request.actor,
            publication=publication,
            reason=data["reason"],
            review_on=data["review_on"],
        ),
        "Publication is delayed.",
        "publishing",
    )


@member_required
@require_POST
def delay_lift(request, publication_uuid):
    return _button(
        request,
        publication_uuid,
        "lift",
        "Lift the delay",
        lambda p: services.publication_delay_lift(actor=request.actor, publication=p),
        "The delay is lifted.",
    )


def _reason(request, publication_uuid, prefix, label, submit, action, message):
    publication = _publication(request, publication_uuid)
    form = ReasonForm(request.POST, prefix=prefix, label=label, submit=submit)
    return _act(
        request,
        publication,
        form,
        f"{prefix.replace('-', '_')}_form",
        lambda data: action(publication, data["reason"]),
        message,
        "publishing",
    )


@member_required
@require_POST
def not_published(request, publication_uuid):
    return _reason(
        request,
        publication_uuid,
        "not-published",
        "Why the report is not published",
        "Do not publish the report",
        lambda p, reason: services.publication_not_publish(
            actor=request.actor, publication=p, reason=reason
        ),
        "The report is not published; the improvements are.",
    )


@member_required
@require_POST
def withdraw(request, publication_uuid):
    return _reason(
        request,
        publication_uuid,
        "withdraw",
        "Why it is withdrawn",
        "Withdraw",
        lambda p, reason: services.publication_withdraw(
            actor=request.actor, publication=p, reason=reason
        ),
        "The publication is withdrawn.",
    )


@member_required
@require_POST
def reopen(request, publication_uuid):
    return _button(
        request,
        publication_uuid,
        "reopen",
        "Reopen to correct it",
        lambda p: services.publication_reopen(actor=request.actor, publication=p),
        "The publication is a draft again.",
    )


@member_required
@require_POST
def keep_online(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    form = KeepOnlineForm(request.POST)
    return _act(
        request,
        publication,
        form,
        "online_form",
        lambda data: services.publication_keep_online(
            actor=request.actor, publication=publication, until=data["until"]
        ),
        "It stays online.",
        "publishing",
    )


@member_required
@require_GET
def redaction_log(request, publication_uuid):
    publication = _publication(request, publication_uuid)
    return render(
        request,
        "publications/redaction_log.html",
        {
            "publication": publication,
            "runs": selectors.redaction_log_for_page(actor=request.actor, publication=publication),
        },
    )


# --- Requests for copies -----------------------------------------------------------------------


@member_required
@require_GET
def copy_requests(request):
    status = request.GET.get("status", "")
    if status not in ("pending", "approved", "refused"):
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
        try:
            services.copy_request_decide(
                actor=request.actor,
                copy_request=copy_request,
                approve=data["decision"] == "approve",
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                "Approved: the requester is emailed a link that works once, for 14 days."
                if data["decision"] == "approve"
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
