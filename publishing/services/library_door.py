"""The second and last door out of a partnership's schema (DESIGN §3): at publication the public
record exactly as the gate passed it, with the names of the documents, the partnerships and the
dates, is copied into the national library (``publishing.library``, public schema), and taken
out again when the publication is withdrawn. The review's publication clock follows.
"""

import datetime

from casework.processes import REVIEW_TYPES
from publishing.library import services as library
from publishing.library.models import Availability
from publishing.models import PUBLIC_STATES, Publication, PublicationState
from publishing.selectors import public_documents


def review_clocks_sync(publication: Publication) -> None:
    """The review's own clocks follow its publication: the publication clock (6 months from the
    decision, where the guidance requires publication) stops on the day it is published and
    runs again if it is withdrawn; a decision not to publish starts the clock for sending the
    reasons, which stops when they are sent."""
    from casework.services import review_clocks_sync as sync

    if publication.review is not None:
        sync(review=publication.review)


def library_sync(publication: Publication) -> None:
    """Copy the publication's public record into the national library (or take it out): the
    record exactly as the gate passed it, the documents' names, the partnerships and dates."""
    if publication.state not in PUBLIC_STATES or publication.public_record_run is None:
        library.library_record_remove(uuid=publication.uuid)
        return
    snapshot = publication.public_record_run.record_snapshot
    documents = []
    if publication.state != PublicationState.NOT_PUBLISHED:
        documents = [
            {
                "uuid": str(document.uuid),
                "kind": document.kind,
                "label": document.get_kind_display(),
                "size": document.size,
                "content_type": document.content_type,
            }
            for document in public_documents(publication=publication)
        ]
    availability = {
        PublicationState.PUBLISHED: Availability.ONLINE,
        PublicationState.ON_REQUEST: Availability.ON_REQUEST,
        PublicationState.NOT_PUBLISHED: Availability.NOT_PUBLISHED,
    }[publication.state]
    month = datetime.date.fromisoformat
    library.library_record_save(
        data=library.LibraryRecordData(
            uuid=publication.uuid,
            partnerships=publication.partnerships,
            title=snapshot["title"],
            pseudonyms=snapshot["pseudonyms"],
            review_type=snapshot["review_type"],
            review_type_label=REVIEW_TYPES[snapshot["review_type"]].label,
            commissioned_month=month(snapshot["commissioned_month"])
            if snapshot["commissioned_month"]
            else None,
            incident_month=month(snapshot["incident_month"])
            if snapshot["incident_month"]
            else None,
            published_on=publication.published_on,
            published_precision=publication.published_precision,
            summary=snapshot["summary"],
            themes=snapshot["themes"],
            age_bands=snapshot["age_bands"],
            chair_statements=snapshot["chair_statements"],
            documents=documents,
            availability=availability,
            summary_only=publication.summary_only,
            improvements=snapshot["improvements"]
            if publication.state == PublicationState.NOT_PUBLISHED
            else "",
        )
    )
