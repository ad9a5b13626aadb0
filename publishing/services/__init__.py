"""Changes to publications (DESIGN §2 step 7), one module per topic; import them from here.

- ``publications``: starting one (from a completed review, or entered directly), its public
  record, withdrawing and reopening it;
- ``identifiers``: what the anonymisation gate looks for;
- ``documents``: documents in versions, and the gate on a file outside a publication;
- ``gate_runs``: the gate's runs, the sweeper, the chair's acceptance of a finding, readiness;
- ``notices``: the pre-publication notice, and not publishing with its reasons sent;
- ``scheduling``: scheduling, publishing, delays, months online;
- ``statements``: chair's statements and the 7-minute briefing;
- ``copies``: the public's downloads and requests for copies;
- ``library_door``: the copy of the public record into the national library;
- ``changes``: what every change shares (its audit row, back to draft, asking the gate again).

Who may do each is ``publishing.permissions``'; each service checks it and writes its audit row
in the same transaction. Audit details name objects by UUID and never hold an identifier the
gate looks for.
"""

from publishing.services.changes import TEXT_LIMITS
from publishing.services.copies import (
    COPY_LINK_DAYS,
    REQUESTS_PER_ADDRESS_PER_HOUR,
    REQUESTS_PER_EMAIL_PER_DAY,
    CopyRequestThrottled,
    copy_link_download,
    copy_request_create,
    copy_request_decide,
    public_document_download,
)
from publishing.services.documents import (
    DOCUMENT_MAX_BYTES,
    DOCUMENT_MAX_PAGES,
    FileCheck,
    document_upload,
    gate_file_check,
    gate_identifier_from_text,
    gate_limits,
    gate_ocr_rule,
    unreadable_message,
)
from publishing.services.gate_runs import (
    GATE_MAX_ATTEMPTS,
    HEARTBEAT_SECONDS,
    gate_hit_accept,
    gate_run_again,
    gate_run_execute,
    gate_runs_sweep,
)
from publishing.services.identifiers import gate_identifiers, identifier_add, identifier_remove
from publishing.services.library_door import library_sync
from publishing.services.notices import (
    not_publish_reasons_sent_record,
    notice_record,
    publication_not_publish,
)
from publishing.services.publications import (
    RecordInput,
    age_band_for,
    publication_create,
    publication_enter_directly,
    publication_partnerships,
    publication_record_update,
    publication_reopen,
    publication_withdraw,
)
from publishing.services.scheduling import (
    publication_delay,
    publication_delay_lift,
    publication_keep_online,
    publication_publish,
    publication_record_as_published,
    publication_schedule,
    publication_unschedule,
    publications_daily,
)
from publishing.services.statements import (
    BRIEFING_SECTION_LIMIT,
    BRIEFING_SECTIONS,
    briefing_generate,
    briefing_save,
    chair_statement_save,
)

__all__ = [
    "BRIEFING_SECTIONS",
    "BRIEFING_SECTION_LIMIT",
    "COPY_LINK_DAYS",
    "DOCUMENT_MAX_BYTES",
    "DOCUMENT_MAX_PAGES",
    "GATE_MAX_ATTEMPTS",
    "HEARTBEAT_SECONDS",
    "REQUESTS_PER_ADDRESS_PER_HOUR",
    "REQUESTS_PER_EMAIL_PER_DAY",
    "TEXT_LIMITS",
    "CopyRequestThrottled",
    "FileCheck",
    "RecordInput",
    "age_band_for",
    "briefing_generate",
    "briefing_save",
    "chair_statement_save",
    "copy_link_download",
    "copy_request_create",
    "copy_request_decide",
    "document_upload",
    "gate_file_check",
    "gate_hit_accept",
    "gate_identifier_from_text",
    "gate_identifiers",
    "gate_limits",
    "gate_ocr_rule",
    "gate_run_again",
    "gate_run_execute",
    "gate_runs_sweep",
    "identifier_add",
    "identifier_remove",
    "library_sync",
    "not_publish_reasons_sent_record",
    "notice_record",
    "public_document_download",
    "publication_create",
    "publication_delay",
    "publication_delay_lift",
    "publication_enter_directly",
    "publication_keep_online",
    "publication_not_publish",
    "publication_partnerships",
    "publication_publish",
    "publication_record_as_published",
    "publication_record_update",
    "publication_reopen",
    "publication_schedule",
    "publication_unschedule",
    "publication_withdraw",
    "publications_daily",
    "unreadable_message",
]
