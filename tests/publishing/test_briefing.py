"""The briefing in the services: edited, made into one page that goes through the gate, refused
past a page, each section limited."""

import pytest
from django.core.exceptions import ValidationError

from publishing import selectors, services
from publishing.models import DocumentKind, GateOutcome, PublicationDocument
from publishing.services import statements as statement_services
from tests.support.actors import actor
from tests.support.world import inside

pytestmark = pytest.mark.django_db


class TestBriefing:
    def test_the_briefing_is_edited_then_made_into_one_page_that_goes_through_the_gate(
        self, world, publication, run_tasks
    ):
        with inside(world.croydon):
            alice = actor(world, "alice")
            services.briefing_save(
                actor=alice,
                publication=publication,
                sections={"background": "A toddler died.", "learning": "Share what you know."},
            )
            document = run_tasks(services.briefing_generate, actor=alice, publication=publication)
            assert document.kind == DocumentKind.BRIEFING_NOTE and document.pages == 1
            assert document.generated
            run = selectors.latest_run(publication=publication, document=document)
            assert run.outcome == GateOutcome.CLEAR

    def test_a_briefing_longer_than_a_page_is_refused(self, world, publication, monkeypatch):
        with inside(world.croydon):
            alice = actor(world, "alice")
            monkeypatch.setattr(statement_services, "BRIEFING_SECTION_LIMIT", 10_000)
            services.briefing_save(
                actor=alice,
                publication=publication,
                sections={name: "Long text. " * 250 for name in services.BRIEFING_SECTIONS},
            )
            with pytest.raises(ValidationError, match="shorten"):
                services.briefing_generate(actor=alice, publication=publication)
            assert not PublicationDocument.objects.exists()

    def test_each_section_is_limited(self, world, publication):
        with inside(world.croydon), pytest.raises(ValidationError, match="900"):
            services.briefing_save(
                actor=actor(world, "alice"),
                publication=publication,
                sections={"background": "x" * 901},
            )
