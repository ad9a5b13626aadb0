"""A completed review of Croydon's and its publication, as the publishing tests start from: in
the services (tests/publishing/) and on the web (tests/frontend/publications/). The review's
child has a real name and date of birth in the case record (``GIVEN``, ``FAMILY``, ``BORN``),
which must never reach anything public. For the pages: Croydon's people signed in
(``client``), anyone on a partnership's host (``public``), and library records made directly
(``record``).

The fixtures (``review``, ``publication``, ``ready``, ``run_tasks``) are made available to a
folder by its ``conftest.py``."""

import datetime
import uuid

import pytest
from django.test import Client

from casework import services as referral_services
from casework.models import Review
from publishing import selectors, services
from publishing.library import services as library_services
from publishing.library.models import LibraryRecord
from publishing.models import Publication, PublicationState
from publishing.services import RecordInput
from tenants.clock import today
from tenants.files import UploadedFile
from tests.support.actors import actor
from tests.support.clients import signed_in_client
from tests.support.clock import Clock
from tests.support.documents import pdf
from tests.support.referrals import walk_to_decision
from tests.support.world import host_of, inside

GIVEN, FAMILY, BORN = "Amara", "Quillfeather", datetime.date(2024, 6, 1)
CLEAN_REPORT = "The review found that agencies did not share what they knew.\nChild J was seen."
DIRTY_REPORT = "The review found that Amara Quillfeather was not seen at home."


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what a change sends to the worker (the gate), as the worker would, on commit."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def review(world):
    """A completed practice review of Croydon's, about a toddler whose real name and date of
    birth are in the case record."""
    with inside(world.croydon):
        referral = referral_services.referral_create(
            actor=actor(world, "bob"),
            incident_date=datetime.date(2026, 6, 30),
            aware_date=datetime.date(2026, 7, 1),
            harm="died",
            abuse_or_neglect="suspected",
            children=[referral_services.ChildInput(GIVEN, FAMILY, BORN, "female")],
            summary="A toddler died.",
            agencies_involved=["NHS Croydon Health Services"],
        )
        referral.children.update(pseudonym="Joy")
        walk_to_decision(
            referral,
            group=actor(world, "dave"),
            manager=actor(world, "alice"),
            notified_on=datetime.date(2026, 7, 2),
            sent_on=datetime.date(2026, 7, 6),
            answered_on=datetime.date(2026, 7, 7),
        )
        referral_services.decision_record(
            actor=actor(world, "carol"),
            referral=referral,
            outcome="lcspr",
            rationale="Learning for every agency.",
            decided_on=datetime.date(2026, 7, 8),
        )
        found = Review.objects.get(referral=referral)
        Review.objects.filter(pk=found.pk).update(stage="completed")
        found.refresh_from_db()
        return found


@pytest.fixture
def publication(world, review, run_tasks):
    with inside(world.croydon):
        created = run_tasks(services.publication_create, actor=actor(world, "alice"), review=review)
        run_tasks(
            services.publication_record_update,
            actor=actor(world, "alice"),
            publication=created,
            data=RecordInput(
                title='Child "Joy"',
                summary="A toddler died at home; agencies did not share what they knew.",
                pseudonyms=["Joy"],
                themes=["neglect", "information-sharing"],
                age_bands=["1_4"],
            ),
        )
        created.refresh_from_db()
        return created


def upload(
    world,
    run_tasks,
    publication,
    content,
    name="report.pdf",
    kind="full_report",
    who="alice",
    on: datetime.date | None = None,
):
    """Upload a document (checked by the gate), today or ``on`` an earlier day: a notice can
    only be recorded from the day the report was uploaded."""
    earlier = Clock()
    if on is not None:
        earlier.today(on)
    try:
        with inside(world.croydon):
            return run_tasks(
                services.document_upload,
                actor=actor(world, who),
                publication=publication,
                kind=kind,
                upload=UploadedFile(name=name, content=content),
            )
    finally:
        earlier.stop()


def refreshed(publication):
    return Publication.objects.get(pk=publication.pk)


def notice(world, publication, sent_on):
    with inside(world.croydon):
        services.notice_record(
            actor=actor(world, "alice"),
            publication=publication,
            panel_sent_on=sent_on,
            secretary_of_state_sent_on=sent_on,
            ofsted_sent_on=sent_on,
        )


@pytest.fixture
def ready(world, publication, run_tasks):
    """The publication with a clean report, the notice sent 10 working days ago: ready."""
    upload(
        world, run_tasks, publication, pdf(CLEAN_REPORT), on=today() - datetime.timedelta(days=30)
    )
    notice(world, publication, today() - datetime.timedelta(days=21))
    with inside(world.croydon):
        found = refreshed(publication)
        assert found.state == PublicationState.READY, selectors.publication_readiness(
            publication=found
        ).missing
        return found


def published(world, ready):
    with inside(world.croydon):
        return services.publication_publish(actor=actor(world, "alice"), publication=ready)


def client(world, who):
    return signed_in_client(getattr(world, who), world.croydon)


def public(partnership) -> Client:
    return Client(HTTP_HOST=host_of(partnership))


def record(key: str, n: int, **extra) -> LibraryRecord:
    """A library record made directly (for lists of many)."""
    values = {
        "summary": f"Summary {n} about neglect and information sharing.",
        **extra,
    }
    return library_services.library_record_save(
        data=library_services.LibraryRecordData(
            uuid=uuid.uuid4(),
            partnerships=[{"key": key, "name": key.title()}],
            title=f"Child {n}",
            review_type="serious_case_review",
            review_type_label="Serious Case Review (before 2018)",
            availability="online",
            published_on=datetime.date(2015 + n % 5, 1 + n % 12, 1),
            themes=["neglect"] if n % 2 else ["information-sharing"],
            age_bands=["1_4"],
            documents=[
                {
                    "uuid": str(uuid.uuid4()),
                    "kind": "full_report",
                    "label": "Full report",
                    "size": 100,
                    "content_type": "application/pdf",
                }
            ],
            **values,
        )
    )
