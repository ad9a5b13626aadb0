"""The statutory clocks as the pages show them (``clock_row``: the referral page, a review's
overview, the dashboard), and the partnership's clocks by urgency, for the review group."""

import datetime

from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework import permissions, selectors
from casework.working_days import working_days_between
from frontend.decorators import allowed_if, member_required
from tenants.clock import today

GROUPS = (
    ("overdue", "Overdue"),
    ("due_soon", "Due within 2 working days"),
    ("later", "Later"),
)


def clock_row(clock, day: datetime.date) -> dict:
    """What a clock shows: its state on ``day``, whether it is due soon, working days left
    (negative when overdue) and, once stopped by its own event, whether that was in time (a
    clock the referral's closing stopped was not late)."""
    days_left = None if clock.stopped_on else working_days_between(day, clock.due)
    return {
        "clock": clock,
        "state": clock.state_on(day),
        "due_soon": clock.due_soon_on(day),
        "days_left": days_left,
        "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
        "met": clock.stopped_on <= clock.due
        if clock.stopped_on and not clock.stopped_because
        else None,
    }


@member_required
@require_GET
@allowed_if(permissions.may_see_clock_board, "The clock board is the review group's.")
def clock_board(request):
    day = today()
    board = selectors.clock_board_for_page(actor=request.actor, day=day)
    groups = [
        {"key": key, "title": title, "rows": [clock_row(clock, day) for clock in board[key]]}
        for key, title in GROUPS
    ]
    return render(request, "clocks/board.html", {"groups": groups, "today": day})
