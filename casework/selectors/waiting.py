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
