"""Work that waits (issue 12, item 8): each referral's current step and whom it waits for —
screening, the notification, agencies' rapid-review contributions, the Panel, the chair's
decision, the decision notice — whether or not a clock is running. Read from the state machine
(``casework.steps``), never from the clocks."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from casework import steps
from casework.models import ContributionRequest, PanelResponse, Referral
from casework.models import ReferralStatus as S
from casework.regimes import REGIMES

NOBODY = "Nobody"
REVIEW_GROUP = "The review group"
BUSINESS_MANAGER = "The business manager"
CHAIR = "The independent chair"


@dataclass(frozen=True)
class Waiting:
    step: str  # where the referral is, in the users' words
    waits_for: str  # who must act next
    todo: str  # what they must do ("" when nothing)

    @property
    def done(self) -> bool:
        return self.waits_for == NOBODY


def with_waiting_work(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """The referrals with what ``referral_waiting`` reads, in a fixed number of queries."""
    return referrals.select_related("rapid_review").prefetch_related(
        Prefetch(
            "rapid_review__contribution_requests",
            queryset=ContributionRequest.objects.select_related("agency"),
        )
    )


def _rapid_review_waiting(rapid_review) -> tuple[str, str]:
    outstanding = [
        r.agency.name for r in rapid_review.contribution_requests.all() if not r.received
    ]
    if outstanding:
        return "Awaiting rapid-review contributions", ", ".join(outstanding)
    return "Awaiting the rapid review to be sent to the Panel", REVIEW_GROUP


def referral_waiting(referral: Referral) -> Waiting:
    """Where the referral is and whom it waits for."""
    regime = REGIMES[referral.regime]
    status = referral.status
    rapid_review = getattr(referral, "rapid_review", None)
    if status == S.RECEIVED:
        step, who = "Awaiting screening", REVIEW_GROUP
    elif status == S.SCREENED:
        step, who = "Awaiting notification", BUSINESS_MANAGER
    elif status == S.NOTIFIED and regime.rapid_review:
        step, who = "Awaiting the rapid review", REVIEW_GROUP
    elif status == S.NOTIFIED or status == S.PANEL_RESPONDED:
        step, who = "Awaiting the chair's decision", CHAIR
    elif status == S.RAPID_REVIEW:
        step, who = _rapid_review_waiting(rapid_review)
    elif status == S.SENT_TO_PANEL:
        more = rapid_review.panel_response_kind == PanelResponse.MORE_INFORMATION
        step, who = (
            ("Awaiting more information for the Panel", REVIEW_GROUP)
            if more
            else ("Awaiting the Panel", "The Child Safeguarding Practice Review Panel")
        )
    elif status == S.DECIDED and referral.panel_notified_on:
        step, who = "Awaiting the decision notice", BUSINESS_MANAGER
    elif status == S.NOT_NOTIFIABLE:
        return Waiting("Not notifiable", NOBODY, "")
    else:
        return Waiting(S(status).label, NOBODY, "")
    return Waiting(step, who, steps.next_todo(regime, status))


def referral_regime(referral: Referral):
    """The rules the referral runs under (``casework.regimes.Regime``)."""
    return REGIMES[referral.regime]


def open_referrals(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Those still waiting for someone: not closed, and not decided and communicated."""
    return referrals.exclude(
        Q(status__in=(S.NOT_NOTIFIABLE, S.DECISION_NOTIFIED))
        | Q(status=S.DECIDED, panel_notified_on__isnull=True)
    )


# --- The referral's steps as a task list (issue 14, item 4) ------------------------------------

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
CANNOT_START = "cannot_start"
NOT_APPLICABLE = "not_applicable"
TASK_STATUS_LABELS = {
    COMPLETED: "Completed",
    IN_PROGRESS: "In progress",
    CANNOT_START: "Cannot start yet",
    NOT_APPLICABLE: "Not applicable",
}
DECIDED = (S.DECIDED, S.DECISION_NOTIFIED)


@dataclass(frozen=True)
class Task:
    key: str  # the step's section of the referral page
    label: str
    status: str

    @property
    def status_label(self) -> str:
        return TASK_STATUS_LABELS[self.status]


def _may_take(regime, status: str, action: str) -> bool:
    """Whether the transition table lets ``action`` follow now (with a reason, if early)."""
    return any(
        regime.key in t.regimes and (status in t.sources or status in t.excepted_from)
        for t in steps.TRANSITIONS
        if t.action == action
    )


def _has_step(regime, action: str) -> bool:
    return any(regime.key in t.regimes for t in steps.TRANSITIONS if t.action == action)


def _status(*, done: bool, applies: bool, now: bool) -> str:
    if done:
        return COMPLETED
    if not applies:
        return NOT_APPLICABLE
    return IN_PROGRESS if now else CANNOT_START


def referral_tasks(referral: Referral) -> list[Task]:
    """Each step of the referral with its status, read from the transition table
    (``casework.steps``) and what is recorded: completed, in progress (the table lets it be
    taken now), cannot start yet, or not applicable (the referral's rules have no such step, or
    the referral took another way: screened as not notifiable, decided before the Panel
    answered)."""
    regime = REGIMES[referral.regime]
    status = referral.status
    rapid_review = getattr(referral, "rapid_review", None)
    closed = status == S.NOT_NOTIFIABLE or (status in DECIDED and not referral.panel_notified_on)
    sent = bool(rapid_review and rapid_review.sent_to_panel_on)
    answered = bool(
        rapid_review
        and rapid_review.panel_responded_on
        and rapid_review.panel_response_kind != PanelResponse.MORE_INFORMATION
    )
    panel = _has_step(regime, "start_rapid_review") and not closed
    return [
        Task(
            "screening",
            "Screening against the criteria",
            _status(done=status != S.RECEIVED, applies=True, now=True),
        ),
        Task(
            "notification",
            f"Notification to {regime.notified_to}",
            _status(
                done=bool(referral.panel_notified_on),
                applies=not closed,
                now=_may_take(regime, status, "notify"),
            ),
        ),
        Task(
            "rapid_review",
            "Rapid review",
            _status(
                done=sent,
                applies=panel,
                now=status == S.RAPID_REVIEW or _may_take(regime, status, "start_rapid_review"),
            ),
        ),
        Task(
            "panel_response",
            "The Panel's response",
            _status(
                done=answered,
                applies=panel and not (status in DECIDED and not answered),
                now=status == S.SENT_TO_PANEL,
            ),
        ),
        Task(
            "decision",
            "Decision",
            _status(done=status in DECIDED, applies=True, now=_may_take(regime, status, "decide")),
        ),
        Task(
            "decision_notices",
            f"Decision told to {regime.decision_told_to}",
            _status(
                done=status == S.DECISION_NOTIFIED,
                applies=not closed,
                now=_may_take(regime, status, "communicate_decision"),
            ),
        ),
    ]
