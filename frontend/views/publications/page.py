"""A publication's page (``publications/publication.html``): what each section shows to whom,
and the one way a section's form is answered (``frontend.sections``).

The page is one template with named partials, one per section (``status``, ``readiness``,
``record``, ``gate``, ``identifiers``, ``statements``, ``briefing``, ``publishing``). Who sees
which form is ``publishing.permissions``' ``may_*``; whether the change is allowed is the
service's to say (a refusal is a 403). Every page reaches its publication through
``publishing.selectors.publication_for_action``: an agency gets a 403, an unappointed reviewer
and another partnership the same 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.views.decorators.http import require_POST

from frontend.decorators import member_required
from frontend.forms.base import ButtonForm, ReasonForm
from frontend.forms.publications import (
    AcceptForm,
    BriefingForm,
    DelayForm,
    DocumentForm,
    IdentifierForm,
    KeepOnlineForm,
    NoticeForm,
    ReasonsSentForm,
    RecordForm,
    ScheduleForm,
    StatementForm,
)
from frontend.sections import section_answer
from publishing import permissions, selectors, services
from publishing.library.selectors import themes_offered
from publishing.models import PREPARING_STATES, PUBLIC_STATES, DocumentKind, GateState
from publishing.models import PublicationState as State
from publishing.notice import NOTICE_SOURCE, NOTICE_WORKING_DAYS
from tenants.clock import today

PAGE = "publications/publication.html"
# What any change may alter besides its own section: the state and what stands before
# publication. An htmx answer sends it out of band.
ALWAYS_REFRESHED = ("status", "readiness")


def document_kinds(publication):
    if publication.summary_only:
        return [(DocumentKind.EXECUTIVE_SUMMARY, DocumentKind.EXECUTIVE_SUMMARY.label)]
    return DocumentKind.choices


def themes_for(publication):
    return list(themes_offered(current=publication.themes))


def publication_for(request, publication_uuid):
    """The publication a view acts on, for this person (a 403 or the same 404 otherwise)."""
    return selectors.publication_for_action(actor=request.actor, publication_uuid=publication_uuid)


def _gate_checks(publication, readiness, may_accept: bool) -> list[dict]:
    checks = []
    for check in readiness.checks:
        hits = list(check.run.hits.order_by("position")) if check.run else []
        offer = may_accept and publication.state != State.WITHDRAWN
        checks.append(
            {
                "check": check,
                "hits": [
                    {
                        "hit": hit,
                        "form": AcceptForm(hit_uuid=str(hit.uuid))
                        if offer and not hit.accepted
                        else None,
                    }
                    for hit in hits
                ],
            }
        )
    return checks


def _statement_form(actor, publication) -> StatementForm:
    statement = next(
        (
            s
            for s in selectors.statements_of(publication=publication)
            if s.partnership_key == actor.partnership.key
        ),
        None,
    )
    return StatementForm(
        initial={
            "chair_name": statement.chair_name if statement else (actor.user.full_name or ""),
            "chair_role": statement.chair_role if statement else "Independent Chair",
            "text": statement.text if statement else "",
        }
    )


def _publishing_forms(publication) -> dict:
    """The forms of the publication section before publication, as the business manager and
    the chair see them."""
    forms = {}
    if publication.entered_directly:
        forms["as_published_form"] = ButtonForm(
            submit="Record it as published", prefix="as-published"
        )
    else:
        forms["schedule_form"] = ScheduleForm(initial={"scheduled_for": publication.scheduled_for})
        forms["publish_form"] = ButtonForm(submit="Publish now", prefix="publish")
        if publication.is_delayed:
            forms["lift_form"] = ButtonForm(submit="Lift the delay", prefix="lift", secondary=True)
        else:
            forms["delay_form"] = DelayForm()
        forms["not_published_form"] = NOT_PUBLISHED.form()
    if publication.state == State.SCHEDULED:
        forms["unschedule_form"] = ButtonForm(
            submit="Cancel the schedule", prefix="unschedule", secondary=True
        )
    return forms


def page_context(request, publication, forms=None) -> dict:
    """Everything the page shows, each section's form only to those who may use it."""
    actor = request.actor
    may = {
        "may_edit": permissions.may_edit_publication(actor, publication),
        "may_prepare": permissions.may_prepare_publication(actor, publication),
        "may_accept": permissions.may_accept_finding(actor, publication),
        "may_write_statement": permissions.may_write_statement(actor, publication),
        "may_record_notice": permissions.may_record_notice(actor, publication),
        "may_edit_briefing": permissions.may_edit_briefing(actor, publication),
        "may_publish": permissions.may_publish_publication(actor, publication),
    }
    readiness = selectors.publication_readiness(publication=publication)
    checks = _gate_checks(publication, readiness, may["may_accept"])
    preparing = publication.state in PREPARING_STATES
    changeable = publication.state != State.WITHDRAWN
    is_public = publication.state in PUBLIC_STATES
    context = {
        **may,
        "publication": publication,
        "readiness": readiness,
        "checks": checks,
        "busy": any(c["check"].run and c["check"].run.state != GateState.DONE for c in checks),
        "identifiers": list(publication.identifiers.all()),
        "statements": selectors.statements_of(publication=publication),
        "documents": list(publication.documents.order_by("kind", "-version")),
        "public_documents": selectors.public_documents(publication=publication),
        "earliest": selectors.earliest_publication_date(publication=publication),
        "ready_on": selectors.publication_ready_on(publication=publication),
        "notice_working_days": NOTICE_WORKING_DAYS,
        "notice_source": NOTICE_SOURCE,
        "preparing": preparing,
        "is_public": is_public,
        "public_url": reverse("frontend:public-review", args=[publication.uuid])
        if is_public
        else "",
        "case_identifiers": len(services.gate_identifiers(publication))
        - publication.identifiers.count(),
        "today": today(),
    }
    if may["may_edit"] and changeable:
        context["record_form"] = RecordForm(
            initial=RecordForm.initial_from(publication), themes=themes_for(publication)
        )
    if may["may_prepare"] and changeable:
        context["identifier_form"] = IdentifierForm()
    if may["may_prepare"] and preparing:
        context["document_form"] = DocumentForm(kinds=document_kinds(publication))
    if may["may_write_statement"] and changeable:
        context["statement_form"] = _statement_form(actor, publication)
    if may["may_record_notice"] and preparing:
        context["notice_form"] = NoticeForm(
            initial={
                "panel_sent_on": publication.panel_sent_on,
                "secretary_of_state_sent_on": publication.secretary_of_state_sent_on,
                "ofsted_sent_on": publication.ofsted_sent_on,
            }
        )
    if may["may_record_notice"] and publication.state == State.NOT_PUBLISHED:
        context["reasons_form"] = ReasonsSentForm(
            initial={name: getattr(publication, name) for name in ReasonsSentForm.DATES}
        )
    if may["may_edit_briefing"] and preparing and not publication.summary_only:
        briefing = selectors.briefing_for(publication=publication)
        context["briefing_form"] = BriefingForm(
            initial={name: getattr(briefing, name) for name in services.BRIEFING_SECTIONS}
        )
        context["briefing_saved"] = briefing.pk is not None
    if may["may_publish"] and preparing:
        context.update(_publishing_forms(publication))
    if may["may_publish"] and publication.state in (State.PUBLISHED, State.ON_REQUEST):
        context["online_form"] = KeepOnlineForm(initial={"until": publication.online_until})
    if may["may_publish"] and changeable:
        context["withdraw_form"] = WITHDRAW.form()
    if may["may_publish"] and not changeable:
        context["reopen_form"] = ButtonForm(
            submit="Reopen to correct it", prefix="reopen", secondary=True
        )
    context.update(forms or {})
    return context


def publication_url(publication) -> str:
    return reverse("frontend:publication", args=[publication.uuid])


def section_post(request, publication, *, section: str, form=None, form_key="", perform, done):
    """Answer a form posted from ``section`` of the page (``frontend.sections``): run
    ``perform`` with the form's data when it reads; back to the page at the section, or the
    section (htmx) or the page with the form's errors."""

    def render_after(after) -> dict:
        shown = selectors.access_publication(actor=request.actor, publication_uuid=publication.uuid)
        return page_context(request, shown, after.forms)

    return section_answer(
        request=request,
        page=PAGE,
        section=section,
        form=form,
        form_key=form_key,
        perform=perform,
        render_after=render_after,
        done=done,
        refresh=ALWAYS_REFRESHED,
        back_to=publication_url(publication),
    )


@dataclass(frozen=True)
class Reason:
    """A change that asks only why (not publishing the report, withdrawing): its form."""

    prefix: str
    label: str
    submit: str
    hint: str = ""

    def form(self, data=None) -> ReasonForm:
        return ReasonForm(
            data, prefix=self.prefix, label=self.label, submit=self.submit, hint=self.hint
        )


NOT_PUBLISHED = Reason(
    "not-published",
    "Why the report is not published",
    "Do not publish the report",
    "Not published. The improvements in the public record are published instead.",
)
WITHDRAW = Reason(
    "withdraw",
    "Why it is withdrawn",
    "Withdraw",
    "Its page and documents go from the partnership's site and the library.",
)


@dataclass(frozen=True)
class SectionPost:
    """One form of the page, declared: the section it is in, its name in the page's context,
    how it is read from the request, and the service it calls with the form once it reads."""

    section: str
    form_key: str
    form: Callable[[Any, Any], Any]  # (request, publication) -> the bound form
    perform: Callable[[Any, Any, Any], Any]  # (actor, publication, the form, read)
    done: str


def section_view(post: SectionPost):
    """The POST view of a declared form of the page."""

    @member_required
    @require_POST
    def view(request, publication_uuid):
        publication = publication_for(request, publication_uuid)
        form = post.form(request, publication)
        return section_post(
            request,
            publication,
            section=post.section,
            form=form,
            form_key=post.form_key,
            perform=lambda _data: post.perform(request.actor, publication, form),
            done=post.done,
        )

    return view


def section_form(section: str, form_key: str, form, perform, done: str):
    """``section_view`` of a form declared in one line: ``SectionPost``'s fields in order."""
    return section_view(SectionPost(section, form_key, form, perform, done))


def posted(form_class):
    """A form of the page that needs nothing but what was posted."""
    return lambda request, publication: form_class(request.POST)


def button(prefix: str, submit: str):
    """A form that is only its button (``ButtonForm``), read from the request."""
    return lambda request, publication: ButtonForm(request.POST, submit=submit, prefix=prefix)


def calls(service, *fields: str, **renamed: str):
    """A form's ``perform``: ``service`` given the actor, the publication, and the form's
    ``fields`` under their own names and ``renamed`` ones under the keyword's (nothing else: a
    button's service takes only the publication)."""

    def perform(actor, publication, form):
        data = form.cleaned_data
        given = {**{f: data[f] for f in fields}, **{k: data[f] for k, f in renamed.items()}}
        return service(actor=actor, publication=publication, **given)

    return perform
