"""POST routes of publications and requests for copies: who may post, and data that succeeds
for them (tests/support/posts/entry.py)."""

from tests.support import preparations as prepared
from tests.support.access import MANAGERS
from tests.support.documents import pdf
from tests.support.posts.entry import on, post, upload
from tests.support.routes import Scope

# --- Publications ------------------------------------------------------------------------------


def _record(s: Scope) -> dict:
    return {
        "record-title": 'Child "Joy"',
        "record-pseudonyms": "Joy",
        "record-summary": "A toddler died at home; agencies did not share what they knew.",
        "record-themes": ["neglect"],
        "record-age_bands": ["1_4"],
        "record-improvements": "Health visitors now follow up every missed visit.",
    }


def _briefing(s: Scope) -> dict:
    return {
        "briefing-background": "A toddler died at home.",
        "briefing-why_it_matters": "Missed visits were not followed up.",
        "briefing-learning": "Agencies did not share what they knew.",
        "briefing-questions": "Who follows up a missed visit?",
        "briefing-actions": "Follow up every missed visit.",
        "briefing-further_information": "The full report.",
    }


def _notice(s: Scope) -> dict:
    sent = on(-21)
    return {
        "notice-panel_sent_on": sent,
        "notice-secretary_of_state_sent_on": sent,
        "notice-ofsted_sent_on": sent,
    }


def _report(s: Scope) -> dict:
    return {
        "document-kind": "key_messages",
        "document-file": upload(
            "messages.pdf", pdf("Key messages of the review."), "application/pdf"
        ),
    }


PREPARER = (*MANAGERS, "lead_reviewer")  # the reviewer appointed to the publication's review

PUBLICATIONS = {
    "frontend:publication-start": post(
        lambda s: {"start-review": s.made["review"].reference},
        None,
        *MANAGERS,
        prepare=prepared.completed_review_unpublished,
    ),
    "frontend:publication-enter": post(
        lambda s: {
            "enter-title": "Child C",
            "enter-review_type": "serious_case_review",
            "enter-published_on": "2012-04-02",
            "enter-summary_only": "on",
        },
        None,
        *MANAGERS,
    ),
    "frontend:publication-record": post(_record, "publication", *MANAGERS),
    "frontend:publication-identifier-add": post(
        lambda s: {"identifier-kind": "hospital", "identifier-value": "St Elsewhere Hospital"},
        "publication",
        *PREPARER,
    ),
    "frontend:publication-identifier-remove": post(lambda s: {}, "publication", *MANAGERS),
    "frontend:publication-document-upload": post(
        _report, "publication", *PREPARER, prepare=prepared.publication_in_preparation
    ),
    "frontend:publication-statement": post(
        lambda s: {
            "statement-chair_name": "Carol Chair",
            "statement-chair_role": "Independent Chair",
            "statement-text": "We accept every recommendation.",
        },
        "publication",
        "chair",
    ),
    "frontend:publication-briefing": post(
        _briefing, "publication", *MANAGERS, prepare=prepared.publication_in_preparation
    ),
    "frontend:publication-briefing-generate": post(
        _briefing, "publication", *MANAGERS, prepare=prepared.publication_in_preparation
    ),
    "frontend:publication-notice": post(
        _notice, "publication", *MANAGERS, prepare=prepared.publication_in_preparation
    ),
    "frontend:publication-schedule": post(
        lambda s: {"schedule-scheduled_for": on(7)},
        "publication",
        *MANAGERS,
        prepare=prepared.publication_in_preparation,
    ),
    "frontend:publication-unschedule": post(
        lambda s: {}, "publication", *MANAGERS, prepare=prepared.publication_scheduled
    ),
    "frontend:publication-publish": post(
        lambda s: {}, "publication", *MANAGERS, prepare=prepared.publication_in_preparation
    ),
    "frontend:publication-as-published": post(
        lambda s: {"online": "yes"},
        "entered_publication",
        *MANAGERS,
        prepare=prepared.publication_entered_ready,
    ),
    "frontend:publication-delay": post(
        lambda s: {"delay-reason": "Criminal proceedings.", "delay-review_on": on(30)},
        "publication",
        *MANAGERS,
        prepare=prepared.publication_in_preparation,
    ),
    "frontend:publication-lift": post(
        lambda s: {}, "publication", *MANAGERS, prepare=prepared.publication_delayed
    ),
    "frontend:publication-not-published": post(
        lambda s: {"not-published-reason": "The family asked; the improvements are published."},
        "publication",
        *MANAGERS,
        prepare=prepared.publication_with_improvements,
    ),
    "frontend:publication-reasons-sent": post(
        lambda s: {
            "reasons-reasons_panel_sent_on": on(0),
            "reasons-reasons_secretary_of_state_sent_on": on(0),
        },
        "publication",
        *MANAGERS,
        prepare=prepared.publication_not_published,
    ),
    "frontend:publication-withdraw": post(
        lambda s: {"withdraw-reason": "A name was found in it."}, "publication", *MANAGERS
    ),
    "frontend:publication-reopen": post(
        lambda s: {}, "publication", *MANAGERS, prepare=prepared.publication_withdrawn
    ),
    "frontend:publication-online": post(
        lambda s: {"online-until": on(800)}, "publication", *MANAGERS
    ),
    "frontend:publication-hit-accept": post(
        lambda s: {f"accept-{s.side.gate_hit.uuid}-reason": "A pseudonym in the final text."},
        "publication",
        "chair",
        prepare=prepared.finding_of_the_gate_open,
    ),
    "frontend:copy-request": post(
        lambda s: {"decision-decision": "refuse", "decision-reason": "Not for research use."},
        "copy_request",
        "business_manager",
    ),
}
