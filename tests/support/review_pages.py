"""A review's workspace on the web, as the page tests fill it: a practice review of Croydon's
from a Met Police referral (``TITLE_MARKER`` is its child's family name), its reviewer, terms,
chronology entries, recommendations and actions, and how the pages are asked (signed in as a
person of the test world, with htmx or without). The fixtures ``review`` and ``appointed`` are
in tests/frontend/reviews/conftest.py."""

import datetime

from casework import services as review_services
from casework.models import Action, ActionStatus
from casework.services import EntryInput
from tenants.clock import today
from tests.support.actors import actor
from tests.support.clients import signed_in_client
from tests.support.world import inside

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HOSTILE = "<script>window.__pwned=1</script><b>bold</b>"
TITLE_MARKER = "Quillfeather"
TABS = ["", "terms/", "information/", "chronology/", "findings/", "actions/", "documents/"]


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def client(world, who: str):
    return signed_in_client(getattr(world, who), world.croydon)


def htmx(client, path: str, data=None, **extra):
    """A POST (or, without data, a GET) as htmx sends it."""
    if data is None:
        return client.get(path, HTTP_HX_REQUEST="true", **extra)
    return client.post(path, data, HTTP_HX_REQUEST="true", **extra)


def erin_profile(world, affiliations=()):
    with inside(world.croydon):
        return review_services.reviewer_profile_save(
            actor=actor(world, "alice"),
            user_uuid=world.erin.uuid,
            name="Erin Reviewer",
            organisation="Independent",
            affiliations=list(affiliations),
        )


def signed_terms(world, review, start=None, end=None):
    with inside(world.croydon):
        terms = review_services.terms_write(
            actor=actor(world, "alice"),
            review=review,
            scope="The child's last year.",
            lines_of_enquiry="Information sharing\nRecognising injuries",
            period_start=start or days(-400),
            period_end=end or days(-10),
        )
        return review_services.terms_sign_off(actor=actor(world, "carol"), terms=terms)


def add_entry(world, review, what="Call to the address", agency=None, on=None, key=False):
    with inside(world.croydon):
        return review_services.chronology_entry_add(
            actor=actor(world, "alice"),
            review=review,
            data=EntryInput(
                on or days(-100),
                agency or world.met_croydon,
                what,
                "police officer",
                key_episode=key,
            ),
        )


def recommendation_with_action(world, review, *, owner=None, status=ActionStatus.NOT_STARTED):
    with inside(world.croydon):
        alice = actor(world, "alice")
        recommendation = review_services.recommendation_add(
            actor=alice,
            review=review,
            text="Share records between agencies.",
            to_partnership=False,
            agencies=[world.met_croydon],
        )
        action = review_services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Train call handlers in information sharing",
            owner_agency=owner or world.met_croydon,
            due=days(60),
        )
        if status != ActionStatus.NOT_STARTED:
            Action.objects.filter(pk=action.pk).update(status=status)
            action.refresh_from_db()
        return recommendation, action


def error_summary(page: str) -> str:
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</div>", start)]


def bulk_actions(world, review, recommendation, count: int, *, owner=None, due=None):
    with inside(world.croydon):
        Action.objects.bulk_create(
            Action(
                recommendation=recommendation,
                review=review,
                description=f"Bulk action {n}",
                owner_agency=owner or (world.met_croydon if n % 2 else world.nhs_croydon),
                due=due or days(5 + n % 200),
            )
            for n in range(count)
        )
