"""The multi-agency chronology on the web: the merged view with its filters and pages, htmx
inline add and correction (a correction supersedes the entry and keeps it, so the page shows
"corrected, was: …"), the CSV export and a printable page."""

import itertools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from casework import permissions, selectors, services
from frontend.forms.chronology import ChronologyEntryForm, ChronologyFilterForm
from frontend.links import review_path
from frontend.sections import section_answer
from frontend.views.reviews.workspace import review_view, workspace_context
from tenants.clock import now

PAGE = "reviews/chronology.html"
# The printable page holds the whole (filtered) chronology up to this many entries; beyond it,
# the CSV export.
PRINT_LIMIT = 10_000


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def pagination(page: int, pages: int) -> list[int | None]:
    """Page numbers to link to, GOV.UK style: the first, the last, and those around the
    current page; None where some are skipped."""
    shown = sorted({1, pages, *range(max(1, page - 1), min(pages, page + 1) + 1)})
    items: list[int | None] = []
    for number in shown:
        if items and number - (items[-1] or 0) > 1:
            items.append(None)
        items.append(number)
    return items


def _agencies(request, review, *, include_inactive: bool):
    """The agencies the chronology names here (a joint review's participant: its own)."""
    return list(
        selectors.review_agency_choices(
            actor=request.actor, review=review, include_inactive=include_inactive
        )
    )


def _all_agencies(request, review):
    """Every agency with entries to filter by: in a joint review, every partnership's (a
    participant reads the whole chronology; it enters only its own agencies' entries)."""
    if request.actor.is_joint:
        return list(selectors.chronology_agencies(review=review))
    return _agencies(request, review, include_inactive=True)


def _results_context(request, review, filter_form, page: int) -> dict:
    chronology = selectors.chronology_page(
        actor=request.actor, review=review, page=page, **filter_form.filters()
    )
    for entry in chronology["entries"]:
        entry.may_correct = permissions.may_correct_entry(request.actor, entry)
    return {
        "chronology": chronology,
        "filter_form": filter_form,
        "query": filter_form.query(),
        "pages": pagination(chronology["page"], chronology["pages"]),
        "filtered": bool(filter_form.query()),
    }


def _filter_form(request, review, data) -> ChronologyFilterForm:
    """The chronology's filters as asked (``data``: the query string), unbound when none are."""
    return ChronologyFilterForm(data or None, agencies=_all_agencies(request, review))


def _chronology_context(request, review, *, data, page, forms=None, done=None) -> dict:
    filter_form = _filter_form(request, review, data)
    context = {
        **workspace_context(request, review, "chronology"),
        **_results_context(request, review, filter_form, page),
        "entry_form": ChronologyEntryForm(
            agencies=_agencies(request, review, include_inactive=False)
        ),
        "done": done or {},
    }
    context.update(forms or {})
    return context


@review_view("GET")
def chronology(request, review):
    context = _chronology_context(
        request, review, data=request.GET, page=_page_number(request.GET.get("page"))
    )
    response = render(request, f"{PAGE}#results" if request.htmx else PAGE, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@review_view("POST")
def entry_add(request, review):
    actor = request.actor
    form = ChronologyEntryForm(
        request.POST, agencies=_agencies(request, review, include_inactive=False)
    )

    def added(entry) -> str:
        message = f"Entry added for {entry.occurred_on.isoformat()} ({entry.agency.name})."
        if services.entry_outside_period(review, entry):
            message += " It is outside the period under review, so it is flagged."
        return message

    def render_after(after) -> dict:
        if after.whole_page:
            return _chronology_context(request, review, data=None, page=1, forms=after.forms)
        # The filters (and page) on screen come with an htmx request, so the table stays as it
        # was.
        return _chronology_context(
            request,
            review,
            data=request.POST,
            page=_page_number(request.POST.get("page")),
            forms=after.forms,
            done=after.done,
        )

    return section_answer(
        request=request,
        page=PAGE,
        section="add",
        form=form,
        form_key="entry_form",
        perform=lambda data: services.chronology_entry_add(
            actor=actor, review=review, data=form.entry_input()
        ),
        render_after=render_after,
        done=added,
        refresh=("results",),
        back_to=review_path(request, "review-chronology", review),
    )


def _row_context(request, review, entry, **extra) -> dict:
    entry.outside_period = services.entry_outside_period(review, entry)
    entry.may_correct = permissions.may_correct_entry(request.actor, entry)
    return {**workspace_context(request, review, "chronology"), "entry": entry, **extra}


def _entry_page(request, review, entry, form, *, error=False):
    context = _row_context(
        request,
        review,
        entry,
        history=selectors.chronology_history(entry=entry),
        correct_form=form,
        page_error=error,
    )
    return render(request, "reviews/chronology_entry.html", context)


def _correct_form(entry, agencies, data=None):
    return ChronologyEntryForm(
        data,
        agencies=agencies,
        prefix=f"correct-{entry.uuid.hex[:8]}",
        submit="Save the correction",
        initial=ChronologyEntryForm.initial_from(entry),
    )


@review_view("GET")
def entry_detail(request, review, entry_uuid):
    """One entry and every version it replaced. htmx asks for its table row (cancelling an
    inline correction)."""
    actor = request.actor
    entry = selectors.chronology_entry_for_page(actor=actor, review=review, entry_uuid=entry_uuid)
    if request.htmx:
        response = render(request, f"{PAGE}#entry_row", _row_context(request, review, entry))
    else:
        agencies = _agencies(request, review, include_inactive=False)
        response = _entry_page(request, review, entry, _correct_form(entry, agencies))
    patch_vary_headers(response, ["HX-Request"])
    return response


@review_view("GET", "POST")
def entry_correct(request, review, entry_uuid):
    """Correct an entry: the correction supersedes it, and the original is kept."""
    actor = request.actor
    if request.method == "GET" and not request.htmx:
        entry = selectors.access_chronology_entry(review=review, entry_uuid=entry_uuid)
        return redirect(review_path(request, "review-chronology-entry", review, entry.uuid))
    if request.method == "GET":
        # The inline form shows the entry to correct: a read.
        entry = selectors.chronology_entry_for_page(
            actor=actor, review=review, entry_uuid=entry_uuid
        )
    else:
        entry = selectors.access_chronology_entry(review=review, entry_uuid=entry_uuid)
    agencies = _agencies(request, review, include_inactive=False)
    if entry.agency not in agencies:
        agencies.append(entry.agency)  # an agency since made inactive keeps its entries
    if request.method == "GET":
        response = render(
            request,
            f"{PAGE}#entry_edit",
            _row_context(request, review, entry, correct_form=_correct_form(entry, agencies)),
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    form = _correct_form(entry, agencies, request.POST)
    corrected = None
    if form.is_valid():
        try:
            corrected = services.chronology_entry_correct(
                actor=actor, entry=entry, data=form.entry_input()
            )
        except ValidationError as error:
            form.add_service_errors(error)
    if request.htmx:
        if corrected is not None:
            return render(
                request,
                f"{PAGE}#entry_row",
                _row_context(request, review, corrected, just_corrected=True),
            )
        return render(
            request, f"{PAGE}#entry_edit", _row_context(request, review, entry, correct_form=form)
        )
    if corrected is not None:
        messages.success(request, "The entry is corrected; the original is kept.")
        return redirect(review_path(request, "review-chronology", review))
    return _entry_page(request, review, entry, form, error=True)


@review_view("GET")
def chronology_csv(request, review):
    """The chronology (as filtered) as CSV, streamed: 5,000 entries start arriving at once."""
    actor = request.actor
    filter_form = _filter_form(request, review, request.GET)
    lines = selectors.chronology_csv(actor=actor, review=review, **filter_form.filters())
    # The selector audits the export when it starts; start it here, inside the request.
    header = next(lines)
    response = StreamingHttpResponse(
        # A byte-order mark, so that spreadsheet programs read the file as UTF-8.
        itertools.chain(["\ufeff" + header], lines),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{review.reference}-chronology.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@review_view("GET")
def chronology_print(request, review):
    """The chronology (as filtered) on one page for printing: no navigation, no forms."""
    actor = request.actor
    filter_form = _filter_form(request, review, request.GET)
    chronology = selectors.chronology_page(
        actor=actor,
        review=review,
        page=1,
        page_size=PRINT_LIMIT,
        printed=True,
        **filter_form.filters(),
    )
    agency_uuid = filter_form.filters().get("agency_uuid")
    return render(
        request,
        "reviews/chronology_print.html",
        {
            "review": review,
            "chronology": chronology,
            "filters": filter_form.cleaned_data
            if filter_form.is_bound and filter_form.is_valid()
            else {},
            "agency_name": dict(filter_form.fields["agency"].choices).get(agency_uuid, "")
            if agency_uuid
            else "",
            "query": filter_form.query(),
            "printed_by": actor.label,
            "printed_at": now(),
            "limit": PRINT_LIMIT,
        },
    )
