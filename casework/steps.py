"""The referral's process as a state machine, in one place: which step may follow which, under
which rules, with the source of each (DESIGN §2 steps 1 to 4). The services ask
``step_check`` before they change anything and ``step_take`` as they do; a step out of order is
refused with a message naming what must come first.

An explicit table rather than django-fsm-2: the steps differ by regime (a 2015 serious case
review has no rapid review), one step may be taken from several states (the decision: after the
Panel's answer, before it with a reason, or after a referral screened as not notifiable), and
the table is data the README's diagram and the tests read, as the clocks and review types are.

    received ─screen─▶ screened ─notify─▶ notified ─start─▶ rapid_review ─send─▶ sent_to_panel
        └─screen (not met)─▶ not_notifiable ─decide (local learning or none)─▶ decided
    sent_to_panel ─Panel's response─▶ panel_responded ─decide─▶ decided ─tell─▶ decision_notified
    (2015: notified ─decide─▶ decided; deciding before the Panel answers needs a reason)
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from casework.models import Outcome, PanelResponse
from casework.models import ReferralStatus as S
from casework.regimes import (
    CA2004_S16C,
    CSPR_REGS_2018,
    LSCB_REGS_2006,
    REGIMES,
    WT2015_CH4,
    Regime,
)

ALL = ("scr2015", "csprr2018", "wt2023")
PANEL = ("csprr2018", "wt2023")
# Stands for the regime's own guidance (Working Together 2015 ch. 4, 2018 ch. 4 or 2023 ch. 5)
# in a transition's source: ``Transition.cited`` puts it in.
OWN_GUIDANCE = "{guidance}"

ORDER = (
    S.RECEIVED,
    S.SCREENED,
    S.NOT_NOTIFIABLE,
    S.NOTIFIED,
    S.RAPID_REVIEW,
    S.SENT_TO_PANEL,
    S.PANEL_RESPONDED,
    S.DECIDED,
    S.DECISION_NOTIFIED,
)


@dataclass(frozen=True)
class Transition:
    """A step: from which states, to which, under which regimes, and its source. A step the
    guidance allows early (``excepted_from``) needs the chair's written reason."""

    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    regimes: tuple[str, ...]
    source: str
    excepted_from: tuple[str, ...] = ()

    def cited(self, regime: Regime) -> str:
        """The source, the regime's own guidance named."""
        return self.source.replace(OWN_GUIDANCE, regime.source.split("; ")[0])


TRANSITIONS = (
    Transition(
        "screen",
        "Recording the screening",
        (S.RECEIVED, S.SCREENED),
        S.SCREENED,
        ALL,
        f"{CA2004_S16C}; {LSCB_REGS_2006}; {OWN_GUIDANCE}",
    ),
    Transition(
        "screen_not_notifiable",
        "Recording the screening",
        (S.RECEIVED, S.SCREENED),
        S.NOT_NOTIFIABLE,
        ALL,
        f"{CA2004_S16C}; {LSCB_REGS_2006}; {OWN_GUIDANCE}",
    ),
    Transition(
        "notify",
        "Recording the notification",
        (S.SCREENED,),
        S.NOTIFIED,
        ALL,
        f"{CA2004_S16C} (2018 on); {WT2015_CH4} (Ofsted and the LSCB)",
    ),
    Transition(
        "start_rapid_review",
        "Starting the rapid review",
        (S.NOTIFIED,),
        S.RAPID_REVIEW,
        PANEL,
        OWN_GUIDANCE,
    ),
    Transition(
        "send_rapid_review",
        "Sending the rapid review to the Panel",
        (S.RAPID_REVIEW,),
        S.SENT_TO_PANEL,
        PANEL,
        OWN_GUIDANCE,
    ),
    Transition(
        "panel_asks_more",
        "Recording the Panel's response",
        (S.SENT_TO_PANEL,),
        S.SENT_TO_PANEL,
        PANEL,
        OWN_GUIDANCE,
    ),
    Transition(
        "panel_answers",
        "Recording the Panel's response",
        (S.SENT_TO_PANEL, S.PANEL_RESPONDED),
        S.PANEL_RESPONDED,
        PANEL,
        f"{OWN_GUIDANCE}; {CSPR_REGS_2018}",
    ),
    Transition(
        "decide",
        "Recording the decision",
        (S.PANEL_RESPONDED,),
        S.DECIDED,
        PANEL,
        f"{OWN_GUIDANCE}; {CSPR_REGS_2018}",
        excepted_from=(S.SENT_TO_PANEL,),
    ),
    Transition(
        "decide", "Recording the decision", (S.NOTIFIED,), S.DECIDED, ("scr2015",), WT2015_CH4
    ),
    Transition(
        "decide",
        "Recording the decision",
        (S.NOT_NOTIFIABLE,),
        S.DECIDED,
        ALL,
        f"{OWN_GUIDANCE}: a case below the criteria may still have a local learning review",
    ),
    Transition(
        "communicate_decision",
        "Recording that the decision was communicated",
        (S.DECIDED,),
        S.DECISION_NOTIFIED,
        ALL,
        OWN_GUIDANCE,
    ),
)


def next_todo(regime: Regime, status: str) -> str:
    """What must be done next, in the users' words; empty when nothing is."""
    return {
        S.RECEIVED: "record the screening",
        S.SCREENED: f"record the notification to {regime.notified_to}",
        S.NOTIFIED: "start the rapid review" if regime.rapid_review else "record the decision",
        S.RAPID_REVIEW: "send the rapid review to the Panel",
        S.SENT_TO_PANEL: "record the Panel's response",
        S.PANEL_RESPONDED: "record the decision",
        S.DECIDED: f"record that the decision was communicated to {regime.decision_told_to}",
    }.get(status, "")


def _refusal(regime: Regime, status: str, transition: Transition) -> str:
    label = transition.label
    if regime.key not in transition.regimes:
        return f"{label}: the {regime.label} rules have no such step."
    if status == S.NOT_NOTIFIABLE:
        return f"{label}: the referral was screened as not notifiable, so this step does not apply."
    if status == S.DECISION_NOTIFIED or ORDER.index(status) >= ORDER.index(transition.target):
        return f"{label}: that step is past; the referral is at “{S(status).label}”."
    return f"{label} must wait: first {next_todo(regime, status)}."


@dataclass(frozen=True)
class Step:
    transition: Transition
    excepted: bool  # taken early, with the chair's reason
    from_status: str


def step_check(referral, action: str, *, exception_reason: str = "") -> Step:
    """The step ``action`` from where the referral is, or a ``ValidationError`` naming what must
    come first. A step the guidance allows early is allowed with a written reason (raised on the
    ``exception_reason`` field when missing)."""
    regime = REGIMES[referral.regime]
    rows = [t for t in TRANSITIONS if t.action == action]
    mine = [t for t in rows if regime.key in t.regimes]
    for transition in mine:
        if referral.status in transition.sources:
            return Step(transition, excepted=False, from_status=referral.status)
    for transition in mine:
        if referral.status in transition.excepted_from:
            if not (exception_reason or "").strip():
                raise ValidationError(
                    {
                        "exception_reason": [
                            "The Panel has not answered yet: record its response first, or give "
                            "the reason for deciding before it answers."
                        ]
                    }
                )
            return Step(transition, excepted=True, from_status=referral.status)
    raise ValidationError(_refusal(regime, referral.status, (mine or rows)[0]))


def step_take(referral, step: Step) -> None:
    """Move the referral to the step's state, inside the caller's transaction, only if it is
    still where it was checked: of two people taking a step at once, the second is refused."""
    target = step.transition.target
    moved = (
        type(referral).objects.filter(pk=referral.pk, status=step.from_status).update(status=target)
    )
    if not moved:
        raise ValidationError("The referral has moved on meanwhile: reload the page to see it.")
    referral.status = target


def step_may_with_reason(referral, action: str) -> bool:
    """Whether ``action`` may follow now only with a written reason (what a page asks for)."""
    regime = REGIMES[referral.regime]
    return any(
        regime.key in t.regimes and referral.status in t.excepted_from
        for t in TRANSITIONS
        if t.action == action
    )


def decision_outcomes(referral) -> tuple[str, ...]:
    """What the chair may decide, by the referral's rules and where it is: the regime's own
    outcomes (2015: a serious case review or not; from 2018: a local review or none); after a
    referral screened as not notifiable, only a local learning review or none; a national review
    only when the Panel said it will commission one (it is the Panel's decision, not the
    chair's)."""
    regime = REGIMES[referral.regime]
    if referral.status == S.NOT_NOTIFIABLE:
        return tuple(o for o in regime.outcomes if o != regime.statutory_review)
    rapid_review = getattr(referral, "rapid_review", None)
    if getattr(rapid_review, "panel_response_kind", "") == PanelResponse.NATIONAL_REVIEW:
        return (*regime.outcomes, Outcome.NATIONAL_REVIEW)
    return regime.outcomes


def rapid_review_next_steps(referral) -> tuple[str, ...]:
    """What a rapid review may recommend: the regime's decisions, or that the Panel take the
    case for a national review (Working Together 2018 ch. 4 / 2023 ch. 5)."""
    return (*REGIMES[referral.regime].outcomes, Outcome.NATIONAL_REVIEW)
