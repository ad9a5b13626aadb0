"""What every tab of a review's workspace shares: its tabs, the heading's context, the address
of a tab, the answer to a form on a tab, and the agencies its forms offer.

Every page reaches its review through ``access_review``/``review_for_page``: a reviewer not
appointed, an agency and another partnership all get the same 404. What a tab offers is asked
of ``casework.permissions``; every change is a review service's, which checks the rule again (a
refusal is a 403, a ValidationError is shown in the form's error summary).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from casework import permissions, selectors
from casework.joint.models import ParticipantPermission
from frontend.decorators import member_required
from frontend.links import review_path
from frontend.sections import section_answer
from tenants.clock import today


def with_review(view):
    """Give ``view`` the review its address names, in place of the reference: found through
    ``access_review``, so a review the asker may not see is a 404 before anything else. Goes
    under ``member_required``."""

    @wraps(view)
    def wrapper(request, reference, *args, **kwargs):
        review = selectors.access_review(actor=request.actor, reference=reference)
        return view(request, review, *args, **kwargs)

    return wrapper


def review_view(*methods: str):
    """A workspace view: for members (``member_required``), by ``methods`` only, given the
    review its address names (``with_review``)."""

    def decorate(view):
        return member_required(require_http_methods(list(methods))(with_review(view)))

    return decorate


# The workspace's tabs: key, label, URL name (written out, so that grep finds each).
TABS = (
    ("overview", "Overview", "review"),
    ("terms", "Terms of reference", "review-terms"),
    ("information", "Information requests", "review-information"),
    ("chronology", "Chronology", "review-chronology"),
    ("findings", "Findings and recommendations", "review-findings"),
    ("actions", "Action plan", "review-actions"),
    ("documents", "Documents", "review-documents"),
)


def workspace_context(request, review, tab: str) -> dict:
    """What every tab shows: the review's heading, its stage and the sub-navigation. Seen through
    the joint-review door, the same tabs, with the lead named and the lead's own parts (its
    reviewers, terms, stages and documents) shown but not offered."""
    actor = request.actor
    passage = getattr(request, "joint", None)
    return {
        "review": review,
        "tab": tab,
        "tabs": [
            {"key": key, "label": label, "url": review_path(request, name, review)}
            for key, label, name in TABS
        ],
        "today": today(),
        "in_review_group": permissions.may_see_every_case(actor),
        "may_manage_reviewers": permissions.may_manage_reviewers(actor),
        "is_participant": actor.is_joint,
        "lead_partnership": passage.lead if passage else None,
        "may_lead": permissions.is_lead_side(actor),
        "may_contribute": permissions.may_do_part(actor, ParticipantPermission.CONTRIBUTE),
        "may_write_findings": permissions.may_do_part(actor, ParticipantPermission.FINDINGS),
    }


def tab_url(request, review, tab: str, section: str = "") -> str:
    name = next(name for key, _, name in TABS if key == tab)
    url = review_path(request, name, review)
    return f"{url}#{section}" if section else url


def tab_answer(request, review, *, tab: str, template: str, build, **answer):
    """Answer a form on one of the review's tabs (``frontend.sections.section_answer``): the
    tab built by ``build(request, review, forms, done)``, the review read for the page (and so
    audited) when the whole tab is shown with the form's errors."""

    def render_after(after) -> dict:
        shown = review
        if after.whole_page:
            shown = selectors.review_for_page(
                actor=request.actor, reference=review.reference, tab=tab
            )
        return build(request, shown, after.forms, after.done)

    return section_answer(
        request=request,
        page=template,
        render_after=render_after,
        back_to=tab_url(request, review, tab),
        **answer,
    )


def review_agencies(request, review, *, include_inactive: bool = False):
    """The agencies this review's forms offer (a participant: its own)."""
    return selectors.review_agency_choices(
        actor=request.actor, review=review, include_inactive=include_inactive
    )


@dataclass(frozen=True)
class Tab:
    """A tab of the workspace: its key (``TABS``), its template and what it shows beyond what
    every tab does (``shows(request, review)``); its page, and the answer to a form posted on
    it (the tab shown again with the form's errors, or its section refreshed)."""

    key: str
    template: str
    shows: Callable[..., dict]

    def context(self, request, review, forms, done) -> dict:
        return {
            **workspace_context(request, review, self.key),
            **self.shows(request, review),
            "done": done or {},
            **forms,
        }

    def page(self, request, reference):
        review = selectors.review_for_page(actor=request.actor, reference=reference, tab=self.key)
        return render(request, self.template, self.context(request, review, {}, None))

    def view(self):
        """The tab's page, as the view its address calls (members, GET only)."""

        @member_required
        @require_http_methods(["GET"])
        def tab_page(request, reference):
            return self.page(request, reference)

        return tab_page

    def answer(self, request, review, section: str, **answer):
        return tab_answer(
            request,
            review,
            tab=self.key,
            template=self.template,
            build=self.context,
            section=section,
            **answer,
        )
