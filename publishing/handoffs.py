"""Publishing's hand-offs (issue 13): the audit action that makes it someone's turn, who is told
and what. Registered with ``tenants.handoffs`` by ``PublishingConfig.ready()``; one table, so a
renamed action is one line here."""

from publishing.models import Publication
from publishing.permissions import publication_runners_emails
from tenants.handoffs import Handoff, HandoffContext, Notice


def delay_review_due(context: HandoffContext) -> Handoff:
    """A delayed publication is due for review: the business managers, once a day each (the
    daily job may run twice; the sending layer keeps one per person, publication and day)."""
    publication = Publication.objects.filter(uuid=context.event.object_ref).first()
    if publication is None:
        return Handoff()
    return Handoff(
        notices=[
            Notice(
                kind="reminder",
                recipients=tuple(publication_runners_emails(context.partnership)),
                reference="A delayed publication",
                what="The delay is due for review today",
                due=publication.delay_review_on,
                path=f"/publications/{publication.uuid}/",
                once_a_day=True,
                item=f"publication:{publication.uuid}",
            )
        ]
    )


# The one table: audit action (as the services record it) -> handler.
HANDOFFS = {
    "publication.delay_review_due": delay_review_due,
}
