"""Referrals on the web, one module a topic:

- ``entry``: the referral form, the triage list and an agency's rapid-review contribution;
- ``page``: the referral page and its sections (screening, the notifications, the rapid review,
  the decision, files), each answered by a view made from one line of its table;
- ``timeline``: the page's timeline in the users' words.

Every rule is the casework services'; these views parse and render.
"""

from frontend.views.referrals.entry import contribution, referral_list, referral_new
from frontend.views.referrals.page import (
    attachment_add,
    attachment_download,
    contribution_requests_add,
    decision,
    decision_notices,
    panel_notification,
    panel_response,
    rapid_review_send,
    rapid_review_start,
    rapid_review_update,
    referral_detail,
    screening,
    sos_ofsted_notification,
)

__all__ = [
    "attachment_add",
    "attachment_download",
    "contribution",
    "contribution_requests_add",
    "decision",
    "decision_notices",
    "panel_notification",
    "panel_response",
    "rapid_review_send",
    "rapid_review_start",
    "rapid_review_update",
    "referral_detail",
    "referral_list",
    "referral_new",
    "screening",
    "sos_ofsted_notification",
]
