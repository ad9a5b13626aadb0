"""Reads of the statutory clocks across cases: a referral's clocks and a review's own clocks (its
type's: publication, a domestic abuse related death review's Home Office submission, a
safeguarding adults review's local target), for the clocks page."""

import datetime

from django.db.models import Q

from casework.models import Clock
from casework.selectors.referrals import DUE_SOON_WORKING_DAYS, visible_referrals
from casework.selectors.reviews import visible_reviews
from casework.working_days import add_working_days
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.clock import today


def open_clocks(*, actor: Actor, limit: int = 500) -> list[Clock]:
    """Open clocks, soonest due first, of the referrals and the reviews this actor sees, each
    with its referral or review (one query however many there are)."""
    visible = Q(referral__in=visible_referrals(actor).values("pk")) | Q(
        referral__isnull=True, review__in=visible_reviews(actor).values("pk")
    )
    return list(
        Clock.objects.filter(visible, stopped_on__isnull=True)
        .select_related("referral", "review")
        .order_by("due", "id")[:limit]
    )


def clock_board(*, actor: Actor, day: datetime.date | None = None) -> dict[str, list[Clock]]:
    """The partnership's open clocks by urgency: overdue, due within 2 working days, later."""
    now = day or today()
    horizon = add_working_days(now, DUE_SOON_WORKING_DAYS)
    board = {"overdue": [], "due_soon": [], "later": []}
    for clock in open_clocks(actor=actor):
        key = "overdue" if clock.due < now else ("due_soon" if clock.due <= horizon else "later")
        board[key].append(clock)
    return board


def clock_board_for_page(*, actor: Actor, day: datetime.date | None = None) -> dict[str, list]:
    """The clock board (``clock_board``); the read is audited."""
    board = clock_board(actor=actor, day=day)
    audit_event_record(
        actor=actor,
        action="clocks.viewed",
        object_type="clock",
        detail={key: len(clocks) for key, clocks in board.items()},
    )
    return board
