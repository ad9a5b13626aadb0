"""A review's workspace on the web, one module a tab (the tabs are ``workspace.TABS``):

- ``listing``: the list of reviews and commissioning a thematic review;
- ``overview``: stages, and the sections of the overview posted to by ``reviewers`` (the
  independence check and appointments), ``joint`` (the lead's side of a joint review) and
  ``sign_off`` (the chair's);
- ``terms``, ``information``, ``chronology``, ``findings``, ``actions``, ``documents``.

The same views serve a joint review's participants through the door
(``frontend.views.joint.through_the_door``). The URL patterns name each view from here.
"""

from frontend.downloads import private_file
from frontend.views.reviews.actions import action_add, action_plan
from frontend.views.reviews.chronology import (
    chronology,
    chronology_csv,
    chronology_print,
    entry_add,
    entry_correct,
    entry_detail,
)
from frontend.views.reviews.documents import document_download, document_upload, documents
from frontend.views.reviews.findings import finding_add, findings, recommendation_add
from frontend.views.reviews.information import (
    information,
    information_request_close,
    information_request_create,
)
from frontend.views.reviews.joint import joint_end, joint_invite, joint_part_end, joint_part_open
from frontend.views.reviews.listing import review_list
from frontend.views.reviews.overview import home_office_submission, overview, stage_move
from frontend.views.reviews.reviewers import reviewer_appoint, reviewer_check, reviewer_profile
from frontend.views.reviews.sign_off import chair_sign_off
from frontend.views.reviews.terms import terms, terms_sign_off, terms_write
from frontend.views.reviews.workspace import workspace_context

__all__ = [
    "action_add",
    "action_plan",
    "chair_sign_off",
    "chronology",
    "chronology_csv",
    "chronology_print",
    "document_download",
    "document_upload",
    "documents",
    "entry_add",
    "entry_correct",
    "entry_detail",
    "finding_add",
    "findings",
    "home_office_submission",
    "information",
    "information_request_close",
    "information_request_create",
    "joint_end",
    "joint_invite",
    "joint_part_end",
    "joint_part_open",
    "overview",
    "private_file",
    "recommendation_add",
    "review_list",
    "reviewer_appoint",
    "reviewer_check",
    "reviewer_profile",
    "stage_move",
    "terms",
    "terms_sign_off",
    "terms_write",
    "workspace_context",
]
