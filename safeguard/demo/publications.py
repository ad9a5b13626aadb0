"""Demo publications: every review of ``../shared/seeds/published_reviews.json`` entered as its
partnerships published it, with placeholder PDFs that say they are demo documents.

Used by ``manage.py load_demo``, inside each lead partnership's schema, through the services (the
gate runs on every placeholder and on every public record, here and now rather than on a worker).
Idempotent: each seed review has a fixed UUID.
"""

import datetime
import re
import uuid

from django.utils.text import slugify

from publishing import services
from publishing.library.models import Theme
from publishing.models import DocumentKind, GateRun, GateState, Publication
from publishing.pdf import placeholder_pdf
from tenants.actors import actor_for_platform
from tenants.files import UploadedFile
from tenants.models import Partnership

DEMO_NAMESPACE = uuid.UUID("5d1c3a8e-6f0b-4d8e-9a53-0c6f1f5b2a71")
SEED_TYPES = {"serious_case_review": "serious_case_review", "thematic_review": "thematic"}


# --- Seeds -------------------------------------------------------------------------------------


def _published(value) -> tuple[datetime.date | None, str]:
    if not value:
        return None, "unknown"
    if re.fullmatch(r"\d{4}", value):
        return datetime.date(int(value), 1, 1), "year"
    return datetime.date.fromisoformat(value), "day"


def _month(value) -> datetime.date | None:
    return datetime.date.fromisoformat(f"{value}-01") if value else None


def pseudonyms_from_title(title: str) -> list[str]:
    """'Child "Joe"' → Joe; "Children R, S and W" → R, S, W; "'Emily' and 'Jack'" → both."""
    quoted = re.findall(r"[\"'“‘]([^\"'”’]+)[\"'”’]", title)
    if quoted:
        return [q.strip() for q in quoted if q.strip() and ":" not in q]
    match = re.match(r"^(?:Child|Children|Baby|Family)\s+(.+)$", title)
    if match:
        parts = re.split(r",\s*|\s+and\s+", match.group(1))
        return [part for part in parts if re.fullmatch(r"[A-Z]", part)]
    return []


def demo_uuid(review: dict) -> uuid.UUID:
    lead = review.get("lead") or review["partnerships"][0]
    return uuid.uuid5(DEMO_NAMESPACE, f"{lead}:{review['title']}:{review.get('published')}")


def _documents(review: dict) -> list[str]:
    if review.get("availability") == "executive_summary_only":
        return [DocumentKind.EXECUTIVE_SUMMARY]
    kinds = [DocumentKind.FULL_REPORT]
    if any("briefing" in name for name in review.get("documents", [])):
        kinds.append(DocumentKind.BRIEFING_NOTE)
    return kinds


def _placeholder(review: dict, kind: str, names: list[str]) -> bytes:
    label = DocumentKind(kind).label
    published = review.get("published") or "date not recorded"
    return placeholder_pdf(
        [
            [
                "DEMO DOCUMENT - not a real report",
                "",
                f"{label}: {review['title']}",
                ", ".join(names),
                f"Published {published}.",
                "",
                "This placeholder stands in for the document the partnership published. It was "
                "made by the Safeguard demo data so that the national library and the "
                "partnership's page have something to show. Read the real report on the "
                "partnership's own website.",
            ]
        ]
    )


def _run_queued(publication: Publication, actor) -> None:
    for run in GateRun.objects.filter(publication=publication, state=GateState.QUEUED):
        services.gate_run_execute(run_uuid=str(run.uuid), actor=actor)


def demo_publications_load(*, partnership: Partnership, reviews: list[dict]) -> int:
    """Enter the seed reviews this partnership led (or published alone). Does nothing for a
    review entered before."""
    actor = actor_for_platform(partnership=partnership, label="load_demo command")
    names = dict(Partnership.objects.values_list("key", "name"))
    themes = set(Theme.objects.values_list("slug", flat=True))
    loaded = 0
    for review in reviews:
        keys = review["partnerships"]
        lead = review.get("lead") or keys[0]
        if lead != partnership.key or any(key not in names for key in keys):
            continue
        publication_uuid = demo_uuid(review)
        if Publication.objects.filter(uuid=publication_uuid).exists():
            continue
        published_on, precision = _published(review.get("published"))
        ordered = [lead] + [key for key in keys if key != lead]
        publication = services.publication_enter_directly(
            actor=actor,
            title=review["title"],
            review_type=SEED_TYPES.get(review["type"], "serious_case_review"),
            published_on=published_on,
            published_precision=precision,
            summary_only=review.get("availability") == "executive_summary_only",
            partnerships=[{"key": key, "name": names[key]} for key in ordered],
            publication_uuid=publication_uuid,
        )
        services.publication_record_update(
            actor=actor,
            publication=publication,
            data=services.RecordInput(
                title=review["title"],
                summary=review.get("summary") or "",
                pseudonyms=pseudonyms_from_title(review["title"]),
                themes=[slugify(t) for t in review.get("themes", []) if slugify(t) in themes],
                commissioned_month=_month(review.get("commissioned")),
                incident_month=_month(review.get("incident")),
            ),
        )
        for statement in review.get("chair_statements", []):
            if statement["partnership"] not in keys:
                continue
            services.chair_statement_save(
                actor=actor,
                publication=publication,
                chair_name=statement["name"],
                chair_role=statement.get("role", ""),
                text="",
                for_partnership=statement["partnership"],
            )
        for kind in _documents(review):
            services.document_upload(
                actor=actor,
                publication=publication,
                kind=kind,
                upload=UploadedFile(
                    name=f"{slugify(review['title']) or 'review'}-{kind}.pdf",
                    content=_placeholder(review, kind, [names[key] for key in ordered]),
                ),
            )
        _run_queued(publication, actor)
        publication.refresh_from_db()
        services.publication_record_as_published(
            actor=actor, publication=publication, online=review.get("availability") != "on_request"
        )
        loaded += 1
    return loaded
