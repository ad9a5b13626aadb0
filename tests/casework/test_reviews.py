"""Reviews in the services: each stage and its prerequisites, terms of reference versioned and
signed off, documents versioned, thematic reviews on several referrals or none."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import selectors, services
from tenants.files import UploadedFile
from tests.support.actors import actor
from tests.support.reviews import profile_for
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.7\n%draft\n"


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
