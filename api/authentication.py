"""``Authorization: Api-Key <key>``: an agency's system, in the partnership whose host it calls."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from tenants.actors import Actor, actor_for_api_key
from tenants.agencies.selectors import ApiKeyAttemptsExceeded, api_key_authenticate
from tenants.throttles import client_address

KEYWORD = "Api-Key"


class AgencySystem:
    """``request.user`` for a request made with an agency's API key."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, actor: Actor):
        self.actor = actor


class AgencyApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        if keyword != KEYWORD or not key.strip():
            raise exceptions.AuthenticationFailed(
                f"Send the key as 'Authorization: {KEYWORD} <key>'."
            )
        partnership = getattr(request._request, "partnership", None)
        if partnership is None:
            raise exceptions.AuthenticationFailed("API keys work only on a partnership's host.")
        try:
            api_key = api_key_authenticate(
                key=key.strip(), client_address=client_address(request._request)
            )
        except ApiKeyAttemptsExceeded as error:
            raise exceptions.Throttled(wait=error.seconds, detail=str(error)) from None
        if api_key is None:
            raise exceptions.AuthenticationFailed("This API key is not valid here.")
        actor = actor_for_api_key(
            partnership=partnership,
            api_key=api_key,
            request_id=getattr(request._request, "request_id", ""),
            host=request.get_host(),
        )
        return AgencySystem(actor), api_key

    def authenticate_header(self, request):
        return KEYWORD


class AgencyApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = AgencyApiKeyAuthentication
    name = "AgencyApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"'{KEYWORD} <key>', issued by the partnership's business manager.",
        }
