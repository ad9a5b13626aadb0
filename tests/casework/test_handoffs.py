"""Casework's hand-offs (issue 13): for each, who is emailed, what the email says (reference,
what is asked, due date, link) and what it never says (a child's name, the case's words); the
digest and once-a-day rules; another partnership's people are never told."""

import datetime

import pytest

from casework import services
from casework.handoffs import actions_due_soon_note
from tenants.agencies.audit import audit_event_record
from tenants.notifications.models import Message, NotificationPreference
from tenants.notifications.services import digests_send
from tests.support.actors import actor, system
from tests.support.handoffs import assert_nothing_of_the_case, told
from tests.support.referrals import FAMILY_NAME, make_referral
from tests.support.reviews import profile_for
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date
# The review fixture's child and words (tests/support/reviews.py); make_referral's.
REVIEW_CASE = ("Amara", "Okafor", "A toddler died")
REFERRAL_CASE = ("Amelia", FAMILY_NAME, "Found injured")


def _rapid_review_ready(world, referral):
    dave = actor(world, "dave")
    services.rapid_review_start(actor=dave, referral=referral, agencies=[world.nhs_croydon])
    services.rapid_review_update(
        actor=dave,
        referral=referral,
        immediate_actions="Safety plan",
        potential_improvements="Sharing",
        racism_inequality_disability="Considered",
        recommended_next_step="lcspr",
    )


class TestReferrals:
    def test_a_new_referral_tells_the_business_managers_only(
        self, world, frozen, django_capture_on_commit_callbacks
    ):
        with told(django_capture_on_commit_callbacks) as sent:
            referral = make_referral(world)
        assert sent.recipients == {world.alice.email}
        (email,) = sent.emails
        assert email.subject == f"{referral.reference}: A new referral is waiting to be screened"
        assert f"http://croydon.localhost/referrals/{referral.reference}/" in email.body
        assert_nothing_of_the_case(sent, *REFERRAL_CASE, "Met Police")
        assert world.charlie.email not in sent.recipients

    def test_a_contribution_request_tells_that_agencys_users(
        self, world, frozen, django_capture_on_commit_callbacks
    ):
        referral = make_referral(world, step="notified")
        with inside(world.croydon):
            with told(django_capture_on_commit_callbacks) as sent:
                services.rapid_review_start(
                    actor=actor(world, "dave"), referral=referral, agencies=[world.nhs_croydon]
                )
            due = referral.rapid_review.contribution_requests.get().due
        assert sent.recipients == {world.frank.email}
        body = sent.emails[0].body
        assert "Your agency's contribution to a rapid review is asked for" in body
        assert f"Due: {due.isoformat()}" in body
        assert f"/referrals/{referral.reference}/contribution/" in body
        assert_nothing_of_the_case(sent, *REFERRAL_CASE)

    def test_an_agencys_answer_tells_the_business_managers(
        self, world, frozen, django_capture_on_commit_callbacks
    ):
        referral = make_referral(world, step="notified")
        with inside(world.croydon):
            services.rapid_review_start(
                actor=actor(world, "dave"), referral=referral, agencies=[world.nhs_croydon]
            )
            request = referral.rapid_review.contribution_requests.get()
            with told(django_capture_on_commit_callbacks) as sent:
                services.contribution_submit(
                    actor=actor(world, "frank"),
                    request=request,
                    facts="Amelia was seen twice",
                    involvement="Known",
                    immediate_safety_actions="None",
                )
        assert sent.recipients == {world.alice.email}
        assert "An agency has sent its contribution" in sent.emails[0].subject
        assert_nothing_of_the_case(sent, *REFERRAL_CASE, "seen twice")

    def test_a_rapid_review_sent_to_the_panel_tells_the_chair_a_decision_awaits(
        self, world, frozen, django_capture_on_commit_callbacks
    ):
        referral = make_referral(world, step="notified")
        with inside(world.croydon):
            _rapid_review_ready(world, referral)
            with told(django_capture_on_commit_callbacks) as sent:
                services.rapid_review_send(
                    actor=actor(world, "alice"), referral=referral, sent_on=D(2026, 11, 3)
                )
        assert sent.recipients == {world.carol.email}
        assert "your decision is awaited" in sent.emails[0].subject
        assert_nothing_of_the_case(sent, *REFERRAL_CASE, "Safety plan")


class TestReviews:
    def test_an_appointed_reviewer_is_told(self, world, review, django_capture_on_commit_callbacks):
        profile = profile_for(world)
        with inside(world.croydon), told(django_capture_on_commit_callbacks) as sent:
            services.reviewer_appoint(actor=actor(world, "alice"), review=review, profile=profile)
        assert sent.recipients == {world.erin.email}
        assert f"{review.reference}: You have been appointed lead reviewer" == (
            sent.emails[0].subject
        )
        assert_nothing_of_the_case(sent, *REVIEW_CASE)

    def test_an_information_request_tells_the_agency_and_its_answer_the_lead_reviewer(
        self, world, review, django_capture_on_commit_callbacks
    ):
        profile = profile_for(world)
        with inside(world.croydon):
            services.reviewer_appoint(actor=actor(world, "alice"), review=review, profile=profile)
            with told(django_capture_on_commit_callbacks) as asked:
                request = services.information_request_create(
                    actor=actor(world, "alice"),
                    review=review,
                    agency=world.met_croydon,
                    asks=["chronology"],
                    details="About Amara's visits",
                )
            with told(django_capture_on_commit_callbacks) as answered:
                services.information_response_submit(
                    actor=actor(world, "bob"), request=request, text="Amara Okafor was seen"
                )
        assert asked.recipients == {world.bob.email}
        assert f"Due: {request.due.isoformat()}" in asked.emails[0].body
        assert f"/case-reviews/{review.reference}/information/" in asked.emails[0].body
        assert answered.recipients == {world.erin.email}
        assert_nothing_of_the_case(asked, *REVIEW_CASE)
        assert_nothing_of_the_case(answered, *REVIEW_CASE, "was seen")

    def test_a_review_at_sign_off_tells_the_chair(
        self, world, review, django_capture_on_commit_callbacks
    ):
        # Recorded as the stage service records it: the audit row is the hand-off's trigger.
        with inside(world.croydon), told(django_capture_on_commit_callbacks) as sent:
            audit_event_record(
                actor=actor(world, "alice"),
                action="review.stage_moved",
                object_type="review",
                object_ref=review.reference,
                detail={"before": "drafting", "after": "sign_off"},
            )
        assert sent.recipients == {world.carol.email}
        assert "waiting for your sign-off" in sent.emails[0].subject
        assert_nothing_of_the_case(sent, *REVIEW_CASE)


class TestActions:
    def _action(self, world, review, due=D(2026, 11, 6)):
        alice = actor(world, "alice")
        finding = services.finding_add(actor=alice, review=review, text="Records not shared")
        recommendation = services.recommendation_add(
            actor=alice,
            review=review,
            text="Share records",
            to_partnership=False,
            agencies=[world.met_croydon],
            findings=[finding],
        )
        return services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Train call handlers about Amara",
            owner_agency=world.met_croydon,
            due=due,
        )

    def test_an_assigned_action_tells_its_owner_agency(
        self, world, review, django_capture_on_commit_callbacks
    ):
        with inside(world.croydon), told(django_capture_on_commit_callbacks) as sent:
            self._action(world, review)
        assert sent.recipients == {world.bob.email}
        assert "Due: 2026-11-06" in sent.emails[0].body
        assert_nothing_of_the_case(sent, *REVIEW_CASE, "Train call handlers")

    def test_due_soon_and_overdue_reminders_go_once_a_day_however_often_the_job_runs(
        self, world, review, frozen, django_capture_on_commit_callbacks
    ):
        with inside(world.croydon):
            self._action(world, review)
            with told(django_capture_on_commit_callbacks) as soon:
                actions_due_soon_note(actor=system(world.croydon), day=D(2026, 11, 3))
                actions_due_soon_note(actor=system(world.croydon), day=D(2026, 11, 3))
            frozen(D(2026, 11, 4))
            with told(django_capture_on_commit_callbacks) as next_day:
                actions_due_soon_note(actor=system(world.croydon), day=D(2026, 11, 4))
            frozen(D(2026, 11, 9))
            with told(django_capture_on_commit_callbacks) as overdue:
                services.actions_chase(actor=system(world.croydon), day=D(2026, 11, 9))
                # The reminder itself, recorded again the same day (a second run of a job
                # that does not keep its own count): the sending layer still sends it once.
                audit_event_record(
                    actor=system(world.croydon),
                    action="action.chased",
                    object_type="review",
                    object_ref=review.reference,
                    detail={"action": str(review.actions.get().uuid)},
                )
        assert [e.subject for e in soon.to(world.bob.email)] == [
            f"{review.reference}: An action is due soon"
        ]
        assert len(next_day.to(world.bob.email)) == 1
        # The hand-off's reminder is the only email: the chaser sends none of its own.
        reminders = overdue.to(world.bob.email)
        assert [e.subject for e in reminders] == [f"{review.reference}: An action is overdue"]
        assert_nothing_of_the_case(soon, *REVIEW_CASE, "Train call handlers")


class TestPreferences:
    def test_a_digest_holds_the_messages_and_sends_one_summary(
        self, world, frozen, django_capture_on_commit_callbacks
    ):
        referral = make_referral(world, step="notified")
        with inside(world.croydon):
            NotificationPreference.objects.create(
                user_uuid=world.frank.uuid, kind="request", delivery="digest"
            )
            with told(django_capture_on_commit_callbacks) as sent:
                services.rapid_review_start(
                    actor=actor(world, "dave"), referral=referral, agencies=[world.nhs_croydon]
                )
            assert not sent.to(world.frank.email)
            assert Message.objects.get(recipient=world.frank.email).state == Message.State.HELD
            with told(django_capture_on_commit_callbacks) as digest:
                assert digests_send() == 1
                assert digests_send() == 0
        (email,) = digest.to(world.frank.email)
        assert f"{referral.reference}: Your agency's contribution" in email.body
        assert f"/referrals/{referral.reference}/contribution/" in email.body
        assert_nothing_of_the_case(digest, *REFERRAL_CASE)
        with inside(world.croydon):
            held = Message.objects.get(kind="request", recipient=world.frank.email)
            assert held.state == Message.State.SENT and held.digest is not None


class TestJointReviews:
    def test_the_invited_managers_hear_of_it_and_the_inviter_of_the_answer(
        self, joint, django_capture_on_commit_callbacks
    ):
        with told(django_capture_on_commit_callbacks) as invited:
            part = joint.invite()
        with told(django_capture_on_commit_callbacks) as answered:
            joint.accept(part)
        # Lewisham's business manager, on Lewisham's host; no one at Croydon or Bexley.
        assert invited.recipients == {joint.world.charlie.email}
        assert "http://lewisham.localhost/joint-reviews/invitations/" in invited.emails[0].body
        assert answered.recipients == {joint.world.alice.email}
        assert "was accepted" in answered.emails[0].subject
        assert_nothing_of_the_case(invited, joint.review.title)
