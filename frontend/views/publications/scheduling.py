"""A publication's way to the public (its publication section): the pre-publication notice,
scheduling, publishing, recording a review entered directly as published, delays, not
publishing the report, withdrawing, reopening and keeping it online. Each form is declared in
one line: its name in the page, how it is read, the publishing service it calls and what the
page then says."""

from frontend.forms.publications import (
    DelayForm,
    KeepOnlineForm,
    NoticeForm,
    ReasonsSentForm,
    ScheduleForm,
)
from frontend.views.publications.page import (
    NOT_PUBLISHED,
    WITHDRAW,
    button,
    calls,
    posted,
    section_form,
)
from publishing import services

SECTION = "publishing"


def _as_published(actor, publication, form):
    # The radios beside the button: still on the partnership's website, or on request.
    online = form.data.get("online", "yes") != "no"
    return services.publication_record_as_published(
        actor=actor, publication=publication, online=online
    )


def _reason_form(reason):
    """A reason form of the page's (``NOT_PUBLISHED``, ``WITHDRAW``), read from the request."""
    return lambda request, publication: reason.form(request.POST)


notice_record = section_form(
    SECTION,
    "notice_form",
    posted(NoticeForm),
    calls(services.notice_record, *NoticeForm.base_fields),
    "The notice dates are saved.",
)
schedule = section_form(
    SECTION,
    "schedule_form",
    posted(ScheduleForm),
    calls(services.publication_schedule, on="scheduled_for"),
    "Publication is scheduled.",
)
unschedule = section_form(
    SECTION,
    "unschedule_form",
    button("unschedule", "Cancel the schedule"),
    calls(services.publication_unschedule),
    "The schedule is cancelled.",
)
publish = section_form(
    SECTION,
    "publish_form",
    button("publish", "Publish now"),
    calls(services.publication_publish),
    "Published: it is on the partnership's page and in the national library.",
)
record_as_published = section_form(
    SECTION,
    "as_published_form",
    button("as-published", "Record it as published"),
    _as_published,
    "Recorded as published: it is on the partnership's page and in the national library.",
)
delay = section_form(
    SECTION,
    "delay_form",
    posted(DelayForm),
    calls(services.publication_delay, "reason", "review_on"),
    "Publication is delayed.",
)
delay_lift = section_form(
    SECTION,
    "lift_form",
    button("lift", "Lift the delay"),
    calls(services.publication_delay_lift),
    "The delay is lifted.",
)
not_published = section_form(
    SECTION,
    "not_published_form",
    _reason_form(NOT_PUBLISHED),
    calls(services.publication_not_publish, "reason"),
    "The report is not published; the improvements are.",
)
reasons_sent = section_form(
    SECTION,
    "reasons_form",
    posted(ReasonsSentForm),
    calls(
        services.not_publish_reasons_sent_record,
        "change_reason",
        panel_sent_on="reasons_panel_sent_on",
        secretary_of_state_sent_on="reasons_secretary_of_state_sent_on",
    ),
    "The dates the reasons were sent are saved.",
)
withdraw = section_form(
    SECTION,
    "withdraw_form",
    _reason_form(WITHDRAW),
    calls(services.publication_withdraw, "reason"),
    "The publication is withdrawn.",
)
reopen = section_form(
    SECTION,
    "reopen_form",
    button("reopen", "Reopen to correct it"),
    calls(services.publication_reopen),
    "The publication is a draft again.",
)
keep_online = section_form(
    SECTION,
    "online_form",
    posted(KeepOnlineForm),
    calls(services.publication_keep_online, "until"),
    "It stays online.",
)
