from django.conf import settings


def service(request):
    """What every page's layout needs: the partnership this host serves and who is signed in."""
    return {
        "partnership": getattr(request, "partnership", None),
        "actor": getattr(request, "actor", None),
        "membership": getattr(request, "membership", None),
        "platform_domain": settings.PLATFORM_DOMAIN,
    }
