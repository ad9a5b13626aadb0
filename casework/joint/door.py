"""The joint-review door: the one module that reaches another partnership's schema (DESIGN §3,
the first of exactly two doors; ``tests/test_architecture.py`` fails if any other module
switches schemas).

A participant's person or agency system asks on their own host. The door

1. checks the grant in the public schema: the actor's partnership takes part in this review and
   its part is *active*, and the actor's role is one the grant admits (the review group and lead
   reviewers always; agency users and systems when the grant lets the participant's agencies in);
2. writes an audit row in the actor's own partnership's trail;
3. switches to the lead's schema for the duration of the call only and keeps the mirrors of the
   participant's agencies current there;
4. runs the call with a ``JointReviewActor``: the same person, of their own partnership, bound to
   this review's UUID, so the review selectors and services (the same ones a single review uses)
   reach only this review's object graph;
5. makes sure the crossing is in the lead's trail: the call's own row (the page read, the change
   made, written by the selector or service as the visitor) or, when the call recorded nothing
   there (a form that did not validate, a 404 inside), a row of the crossing;
6. switches back, whether the call returns or raises (``tenant_context``'s ``finally``).

So one request through the door leaves one row in each trail: in the participant's, that its
person or system crossed, and why (``purpose``); in the lead's, what they read or changed there.
Lists that gather from every lead (``across``) leave one row in each lead's trail; the page's
own row in the actor's trail is its selector's (``casework.selectors.lists``), naming the
reviews read.

A refused request (no such joint review, a partnership not taking part, an invitation not yet
accepted, a declined or ended part, a role the grant does not admit) is a 404 — the same answer
as for a review that does not exist — and leaves an audit row of the attempt in the asker's trail
and, when the review exists, in the lead's.
"""

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from typing import Generic, TypeVar

from django.db import connection
from django.db.models import Max
from django.http import Http404
from django_tenants.utils import tenant_context

from casework.joint.models import (
    JointReviewGrant,
    JointReviewParticipant,
    ParticipantPermission,
    ParticipantState,
)
from tenants.actors import Actor, JointReviewActor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency, AuditEvent
from tenants.agencies.services import HomeAgency, agency_mirrors_sync
from tenants.models import Partnership
from tenants.roles import REVIEW_GROUP_AND_REVIEWERS
from tenants.validation import uuid_parse

T = TypeVar("T")

# Who of a participant may come through at all; what each may do there is the review services'.
PEOPLE_ADMITTED = REVIEW_GROUP_AND_REVIEWERS
NOT_FOUND = "No such joint review."


class LedHere(Exception):
    """The actor's own partnership leads this joint review: its people use the review's own
    pages at home; nothing crosses."""

    def __init__(self, grant):
        super().__init__(grant.review_reference)
        self.grant = grant


@dataclass(frozen=True)
class Passage:
    """What a call through the door works with: the actor bound to the lead's review, the grant
    and the participant's part in it."""

    actor: JointReviewActor
    grant: JointReviewGrant
    participant: JointReviewParticipant

    @property
    def lead(self) -> Partnership:
        return self.grant.lead

    @property
    def review_reference(self) -> str:
        return self.grant.review_reference


def _admits(actor: Actor, participant: JointReviewParticipant) -> bool:
    if actor.is_agency:
        return participant.may(ParticipantPermission.AGENCIES)
    return actor.has_role(*PEOPLE_ADMITTED)


def _refusal(actor: Actor, grant, participant) -> str:
    """Why the door stays shut, for the audit trail only (the asker sees one 404)."""
    if grant is None:
        return "no_such_joint_review"
    if participant is None:
        return "not_a_participant"
    if participant.state != ParticipantState.ACTIVE or grant.ended_at is not None:
        return f"part_{participant.state}"
    if not _admits(actor, participant):
        return "role_not_admitted"
    return ""


def _visitor(actor: Actor, working_in: Partnership, **bound) -> JointReviewActor:
    """``actor`` as the lead's schema records and checks them: still of their own partnership."""
    values = {f.name: getattr(actor, f.name) for f in fields(Actor)}
    return JointReviewActor(**values, working_in=working_in, **bound)


@contextlib.contextmanager
def _inside(partnership: Partnership) -> Iterator[None]:
    """The lead's schema for the block, and back to where the connection was afterwards, also
    when the block raises (``tenant_context`` restores in a ``finally``)."""
    with tenant_context(partnership):
        yield


def _refuse(actor: Actor, review_uuid, grant, reason: str, purpose: str) -> None:
    detail = {"reason": reason, "purpose": purpose}
    if grant is not None:
        detail["lead"] = grant.lead.key
        detail["review"] = grant.review_reference
    audit_event_record(
        actor=actor,
        action="joint_review.refused",
        object_type="joint_review",
        object_ref=str(review_uuid or "")[:64],
        detail=detail,
    )
    if grant is not None and grant.lead_id != actor.partnership.pk:
        with _inside(grant.lead):
            audit_event_record(
                actor=_visitor(actor, grant.lead),
                action="joint_review.refused",
                object_type="review",
                object_ref=grant.review_reference,
                detail=detail,
            )
    raise Http404(NOT_FOUND)


def _home_agencies(actor: Actor, participant: JointReviewParticipant) -> list[HomeAgency]:
    """The participant's own agencies, read at home before crossing, when the call may need
    their mirrors (to name them in the chronology, ask them, give them actions, or act as one)."""
    if not (actor.is_agency or participant.may(ParticipantPermission.CONTRIBUTE)):
        return []
    agencies = Agency.objects.own()
    if actor.is_agency:
        agencies = agencies.filter(uuid=actor.agency_uuid)
    return [
        HomeAgency(uuid=a.uuid, name=a.name, kind=a.kind, is_active=a.is_active)
        for a in agencies.only("uuid", "name", "kind", "is_active")
    ]


def through(*, actor: Actor, review_uuid, purpose: str, work: Callable[[Passage], T]) -> T:
    """Run ``work`` in the lead's schema on the joint review ``review_uuid``, for an actor of a
    participating partnership asking on their own host. ``purpose`` says what for (e.g. the
    request's method and path; UUIDs only) and goes into both audit rows. Raises Http404 when
    the door stays shut, and ``LedHere`` when the actor's own partnership leads the review."""
    if actor.is_joint or connection.schema_name != actor.schema_name:
        raise RuntimeError("The door is entered from the actor's own partnership only.")
    parsed = uuid_parse(review_uuid)
    grant = participant = None
    if parsed is not None:
        # The actor's part and its grant in one query; the grant alone only when there is none.
        participant = (
            JointReviewParticipant.objects.select_related("grant__lead")
            .filter(grant__review_uuid=parsed, partnership=actor.partnership)
            .first()
        )
        if participant is not None:
            grant = participant.grant
        else:
            grant = (
                JointReviewGrant.objects.select_related("lead").filter(review_uuid=parsed).first()
            )
            if grant is not None and grant.lead_id == actor.partnership.pk:
                raise LedHere(grant)
    reason = _refusal(actor, grant, participant)
    if reason:
        _refuse(actor, parsed or review_uuid, grant, reason, purpose)
    home_agencies = _home_agencies(actor, participant)
    detail = {"lead": grant.lead.key, "review": grant.review_reference, "purpose": purpose}
    audit_event_record(
        actor=actor,
        action="joint_review.entered",
        object_type="joint_review",
        object_ref=str(grant.review_uuid),
        detail=detail,
    )
    with _inside(grant.lead):
        visitor = _visitor(
            actor,
            grant.lead,
            grant_uuid=grant.uuid,
            review_uuids=frozenset({grant.review_uuid}),
            home_agency_uuid=actor.agency_uuid,
            permissions=frozenset(participant.permissions),
        )
        mirrors = agency_mirrors_sync(actor=visitor, agencies=home_agencies)
        mirror = mirrors.get(actor.agency_uuid) if actor.is_agency else None
        # An agency acts there as its mirror; a person names no agency of their own there.
        admitted = not actor.is_agency or (mirror is not None and mirror.is_active)
        if admitted:
            visitor = replace(visitor, agency_uuid=mirror.uuid if mirror else None)
            mark = _last_row_id()
            try:
                return work(Passage(actor=visitor, grant=grant, participant=participant))
            finally:
                # A transaction the call broke records nothing more: the call's error stands.
                if not connection.needs_rollback and not _recorded_since(mark, visitor):
                    audit_event_record(
                        actor=visitor,
                        action="joint_review.entered",
                        object_type="review",
                        object_ref=grant.review_reference,
                        detail={**detail, "from": actor.partnership.key},
                    )
    _refuse(actor, grant.review_uuid, grant, "agency_inactive", purpose)


def _last_row_id() -> int:
    """Where the trail of the schema we are in ends now."""
    return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


def _recorded_since(mark: int, visitor: JointReviewActor) -> bool:
    """Whether the call wrote its own row in this trail (the visitor's request's, after
    ``mark``)."""
    return AuditEvent.objects.filter(id__gt=mark, request_id=visitor.request_id).exists()


def open_parts(*, actor: Actor) -> list[JointReviewParticipant]:
    """The actor's partnership's active parts in joint reviews it does not lead, that admit the
    actor, with their grants and leads: one query."""
    parts = (
        JointReviewParticipant.objects.select_related("grant__lead")
        .filter(
            partnership=actor.partnership,
            state=ParticipantState.ACTIVE,
            grant__ended_at__isnull=True,
        )
        .order_by("grant__lead__name", "grant__created_at", "grant__id")
    )
    return [part for part in parts if _admits(actor, part)]


@dataclass(frozen=True)
class Gathered(Generic[T]):
    """What ``across`` read: the items, and every joint review read, as ``lead:reference``."""

    items: list[T]
    reviews: list[str]


def across(
    *,
    actor: Actor,
    purpose: str,
    work: Callable[[JointReviewActor, list[JointReviewParticipant]], list[T]],
    parts: list[JointReviewParticipant] | None = None,
) -> Gathered[T]:
    """Run ``work`` once in each lead's schema where the actor's partnership has an active part
    that admits the actor — for lists (a dashboard, an action tracker, the agency API's lists):
    a fixed number of queries per lead partnership, whatever the number of reviews. ``work``
    gets a read-only actor bound to that lead's reviews (no permission to change anything) and
    the parts; it returns a list, and the lists are joined in the leads' order. One audit row
    in each lead's trail names the reviews read there; the list's one row in the actor's own
    trail is the caller's (its page's selector), naming ``Gathered.reviews`` with its own."""
    if actor.is_joint or connection.schema_name != actor.schema_name:
        raise RuntimeError("The door is entered from the actor's own partnership only.")
    parts = open_parts(actor=actor) if parts is None else parts
    by_lead: dict[int, list[JointReviewParticipant]] = {}
    for part in parts:
        by_lead.setdefault(part.grant.lead_id, []).append(part)
    results: list[T] = []
    read: list[str] = []
    for lead_parts in by_lead.values():
        lead = lead_parts[0].grant.lead
        with _inside(lead):
            visitor = _visitor(
                actor,
                lead,
                review_uuids=frozenset(part.grant.review_uuid for part in lead_parts),
                home_agency_uuid=actor.agency_uuid,
            )
            if actor.is_agency:
                mirror = (
                    Agency.objects.mirrors_of(actor.partnership.key)
                    .filter(home_agency_uuid=actor.agency_uuid, is_active=True)
                    .only("uuid")
                    .first()
                )
                if mirror is None:
                    continue  # the agency has never been named in this lead's reviews
                visitor = replace(visitor, agency_uuid=mirror.uuid)
            else:
                visitor = replace(visitor, agency_uuid=None)
            references = [part.grant.review_reference for part in lead_parts]
            audit_event_record(
                actor=visitor,
                action="joint_review.listed",
                object_type="review",
                detail={"reviews": references, "purpose": purpose, "from": actor.partnership.key},
            )
            results.extend(work(visitor, lead_parts))
            read.extend(f"{lead.key}:{reference}" for reference in references)
    return Gathered(results, read)


def reach(*, actor: Actor, purpose: str, work: Callable[[JointReviewActor], T]) -> T:
    """Find the one joint review, among those open to the actor, in which ``work`` finds what it
    looks for (an agency system naming an action or a request by its UUID alone), and run it
    there with an actor bound to that review and the grant's permissions. ``work`` raises
    Http404 where the thing is not; if it is nowhere, Http404."""
    for part in open_parts(actor=actor):
        try:
            return through(
                actor=actor,
                review_uuid=part.grant.review_uuid,
                purpose=purpose,
                work=lambda passage: work(passage.actor),
            )
        except Http404:
            continue
    raise Http404("No such record.")


def here_or_through(*, actor: Actor, purpose: str, work: Callable[[Actor], T]) -> T:
    """``work(actor)`` in the host's own partnership; where what it looks for is not there (it
    raises Http404), in the joint reviews other partnerships lead that let this actor in
    (``reach``). So an agency system names an action or an information request by its UUID
    alone, whichever partnership's review it belongs to (DESIGN §4: "single and joint
    reviews"); nothing is found through the door that the grant does not open."""
    try:
        return work(actor)
    except Http404:
        return reach(actor=actor, purpose=purpose, work=work)


def audit_elsewhere(
    *,
    actor: Actor,
    partnership: Partnership,
    action: str,
    object_type: str = "",
    object_ref: str = "",
    detail: dict | None = None,
) -> None:
    """Record a change to a joint-review grant in the *other* partnership's trail as well (an
    invitation in the invited partnership's, an acceptance in the lead's): the grant itself is
    in the public schema, so nothing else crosses."""
    if partnership.pk == actor.partnership.pk:
        return
    with _inside(partnership):
        audit_event_record(
            actor=_visitor(actor, partnership),
            action=action,
            object_type=object_type,
            object_ref=object_ref,
            detail=detail,
        )
