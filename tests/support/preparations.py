"""The states a POST needs before it can succeed for someone allowed, made from the route world
(tests/support/route_world.py) in the test's own transaction, so rolled back with it.

The world holds each kind of casework once, in the state its reads need: its referral decided,
its review completed and published. A decision can be recorded only once, a rapid review
started only once, a publication scheduled only while it is ready… So that a refusal is tested
against a request that *would* succeed for someone allowed (not one the state would refuse
anyway), a POST names the state it needs here: each function takes the ``Scope`` its URL and
data are made from and returns it, with the new object in place of the world's when it made
one (``replace(scope.side, referral=…)``) or under ``scope.made``.

They run as the people whose job it is, through the services, never by writing rows, except
where the state can only be reached by going back in time (a review moved back to drafting, an
invitation not yet answered): those set the one column, and say so.
"""

import datetime
from dataclasses import replace

from django.utils import timezone

from casework import services as casework_services
from casework import services as review_services
from casework.joint.models import JointReviewParticipant, ParticipantState
from casework.models import Action, ActionStatus, Review
from casework.services import ChildInput
from publishing import selectors as publishing_selectors
from publishing import services as publishing_services
from publishing.models import DocumentKind, Publication, PublicationState
from publishing.services import RecordInput
from tenants.clock import today
from tenants.files import UploadedFile
from tenants.models import Partnership
from tests.support.documents import pdf
from tests.support.route_casework import actor_of, days, settled
from tests.support.routes import Scope
from tests.support.world import inside


def _inside_the_review(s: Scope) -> Partnership:
    """The partnership whose schema holds the review the scope names (the lead's, for the
    joint review)."""
    if s.work is s.world.joint.work:
        return s.world.joint.lead.partnership
    return s.side.partnership


def _as(s: Scope, slot: str):
    return actor_of(s.side.partnership, s.side.people[slot])


def _fresh(instance):
    """A fresh copy from the database: the world's own instances are shared by every test of
    the module, and a service caches what it reads on the instance it is given."""
    return type(instance).objects.get(pk=instance.pk)


def _done(s: Scope, **made) -> Scope:
    return replace(s, made={**s.made, **made})


# --- Referrals ---------------------------------------------------------------------------------


def received_referral(s: Scope) -> Scope:
    """A referral just received from the referring agency: no rapid review, no decision."""
    with inside(s.side.partnership):
        referral = casework_services.referral_create(
            actor=_as(s, "agency_user"),
            incident_date=days(-4),
            aware_date=days(-2),
            harm="serious_harm",
            abuse_or_neglect="suspected",
            children=[ChildInput("Ivo", "Brackenbury", datetime.date(2022, 1, 5), "male")],
            summary="A second incident.",
        )
    return replace(_done(s), side=replace(s.side, referral=referral))


def screened_referral(s: Scope) -> Scope:
    """A referral just received, screened by the review group as notifiable: the Panel's
    notification comes next."""
    s = received_referral(s)
    with inside(s.side.partnership):
        casework_services.screening_record(
            actor=_as(s, "review_group"),
            referral=_fresh(s.side.referral),
            view_met=True,
            rationale="The criteria are met.",
        )
    return _done(s)


def notified_referral(s: Scope) -> Scope:
    """A referral screened and notified to the Panel: its rapid review comes next."""
    s = screened_referral(s)
    with inside(s.side.partnership):
        casework_services.panel_notification_record(
            actor=_as(s, "business_manager"),
            referral=_fresh(s.side.referral),
            submitted_on=days(-1),
            panel_reference="CSPRP-2026-118",
        )
    return _done(s)


def asked_only_the_referrer(s: Scope) -> Scope:
    """A referral whose rapid review asked the referring agency alone for its contribution:
    the other agency was not asked (another agency, for the contribution's routes)."""
    s = notified_referral(s)
    with inside(s.side.partnership):
        casework_services.rapid_review_start(
            actor=_as(s, "review_group"), referral=_fresh(s.side.referral), agencies=[s.side.agency]
        )
    return _done(s)


def rapid_review_written(s: Scope) -> Scope:
    """A rapid review under way with every part written: ready to send to the Panel."""
    s = asked_only_the_referrer(s)
    with inside(s.side.partnership):
        casework_services.rapid_review_update(
            actor=_as(s, "review_group"),
            referral=_fresh(s.side.referral),
            immediate_actions="The sibling was seen the same day.",
            potential_improvements="Share bruising seen on a baby at once.",
            racism_inequality_disability="None found.",
            recommended_next_step="lcspr",
        )
    return _done(s)


def rapid_review_sent(s: Scope) -> Scope:
    """A rapid review written and sent to the Panel: awaiting its answer."""
    s = rapid_review_written(s)
    with inside(s.side.partnership):
        casework_services.rapid_review_send(
            actor=_as(s, "business_manager"), referral=_fresh(s.side.referral), sent_on=today()
        )
    return _done(s)


def panel_answered(s: Scope) -> Scope:
    """A rapid review sent, and the Panel's answer agreeing: the chair's decision is next."""
    s = rapid_review_sent(s)
    with inside(s.side.partnership):
        casework_services.panel_response_record(
            actor=_as(s, "review_group"),
            referral=_fresh(s.side.referral),
            kind="agrees",
            response="",
            responded_on=today(),
        )
    return _done(s)


# --- Reviews -----------------------------------------------------------------------------------


def review_drafting(s: Scope) -> Scope:
    """The review back at drafting (the world completed it), so that it may move on to
    sign-off: its recommendation and draft report are there. The stage is set, as the world
    set it: no service moves a review back."""
    with inside(_inside_the_review(s)):
        Review.objects.filter(pk=s.work.review.pk).update(stage="drafting")
    return _done(s)


def review_a_dardr(s: Scope) -> Scope:
    """The review made a domestic abuse related death review (the world's is a practice
    review), with its clock: its report goes to the Home Office. Set, as the world set it."""
    with inside(_inside_the_review(s)):
        Review.objects.filter(pk=s.work.review.pk).update(review_type="dardr")
        review_services.review_clocks_sync(review=Review.objects.get(pk=s.work.review.pk))
    return _done(s)


def reviewer_with_a_profile(s: Scope) -> Scope:
    """The lead reviewer not yet appointed, with their profile recorded: ready to appoint."""
    person = s.side.people["unappointed_reviewer"]
    with inside(s.side.partnership):
        review_services.reviewer_profile_save(
            actor=_as(s, "business_manager"),
            user_uuid=person.uuid,
            name=person.full_name,
            organisation="Independent",
            affiliations=[],
        )
    return _done(s)


def action_complete(s: Scope) -> Scope:
    """The review's action reported complete by its owner: ready to verify."""
    with inside(_inside_the_review(s)):
        Action.objects.filter(pk=s.work.action.pk).update(status=ActionStatus.COMPLETE)
    return _done(s)


def completed_review_unpublished(s: Scope) -> Scope:
    """A completed review with no publication yet (``made["review"]``): what a publication
    starts from."""
    with inside(s.side.partnership):
        review = review_services.thematic_review_commission(
            actor=_as(s, "business_manager"),
            title="Adolescents at risk outside the home",
            commissioned_on=days(-200),
        )
        Review.objects.filter(pk=review.pk).update(stage="completed")
    return _done(s, review=review)


# --- Joint reviews -----------------------------------------------------------------------------


def _part_state(s: Scope, state: str) -> Scope:
    answered = None if state == ParticipantState.INVITED else timezone.now()
    JointReviewParticipant.objects.filter(pk=s.world.joint.part.pk).update(
        state=state, answered_at=answered
    )
    return _done(s)


def invitation_unanswered(s: Scope) -> Scope:
    """Lewisham's invitation as it was before Lewisham answered it (the world accepted it):
    the state is set, as no service takes an answer back."""
    return _part_state(s, ParticipantState.INVITED)


def invitation_accepted_waiting(s: Scope) -> Scope:
    """Lewisham accepted, and waits for the lead to let it in (the world's invitation opened
    on acceptance): the state is set."""
    return _part_state(s, ParticipantState.ACCEPTED)


# --- Publications ------------------------------------------------------------------------------


def _publication(s: Scope) -> Publication:
    return _fresh(s.side.publication)


def publication_withdrawn(s: Scope) -> Scope:
    with inside(s.side.partnership):
        publishing_services.publication_withdraw(
            actor=_as(s, "business_manager"), publication=_publication(s), reason="A mistake."
        )
    return _done(s)


def publication_in_preparation(s: Scope) -> Scope:
    """The world's publication withdrawn and reopened: being prepared again, everything it
    has checked, so ready to schedule or publish."""
    s = publication_withdrawn(s)
    with inside(s.side.partnership):
        publication = publishing_services.publication_reopen(
            actor=_as(s, "business_manager"), publication=_publication(s)
        )
        assert publication.state == PublicationState.READY, publication.state
    return _done(s)


def publication_with_improvements(s: Scope) -> Scope:
    """In preparation, its public record now with the improvements made (checked by the gate):
    what is published instead when the report is not."""
    s = publication_in_preparation(s)
    with inside(s.side.partnership):
        publication = _publication(s)
        settled(
            publishing_services.publication_record_update,
            actor=_as(s, "business_manager"),
            publication=publication,
            data=RecordInput(
                title=publication.title,
                summary=publication.summary,
                pseudonyms=publication.pseudonyms,
                themes=publication.themes,
                age_bands=publication.age_bands,
                improvements="Health visitors now follow up every missed visit.",
            ),
        )
    return _done(s)


def publication_scheduled(s: Scope) -> Scope:
    s = publication_in_preparation(s)
    with inside(s.side.partnership):
        publishing_services.publication_schedule(
            actor=_as(s, "business_manager"), publication=_publication(s), on=days(7)
        )
    return _done(s)


def publication_delayed(s: Scope) -> Scope:
    s = publication_in_preparation(s)
    with inside(s.side.partnership):
        publishing_services.publication_delay(
            actor=_as(s, "business_manager"),
            publication=_publication(s),
            reason="Criminal proceedings.",
            review_on=days(30),
        )
    return _done(s)


def publication_not_published(s: Scope) -> Scope:
    """Decided today not to publish the report (the improvements are published): its reasons
    are still to be sent to the Panel and the Secretary of State."""
    s = publication_with_improvements(s)
    with inside(s.side.partnership):
        publishing_services.publication_not_publish(
            actor=_as(s, "business_manager"),
            publication=_publication(s),
            reason="The family asked; the improvements are published.",
        )
    return _done(s)


def finding_of_the_gate_open(s: Scope) -> Scope:
    """A new version of the report, in which the gate found the child's family name: a finding
    waiting for the chair to accept it (the world's findings are all accepted)."""
    s = publication_in_preparation(s)
    with inside(s.side.partnership):
        publication = _publication(s)
        document = settled(
            publishing_services.document_upload,
            actor=_as(s, "business_manager"),
            publication=publication,
            kind=DocumentKind.FULL_REPORT,
            upload=UploadedFile(
                "report-2.pdf", pdf(f"Nobody visited the {s.side.child.family_name} home.")
            ),
        )
        run = publishing_selectors.latest_run(publication=publication, document=document)
        hit = run.hits.filter(accepted_at__isnull=True).first()
        assert hit is not None, "the gate should find the child's family name"
    return replace(_done(s), side=replace(s.side, gate_hit=hit))


def publication_entered_ready(s: Scope) -> Scope:
    """A review published before the platform, entered directly with its executive summary,
    checked by the gate: ready to record as published. It has no review, so no reviewer."""
    with inside(s.side.partnership):
        manager = _as(s, "business_manager")
        publication = settled(
            publishing_services.publication_enter_directly,
            actor=manager,
            title="Child B",
            review_type="serious_case_review",
            published_on=datetime.date(2011, 5, 3),
            summary_only=True,
        )
        settled(
            publishing_services.document_upload,
            actor=manager,
            publication=publication,
            kind=DocumentKind.EXECUTIVE_SUMMARY,
            upload=UploadedFile("summary.pdf", pdf("An executive summary.")),
        )
        publication.refresh_from_db()
        readiness = publishing_selectors.publication_readiness(publication=publication)
        assert readiness.ready, readiness.missing
    return replace(_done(s), side=replace(s.side, publication=publication))
