"""Publications on the web, for the partnership's people, one module per topic; the URL conf
imports the views from here.

- ``listing``: the list, and starting a publication (from a review, or entered directly);
- ``page``: a publication's page, what each section shows to whom, and how a section's form
  is answered;
- ``record``: the page, the public record and the identifiers to check;
- ``gate``: documents, the anonymisation gate's runs and findings, the redaction log;
- ``scheduling``: the notice, scheduling, publishing, delays, withdrawal, months online;
- ``statements``: the chair's statement and the 7-minute briefing;
- ``copies``: the public's requests for copies.

Every change is a publishing service's (``publishing.services``), which checks who may make it
(``publishing.permissions``: a refusal is a 403); a ValidationError is shown in the form's error
summary.
"""

from frontend.views.publications.copies import copy_request_decide, copy_requests
from frontend.views.publications.gate import (
    document_download,
    document_upload,
    gate_hit_accept,
    gate_run,
    redaction_log,
)
from frontend.views.publications.listing import (
    publication_enter,
    publication_list,
    publication_start,
)
from frontend.views.publications.record import (
    identifier_add,
    identifier_remove,
    publication_detail,
    record_update,
)
from frontend.views.publications.scheduling import (
    delay,
    delay_lift,
    keep_online,
    not_published,
    notice_record,
    publish,
    reasons_sent,
    record_as_published,
    reopen,
    schedule,
    unschedule,
    withdraw,
)
from frontend.views.publications.statements import (
    briefing_generate,
    briefing_save,
    statement_save,
)

__all__ = [
    "briefing_generate",
    "briefing_save",
    "copy_request_decide",
    "copy_requests",
    "delay",
    "delay_lift",
    "document_download",
    "document_upload",
    "gate_hit_accept",
    "gate_run",
    "identifier_add",
    "identifier_remove",
    "keep_online",
    "not_published",
    "notice_record",
    "publication_detail",
    "publication_enter",
    "publication_list",
    "publication_start",
    "publish",
    "reasons_sent",
    "record_as_published",
    "record_update",
    "redaction_log",
    "reopen",
    "schedule",
    "statement_save",
    "unschedule",
    "withdraw",
]
