"""The business manager's workspace: agencies, members, API keys, the audit trail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from frontend.decorators import member_required
from frontend.forms.base import apply_service_errors
from frontend.forms.workspace import (
    AgencyForm,
    ApiKeyForm,
    AuditFilterForm,
    MemberForm,
    RevokeApiKeyForm,
)
from tenants import services as tenant_services
from tenants.agencies import selectors, services
from tenants.agencies.permissions import may_run_workspace
from tenants.selectors import membership_list_for_partnership

AUDIT_PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not may_run_workspace(request.actor):
        raise PermissionDenied("Your role in this partnership does not allow this.")


@member_required
@require_http_methods(["GET", "POST"])
def agency_list(request):
    _require_manager(request)
    actor = request.actor
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, f"{agency.name} added.")
                return redirect("frontend:agency-list")
            form = AgencyForm()
    context = {
        "form": form,
        "agencies": selectors.agency_list(actor=actor, include_inactive=True),
    }
    if request.htmx:
        return render(request, "workspace/agencies.html#agencies", context)
    return render(request, "workspace/agencies.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_uuid):
    _require_manager(request)
    agency = selectors.access_agency(actor=request.actor, agency_uuid=agency_uuid)
    form = AgencyForm(
        request.POST or None,
        editing=True,
        initial={
            "name": agency.name,
            "kind": agency.kind,
            "is_active": agency.is_active,
            "aliases": "\n".join(agency.aliases),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.actor, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{agency.name} saved.")
            return redirect("frontend:agency-list")
    return render(request, "workspace/agency_edit.html", {"form": form, "agency": agency})


@member_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_key_list(request):
    _require_manager(request)
    actor = request.actor
    agencies = selectors.agency_list(actor=actor)
    form = ApiKeyForm(request.POST or None, agencies=agencies)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            agency = selectors.access_agency(actor=actor, agency_uuid=form.cleaned_data["agency"])
            api_key, key = services.api_key_issue(
                actor=actor,
                agency=agency,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Shown once, in this response only; only its hash is kept.
            issued = {"api_key": api_key, "key": key}
            form = ApiKeyForm(agencies=agencies)
    return render(
        request,
        "workspace/api_keys.html",
        {"form": form, "api_keys": selectors.api_key_list(actor=actor), "issued": issued},
    )


@member_required
@require_http_methods(["GET", "POST"])
def api_key_revoke(request, key_uuid):
    # Found first: only the business manager sees keys, anyone else gets the 404 of no key.
    api_key = selectors.access_api_key(actor=request.actor, key_uuid=key_uuid)
    _require_manager(request)
    form = RevokeApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.api_key_revoke(
            actor=request.actor, api_key=api_key, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Key {api_key.prefix} for {api_key.agency.name} revoked.")
        return redirect("frontend:api-key-list")
    return render(request, "workspace/api_key_revoke.html", {"form": form, "api_key": api_key})


@member_required
@require_http_methods(["GET", "POST"])
def member_list(request):
    _require_manager(request)
    actor = request.actor
    agencies = selectors.agency_list(actor=actor)
    form = MemberForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = (
                selectors.access_agency(actor=actor, agency_uuid=data["agency"])
                if data["agency"]
                else None
            )
            membership = tenant_services.member_invite(
                actor=actor,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                agency=agency,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"{membership.user.email} added; we have emailed them a link."
            )
            return redirect("frontend:member-list")
    agency_names = {agency.uuid: agency.name for agency in agencies}
    members = [
        {"membership": m, "agency": agency_names.get(m.agency_uuid, "")}
        for m in membership_list_for_partnership(partnership=actor.partnership)
    ]
    return render(request, "workspace/members.html", {"form": form, "members": members})


@member_required
@require_GET
def audit_trail(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_event_list(
        actor=request.actor,
        action=filters.get("action", ""),
        actor_label=filters.get("actor", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/audit_trail.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
