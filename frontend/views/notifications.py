"""What the platform tells people: each person's choices (straight away or a daily digest), the
business manager's log of messages, and agencies' webhooks with their deliveries and "send
again". Parse, call, render; the rules are ``tenants.notifications``'."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontend.decorators import member_required
from frontend.forms.notifications import PreferencesForm
from frontend.views.reviews.chronology import pagination
from tenants.agencies.permissions import may_run_workspace
from tenants.notifications import selectors
from tenants.notifications.services import preferences_save
from tenants.notifications.webhooks import webhook_delivery_resend


@member_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Any signed-in person, for this partnership: how they hear of each kind of hand-off."""
    form = PreferencesForm(
        request.POST or None, initial=selectors.preferences_of(actor=request.actor)
    )
    if request.method == "POST" and form.is_valid():
        preferences_save(actor=request.actor, choices=form.cleaned_data)
        messages.success(request, "Your choices are saved.")
        return redirect("frontend:notification-preferences")
    return render(request, "accounts/notifications.html", {"form": form})


def _require_manager(request) -> None:
    if not may_run_workspace(request.actor):
        raise PermissionDenied("Your role in this partnership does not allow this.")


@member_required
@require_GET
def message_log(request):
    page = selectors.messages_for_page(actor=request.actor, page=request.GET.get("page"))
    return render(
        request,
        "workspace/messages.html",
        {"page": page, "pages": pagination(page.number, page.paginator.num_pages)},
    )


@member_required
@require_GET
def webhook_list(request):
    webhooks = selectors.webhooks_for_page(actor=request.actor)
    return render(request, "workspace/webhooks.html", {"webhooks": webhooks})


@member_required
@require_GET
def webhook_deliveries(request, webhook_uuid):
    webhook, page = selectors.webhook_deliveries_for_page(
        actor=request.actor, webhook_uuid=webhook_uuid, page=request.GET.get("page")
    )
    return render(
        request,
        "workspace/webhook_deliveries.html",
        {
            "webhook": webhook,
            "page": page,
            "pages": pagination(page.number, page.paginator.num_pages),
        },
    )


@member_required
@require_POST
def webhook_delivery_send_again(request, webhook_uuid, delivery_uuid):
    webhook = selectors.access_webhook(actor=request.actor, webhook_uuid=webhook_uuid)
    delivery = selectors.access_webhook_delivery(
        actor=request.actor, webhook=webhook, delivery_uuid=delivery_uuid
    )
    _require_manager(request)
    webhook_delivery_resend(actor=request.actor, delivery=delivery)
    messages.success(request, "The delivery is being sent again.")
    return redirect("frontend:webhook-deliveries", webhook_uuid=webhook.uuid)
