"""The partnership's statutory clocks by urgency, for the review group."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework import selectors
from frontend.decorators import member_required
from frontend.views.referrals import clock_row
from tenants.clock import today
from tenants.roles import REVIEW_GROUP

GROUPS = (
    ("overdue", "Overdue"),
    ("due_soon", "Due within 2 working days"),
    ("later", "Later"),
)


@member_required
@require_GET
def clock_board(request):
    request.actor.require_role(*REVIEW_GROUP)
    day = today()
    board = selectors.clock_board_for_page(actor=request.actor, day=day)
    groups = [
        {"key": key, "title": title, "rows": [clock_row(clock, day) for clock in board[key]]}
        for key, title in GROUPS
    ]
    return render(request, "clocks/board.html", {"groups": groups, "today": day})
