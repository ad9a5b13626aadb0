"""Reviews in the services: independence, stages, terms, information, chronology, actions."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from casework import selectors, services
from casework import services as referral_services
from casework.models import Action, ActionStatus, ChronologyEntry, Review
from casework.services import AffiliationInput, EntryInput
from tenants.actors import actor_for_member, actor_for_platform
from tenants.files import UploadedFile
from tenants.models import Membership, Role
from tests.support.world import inside, make_member

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.7\n%draft\n"


def actor(world, who, partnership=None):
    partnership = partnership or world.croydon
    membership = Membership.objects.select_related("user", "partnership").get(
        user=getattr(world, who), partnership=partnership
    )
    return actor_for_member(membership=membership)


@pytest.fixture
def frozen(clock):
    """Today is 3 November 2026 (tests/support/clock.py); ``frozen(day)`` moves it."""
    clock.today(D(2026, 11, 3))
    return clock.today


@pytest.fixture
def review(world, frozen):
    """A practice review commissioned from a Met Police referral (NHS Croydon involved)."""
    with inside(world.croydon):
        referral = referral_services.referral_create(
            actor=actor(world, "bob"),
            incident_date=D(2026, 10, 30),
            aware_date=D(2026, 11, 2),
            harm="died",
            abuse_or_neglect="suspected",
            children=[referral_services.ChildInput("Amara", "Okafor", D(2024, 6, 1), "female")],
            summary="A toddler died.",
            agencies_involved=["NHS Croydon Health Services"],
        )
        referral_services.decision_record(
            actor=actor(world, "carol"),
            referral=referral,
            outcome="lcspr",
            rationale="Learning",
            decided_on=D(2026, 11, 3),
        )
        return Review.objects.get(referral=referral)


def profile_for(world, affiliations=()):
    with inside(world.croydon):
        return services.reviewer_profile_save(
            actor=actor(world, "alice"),
            user_uuid=world.erin.uuid,
            name="Erin Reviewer",
            organisation="Independent",
            affiliations=list(affiliations),
        )


class TestIndependence:
    def test_an_independent_reviewer_is_appointed(self, world, review):
        profile = profile_for(world, [AffiliationInput("Kent County Council", D(2015, 1, 1))])
        with inside(world.croydon):
            appointment = services.reviewer_appoint(
                actor=actor(world, "alice"), review=review, profile=profile
            )
        assert appointment.conflicts == [] and appointment.override_reason == ""

    @pytest.mark.parametrize(
        "organisation",
        ["NHS Croydon Health Services", "met police", "Croydon Safeguarding Children Partnership"],
    )
    def test_a_conflict_blocks_the_appointment(self, world, review, organisation):
        profile = profile_for(
            world, [AffiliationInput(organisation, D(2019, 4, 1), D(2023, 3, 31))]
        )
        with inside(world.croydon):
            with pytest.raises(ValidationError) as error:
                services.reviewer_appoint(
                    actor=actor(world, "alice"), review=review, profile=profile
                )
            assert "worked for" in str(error.value)
            with pytest.raises(PermissionDenied):
                services.reviewer_appoint(
                    actor=actor(world, "alice"),
                    review=review,
                    profile=profile,
                    override_reason="No one else",
                )
            assert not review.appointments.exists()
            appointment = services.reviewer_appoint(
                actor=actor(world, "carol"),
                review=review,
                profile=profile,
                override_reason="Left four years ago; no contact with the case",
            )
        assert appointment.conflicts and appointment.override_by == "carol@croydon.example"

    def test_an_old_affiliation_is_no_conflict(self, world, review):
        profile = profile_for(world, [AffiliationInput("Met Police", D(1995, 1, 1), D(2010, 1, 1))])
        with inside(world.croydon):
            services.reviewer_appoint(actor=actor(world, "alice"), review=review, profile=profile)

    def test_only_lead_reviewers_can_have_a_profile(self, world):
        with inside(world.croydon), pytest.raises(ValidationError):
            services.reviewer_profile_save(
                actor=actor(world, "alice"),
                user_uuid=world.dave.uuid,
                name="Dave",
                organisation="",
                affiliations=[],
            )


class TestWhoSeesAReview:
    def test_a_reviewer_sees_only_their_reviews_from_their_appointment(self, world, review, frozen):
        profile = profile_for(world)
        erin = actor(world, "erin")
        with inside(world.croydon):
            with pytest.raises(Http404):
                selectors.access_review(actor=erin, reference=review.reference)
            services.reviewer_appoint(
                actor=actor(world, "alice"),
                review=review,
                profile=profile,
                appointed_on=D(2026, 11, 10),
            )
            with pytest.raises(Http404):
                selectors.access_review(actor=erin, reference=review.reference)
            frozen(D(2026, 11, 10))
            assert selectors.access_review(actor=erin, reference=review.reference) == review
            assert list(selectors.review_list(actor=erin)) == [review]
            for who in ("bob", "frank"):
                with pytest.raises(Http404):
                    selectors.access_review(actor=actor(world, who), reference=review.reference)

    def test_another_reviewer_not_appointed_sees_nothing(self, world, review):
        other = make_member(world.croydon, "other.reviewer@reviews.example", Role.LEAD_REVIEWER)
        membership = Membership.objects.get(user=other, partnership=world.croydon)
        with inside(world.croydon), pytest.raises(Http404):
            selectors.access_review(
                actor=actor_for_member(membership=membership), reference=review.reference
            )


class TestStages:
    def test_each_move_needs_its_prerequisites_and_is_audited(self, world, review):
        alice, carol = actor(world, "alice"), actor(world, "carol")
        with inside(world.croydon):
            with pytest.raises(ValidationError) as error:
                services.review_stage_move(actor=alice, review=review, to_stage="tor_agreed")
            assert error.value.message_dict["stage"] == [
                "Appoint a lead reviewer.",
                "The terms of reference have not been signed off.",
            ]
            with pytest.raises(ValidationError, match="cannot move"):
                services.review_stage_move(actor=alice, review=review, to_stage="analysis")
            services.reviewer_appoint(actor=alice, review=review, profile=profile_for(world))
            terms = services.terms_write(
                actor=alice,
                review=review,
                scope="The child's last year",
                lines_of_enquiry="Information sharing\nRecognising injuries",
                period_start=D(2025, 11, 1),
                period_end=D(2026, 10, 30),
            )
            with pytest.raises(PermissionDenied):
                services.terms_sign_off(actor=alice, terms=terms)
            services.terms_sign_off(actor=carol, terms=terms)
            services.review_stage_move(actor=alice, review=review, to_stage="tor_agreed")
            erin = actor(world, "erin")
            services.information_request_create(
                actor=erin, review=review, agency=world.met_croydon, asks=["chronology"]
            )
            services.review_stage_move(actor=erin, review=review, to_stage="information_gathering")
            with pytest.raises(ValidationError) as error:
                services.review_stage_move(actor=erin, review=review, to_stage="analysis")
            assert (
                "Information is still outstanding from Met Police."
                in (error.value.message_dict["stage"])
            )
            with pytest.raises(PermissionDenied):
                services.review_stage_move(
                    actor=actor(world, "bob"), review=review, to_stage="analysis"
                )
            review.refresh_from_db()
            assert review.stage == "information_gathering"

    def test_terms_are_versioned_and_a_signed_version_is_kept(self, world, review):
        alice = actor(world, "alice")
        with inside(world.croydon):
            first = services.terms_write(
                actor=alice,
                review=review,
                scope="a",
                lines_of_enquiry="x",
                period_start=D(2026, 1, 1),
                period_end=D(2026, 10, 30),
            )
            services.terms_sign_off(actor=actor(world, "carol"), terms=first)
            second = services.terms_write(
                actor=alice,
                review=review,
                scope="b",
                lines_of_enquiry="y",
                period_start=D(2026, 1, 1),
                period_end=D(2026, 10, 30),
            )
            with pytest.raises(ValidationError, match="latest"):
                services.terms_sign_off(actor=actor(world, "carol"), terms=first)
            assert [t.version for t in selectors.terms_versions(review=review)] == [2, 1]
            first.refresh_from_db()
            assert first.scope == "a" and first.signed_off_at and not second.signed_off_at
            with pytest.raises(ValidationError):
                services.terms_write(
                    actor=alice,
                    review=review,
                    scope="c",
                    lines_of_enquiry="",
                    period_start=D(2026, 5, 1),
                    period_end=D(2026, 1, 1),
                )


class TestInformationAndChronology:
    def test_requests_are_answered_by_the_agency_and_chased_once_a_day(self, world, review, frozen):
        alice = actor(world, "alice")
        with inside(world.croydon):
            request = services.information_request_create(
                actor=alice,
                review=review,
                agency=world.met_croydon,
                asks=["chronology", "single_agency_report"],
            )
            assert request.due == D(2026, 12, 1)  # 20 working days
            frozen(D(2026, 12, 2))
            system = actor_for_platform(partnership=world.croydon, label="daily chase")
            assert services.information_requests_chase(actor=system) == 1
            assert services.information_requests_chase(actor=system) == 0
            assert mail.outbox[0].to == ["bob@met.example"]
            with pytest.raises(PermissionDenied):
                services.information_response_submit(
                    actor=actor(world, "frank"), request=request, text="x"
                )
            services.information_response_submit(
                actor=actor(world, "bob"), request=request, text="Our chronology is attached."
            )
            request.refresh_from_db()
            assert request.status == "answered"
            frozen(D(2026, 12, 3))
            assert services.information_requests_chase(actor=system) == 0

    def test_corrections_keep_the_original_and_dates_outside_the_period_are_flagged(
        self, world, review
    ):
        alice = actor(world, "alice")
        with inside(world.croydon):
            services.terms_write(
                actor=alice,
                review=review,
                scope="s",
                lines_of_enquiry="l",
                period_start=D(2026, 1, 1),
                period_end=D(2026, 10, 30),
            )
            entry = services.chronology_entry_add(
                actor=alice,
                review=review,
                data=EntryInput(
                    D(2026, 3, 4),
                    world.nhs_croydon,
                    "Health visit: no concerns",
                    "health visitor",
                    key_episode=True,
                ),
            )
            services.chronology_entry_add(
                actor=alice,
                review=review,
                data=EntryInput(D(2025, 12, 20), world.met_croydon, "Call to the address", "PC"),
            )
            fixed = services.chronology_entry_correct(
                actor=alice,
                entry=entry,
                data=EntryInput(
                    D(2026, 3, 5),
                    world.nhs_croydon,
                    "Health visit: bruise noted",
                    "health visitor",
                    key_episode=True,
                ),
            )
            with pytest.raises(ValidationError, match="already been corrected"):
                services.chronology_entry_correct(
                    actor=alice,
                    entry=entry,
                    data=EntryInput(D(2026, 3, 5), world.nhs_croydon, "x", "y"),
                )
            page = selectors.chronology_page(actor=alice, review=review)
            assert [e.what_happened for e in page["entries"]] == [
                "Call to the address",
                "Health visit: bruise noted",
            ]
            assert [e.outside_period for e in page["entries"]] == [True, False]
            assert [e.what_happened for e in selectors.chronology_history(entry=fixed)] == [
                "Health visit: bruise noted",
                "Health visit: no concerns",
            ]
            assert ChronologyEntry.objects.get(pk=entry.pk).what_happened == (
                "Health visit: no concerns"
            )
            key = selectors.chronology_entries(review=review, key_only=True)
            assert list(key) == [fixed]
            by_agency = selectors.chronology_entries(
                review=review, agency_uuid=world.met_croydon.uuid
            )
            assert by_agency.count() == 1
            lines = list(selectors.chronology_csv(actor=alice, review=review))
        assert lines[0].startswith("date,time,agency")
        assert "Health visit: bruise noted" in lines[2]


class TestActions:
    def _recommendation(self, world, review):
        alice = actor(world, "alice")
        finding = services.finding_add(actor=alice, review=review, text="Records not shared")
        return services.recommendation_add(
            actor=alice,
            review=review,
            text="Share records",
            to_partnership=False,
            agencies=[world.met_croydon],
            findings=[finding],
        )

    def test_an_action_is_tracked_to_verification(self, world, review, frozen):
        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            action = services.action_add(
                actor=actor(world, "alice"),
                recommendation=recommendation,
                description="Train call handlers",
                owner_agency=world.met_croydon,
                due=D(2027, 3, 1),
            )
            assert services.action_rag(action, D(2026, 11, 3)) == "green"
            with pytest.raises(PermissionDenied):
                services.action_update_add(
                    actor=actor(world, "frank"), action=action, status="in_progress", note="x"
                )
            with pytest.raises(ValidationError, match="evidence"):
                services.action_update_add(
                    actor=actor(world, "bob"),
                    action=action,
                    status="complete",
                    note="Done",
                    evidence=UploadedFile("proof.pdf", b"not a pdf"),
                )
            services.action_update_add(
                actor=actor(world, "bob"),
                action=action,
                status="complete",
                note="All trained",
                evidence=UploadedFile("register.pdf", PDF),
            )
            with pytest.raises(PermissionDenied):
                services.action_verify(actor=actor(world, "bob"), action=action)
            services.action_verify(actor=actor(world, "dave"), action=action)
            with pytest.raises(ValidationError, match="verified"):
                services.action_update_add(
                    actor=actor(world, "bob"), action=action, status="in_progress", note="Reopen"
                )
            assert Action.objects.get(pk=action.pk).status == ActionStatus.VERIFIED

    @pytest.mark.parametrize(
        ("status", "due", "created", "expected"),
        [
            ("complete", D(2026, 1, 1), D(2025, 1, 1), "green"),
            ("in_progress", D(2026, 11, 2), D(2026, 1, 1), "red"),
            ("in_progress", D(2026, 11, 13), D(2026, 1, 1), "amber"),
            ("not_started", D(2027, 1, 29), D(2026, 1, 1), "amber"),
            ("not_started", D(2027, 9, 1), D(2026, 11, 1), "green"),
            ("in_progress", D(2027, 1, 29), D(2026, 1, 1), "green"),
        ],
    )
    def test_the_tracker_and_the_rule_agree_on_rag(
        self, world, review, status, due, created, expected
    ):
        import zoneinfo

        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            action = Action.objects.create(
                recommendation=recommendation,
                review=review,
                description="x",
                due=due,
                owner_agency=world.met_croydon,
                status=status,
            )
            Action.objects.filter(pk=action.pk).update(
                created_at=datetime.datetime.combine(
                    created, datetime.time(12), tzinfo=zoneinfo.ZoneInfo("Europe/London")
                )
            )
            action.refresh_from_db()
            day = D(2026, 11, 3)
            assert services.action_rag(action, day) == expected
            tracker = selectors.action_tracker(actor=actor(world, "alice"), day=day)
            assert tracker["actions"].get(pk=action.pk).rag == expected
            assert tracker["counts_by_rag"][expected] == 1

    def test_the_tracker_scopes_by_role_and_agency(
        self, world, review, frozen, django_assert_max_num_queries
    ):
        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            for n in range(30):
                services.action_add(
                    actor=actor(world, "alice"),
                    recommendation=recommendation,
                    description=f"Action {n}",
                    owner_agency=world.met_croydon if n % 2 else world.nhs_croydon,
                    due=D(2027, 1, 1),
                )
            assert len(selectors.action_tracker(actor=actor(world, "bob"))["actions"]) == 15
            assert len(selectors.action_tracker(actor=actor(world, "alice"))["actions"]) == 30
            assert len(selectors.action_tracker(actor=actor(world, "erin"))["actions"]) == 0
            # SET search_path, the two counts and the page: the same for 30 actions as for 3.
            with django_assert_max_num_queries(4):
                tracker = selectors.action_tracker(actor=actor(world, "alice"))
                list(tracker["actions"])

    def test_overdue_actions_are_chased_once_a_day(self, world, review, frozen):
        with inside(world.croydon):
            recommendation = self._recommendation(world, review)
            services.action_add(
                actor=actor(world, "alice"),
                recommendation=recommendation,
                description="x",
                owner_agency=world.met_croydon,
                due=D(2026, 11, 20),
            )
            frozen(D(2026, 11, 23))
            system = actor_for_platform(partnership=world.croydon, label="daily chase")
            assert services.actions_chase(actor=system) == 1
            assert services.actions_chase(actor=system) == 0
        assert mail.outbox[-1].to == ["bob@met.example"]


def test_documents_are_versioned_and_only_pdf_or_word(world, review):
    alice = actor(world, "alice")
    with inside(world.croydon):
        first = services.review_document_upload(
            actor=alice,
            review=review,
            title="Report",
            kind="draft_report",
            upload=UploadedFile("r.pdf", PDF),
        )
        second = services.review_document_upload(
            actor=alice,
            review=review,
            title="Report",
            kind="draft_report",
            upload=UploadedFile("r2.pdf", PDF + b"2"),
        )
        assert (first.version, second.version) == (1, 2)
        with pytest.raises(ValidationError):
            services.review_document_upload(
                actor=alice,
                review=review,
                title="Report",
                kind="draft_report",
                upload=UploadedFile("r.png", b"\x89PNG\r\n\x1a\n"),
            )
        document = selectors.review_document_for_download(
            actor=alice, review=review, document_uuid=second.uuid
        )
        assert document.sha256 != first.sha256


def test_a_thematic_review_stands_on_several_referrals_or_none(world, frozen):
    with inside(world.croydon):
        review = services.thematic_review_commission(
            actor=actor(world, "carol"),
            title="Vulnerable Adolescents Thematic Review 2019",
            commissioned_on=D(2026, 11, 3),
        )
        assert review.reference.startswith("CRO-R-2026-")
        assert review.definition.thematic and review.related_referrals.count() == 0
        with pytest.raises(PermissionDenied):
            services.thematic_review_commission(
                actor=actor(world, "dave"), title="x", commissioned_on=D(2026, 11, 3)
            )
