"""A publication's way to the public (its publication section): the pre-publication notice,
scheduling, publishing, recording a review entered directly as published, delays, not
publishing the report, withdrawing, reopening and keeping it online. Each form is declared: the
section, the form, the publishing service it calls."""

from frontend.forms.base import ButtonForm
from frontend.forms.publications import (
    DelayForm,
    KeepOnlineForm,
    NoticeForm,
    ReasonsSentForm,
    ScheduleForm,
)
from frontend.views.publications.page import NOT_PUBLISHED, WITHDRAW, SectionPost, section_view
from publishing import services

SECTION = "publishing"


def _button(prefix: str, submit: str):
    """A form that is only its button (``ButtonForm``), read from the request."""
    return lambda request, publication: ButtonForm(request.POST, submit=submit, prefix=prefix)


notice_record = section_view(
    SectionPost(
        section=SECTION,
        form_key="notice_form",
        form=lambda request, publication: NoticeForm(request.POST),
        perform=lambda actor, publication, form: services.notice_record(
            actor=actor, publication=publication, **form.cleaned_data
        ),
        done="The notice dates are saved.",
    )
)

schedule = section_view(
    SectionPost(
        section=SECTION,
        form_key="schedule_form",
        form=lambda request, publication: ScheduleForm(request.POST),
        perform=lambda actor, publication, form: services.publication_schedule(
            actor=actor, publication=publication, on=form.cleaned_data["scheduled_for"]
        ),
        done="Publication is scheduled.",
    )
)

unschedule = section_view(
    SectionPost(
        section=SECTION,
        form_key="unschedule_form",
        form=_button("unschedule", "Cancel the schedule"),
        perform=lambda actor, publication, form: services.publication_unschedule(
            actor=actor, publication=publication
        ),
        done="The schedule is cancelled.",
    )
)

publish = section_view(
    SectionPost(
        section=SECTION,
        form_key="publish_form",
        form=_button("publish", "Publish now"),
        perform=lambda actor, publication, form: services.publication_publish(
            actor=actor, publication=publication
        ),
        done="Published: it is on the partnership's page and in the national library.",
    )
)


def _as_published(actor, publication, form):
    # The radios beside the button: still on the partnership's website, or on request.
    online = form.data.get("online", "yes") != "no"
    return services.publication_record_as_published(
        actor=actor, publication=publication, online=online
    )


record_as_published = section_view(
    SectionPost(
        section=SECTION,
        form_key="as_published_form",
        form=_button("as-published", "Record it as published"),
        perform=_as_published,
        done="Recorded as published: it is on the partnership's page and in the national library.",
    )
)

delay = section_view(
    SectionPost(
        section=SECTION,
        form_key="delay_form",
        form=lambda request, publication: DelayForm(request.POST),
        perform=lambda actor, publication, form: services.publication_delay(
            actor=actor,
            publication=publication,
            reason=form.cleaned_data["reason"],
            review_on=form.cleaned_data["review_on"],
        ),
        done="Publication is delayed.",
    )
)

delay_lift = section_view(
    SectionPost(
        section=SECTION,
        form_key="lift_form",
        form=_button("lift", "Lift the delay"),
        perform=lambda actor, publication, form: services.publication_delay_lift(
            actor=actor, publication=publication
        ),
        done="The delay is lifted.",
    )
)

not_published = section_view(
    SectionPost(
        section=SECTION,
        form_key="not_published_form",
        form=lambda request, publication: NOT_PUBLISHED.form(request.POST),
        perform=lambda actor, publication, form: services.publication_not_publish(
            actor=actor, publication=publication, reason=form.cleaned_data["reason"]
        ),
        done="The report is not published; the improvements are.",
    )
)

reasons_sent = section_view(
    SectionPost(
        section=SECTION,
        form_key="reasons_form",
        form=lambda request, publication: ReasonsSentForm(request.POST),
        perform=lambda actor, publication, form: services.not_publish_reasons_sent_record(
            actor=actor,
            publication=publication,
            panel_sent_on=form.cleaned_data["reasons_panel_sent_on"],
            secretary_of_state_sent_on=form.cleaned_data["reasons_secretary_of_state_sent_on"],
            change_reason=form.cleaned_data["change_reason"],
        ),
        done="The dates the reasons were sent are saved.",
    )
)

withdraw = section_view(
    SectionPost(
        section=SECTION,
        form_key="withdraw_form",
        form=lambda request, publication: WITHDRAW.form(request.POST),
        perform=lambda actor, publication, form: services.publication_withdraw(
            actor=actor, publication=publication, reason=form.cleaned_data["reason"]
        ),
        done="The publication is withdrawn.",
    )
)

reopen = section_view(
    SectionPost(
        section=SECTION,
        form_key="reopen_form",
        form=_button("reopen", "Reopen to correct it"),
        perform=lambda actor, publication, form: services.publication_reopen(
            actor=actor, publication=publication
        ),
        done="The publication is a draft again.",
    )
)

keep_online = section_view(
    SectionPost(
        section=SECTION,
        form_key="online_form",
        form=lambda request, publication: KeepOnlineForm(request.POST),
        perform=lambda actor, publication, form: services.publication_keep_online(
            actor=actor, publication=publication, until=form.cleaned_data["until"]
        ),
        done="It stays online.",
    )
)
