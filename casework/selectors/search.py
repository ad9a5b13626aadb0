"""Searching a partnership's casework (referrals and reviews) by reference, child's name,
agency and date range (issue 14).

A child's name is matched by trigram word similarity (PostgreSQL ``pg_trgm``, created by
``casework/migrations/0008_trigram_search.py``), so "Jaden Smyth" finds Jayden Smith. Search
finds only what the searcher already sees: referrals through the referrals' rule (the review
group all, an agency its own), reviews through ``visible_reviews`` (the review group all, a lead
reviewer theirs, an agency none). Every search is recorded in the audit trail with its terms,
the name included (see ``tenants.agencies.audit`` for why that one exception)."""

import datetime
import uuid
from dataclasses import asdict, dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import (
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat

from casework.models import Child, Referral, Review
from casework.selectors.referrals import visible_referrals
from casework.selectors.reviews import reviews_filtered, visible_reviews
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record

# word_similarity of the typed name to a child's full name at or above which it is a match:
# low enough that a letter or two wrong still finds the child ("Smyth" for "Smith").
NAME_SIMILARITY = 0.3
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class SearchTerms:
    """What was asked: any of them, all applied together."""

    reference: str = ""
    name: str = ""
    agency_uuid: uuid.UUID | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def asked(self) -> bool:
        return any(asdict(self).values())

    def for_audit(self) -> dict:
        return {key: str(value) for key, value in asdict(self).items() if value not in (None, "")}


def _name_score(children: QuerySet[Child], name: str):
    """The best word similarity of ``name`` to one of ``children``'s full names, in SQL."""
    best = (
        children.annotate(
            score=TrigramWordSimilarity(
                Value(name), Concat("given_name", Value(" "), "family_name")
            )
        )
        .order_by("-score")
        .values("score")[:1]
    )
    return Coalesce(Subquery(best, output_field=FloatField()), Value(0.0))


def _by_agency(things: QuerySet, agency_uuid, *fields: str) -> QuerySet:
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__uuid": agency_uuid})
    return things.filter(pk__in=things.model.objects.filter(query).values("pk"))


def _referrals(actor: Actor, terms: SearchTerms) -> QuerySet[Referral]:
    referrals = visible_referrals(actor)
    if terms.reference:
        referrals = referrals.filter(reference__icontains=terms.reference)
    if terms.agency_uuid:
        referrals = _by_agency(
            referrals, terms.agency_uuid, "referring_agency", "agencies_involved"
        )
    if terms.date_from:
        referrals = referrals.filter(aware_date__gte=terms.date_from)
    if terms.date_to:
        referrals = referrals.filter(aware_date__lte=terms.date_to)
    order = ["-aware_date", "-id"]
    if terms.name:
        score = _name_score(Child.objects.filter(referral=OuterRef("pk")), terms.name)
        referrals = referrals.annotate(score=score).filter(score__gte=NAME_SIMILARITY)
        order = [F("score").desc(), *order]
    return (
        referrals.select_related("referring_agency")
        .prefetch_related("children")
        .order_by(*order)[:SEARCH_LIMIT]
    )


def _reviews(actor: Actor, terms: SearchTerms) -> QuerySet[Review]:
    reviews = visible_reviews(actor)
    if terms.reference:
        reviews = reviews.filter(
            Q(reference__icontains=terms.reference)
            | Q(referral__reference__icontains=terms.reference)
        )
    reviews = reviews_filtered(
        reviews, agency_uuid=terms.agency_uuid, date_from=terms.date_from, date_to=terms.date_to
    )
    order = ["-commissioned_on", "-id"]
    if terms.name:
        score = _name_score(Child.objects.filter(reviews=OuterRef("pk")), terms.name)
        reviews = reviews.annotate(score=score).filter(score__gte=NAME_SIMILARITY)
        order = [F("score").desc(), *order]
    return (
        reviews.select_related("referral")
        .prefetch_related(Prefetch("children", queryset=Child.objects.order_by("position")))
        .order_by(*order)[:SEARCH_LIMIT]
    )


def casework_search(*, actor: Actor, terms: SearchTerms) -> dict:
    """The referrals and reviews the actor sees that match every term asked (the best name
    matches first, else the newest), at most ``SEARCH_LIMIT`` of each, in a fixed number of
    queries whatever the number of records. The search is recorded with its terms and how
    many it found; nothing asked, nothing is searched or recorded."""
    if not terms.asked:
        return {"referrals": [], "reviews": [], "asked": False}
    referrals = list(_referrals(actor, terms))
    reviews = list(_reviews(actor, terms))
    audit_event_record(
        actor=actor,
        action="casework.searched",
        object_type="search",
        detail={**terms.for_audit(), "referrals": len(referrals), "reviews": len(reviews)},
    )
    return {"referrals": referrals, "reviews": reviews, "asked": True}
