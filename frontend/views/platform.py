"""The bare platform domain: the public landing page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from tenants.addresses import partnership_url
from tenants.selectors import partnership_list


@require_GET
def landing(request):
    partnerships = [
        {
            "partnership": partnership,
            "url": partnership_url(
                partnership=partnership, scheme=request.scheme, port=request.get_port()
            ),
        }
        for partnership in partnership_list().prefetch_related("domains")
    ]
    return render(request, "platform/landing.html", {"partnerships": partnerships})
