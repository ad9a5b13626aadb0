"""Who asks the platform in a test: a browser-like client signed in on a partnership's host
(past the second factor or not), the same session replayed on another host, and an agency's
system with its API key; and what they get back (a problem+json body)."""

import json
import time

from django.test import Client
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.actors import actor_for_platform
from tenants.agencies.models import Agency
from tenants.agencies.services import api_key_issue
from tenants.middleware import SESSION_PARTNERSHIP_KEY
from tenants.models import Partnership, User
from tests.support.world import PASSWORD, host_of, inside


def signed_in_client(user: User, partnership: Partnership, *, verified: bool = True) -> Client:
    """A browser-like client signed in on the partnership's own host (session bound to it),
    past the second factor when ``verified``."""
    client = Client(HTTP_HOST=host_of(partnership))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_PARTNERSHIP_KEY] = partnership.schema_name
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if verified and device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def croydon_browser() -> Client:
    """A browser on Croydon's host, signed out."""
    return Client(HTTP_HOST="croydon.localhost")


def sign_in(client: Client, email: str, password: str = PASSWORD, next_url: str = ""):
    """Post the sign-in form as a person types it."""
    return client.post("/sign-in/", {"email": email, "password": password, "next": next_url})


def replay_on(client: Client, partnership: Partnership) -> Client:
    """The same session cookie sent to another partnership's host."""
    other = Client(HTTP_HOST=host_of(partnership))
    other.cookies = client.cookies
    return other


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or ``steps_ahead`` periods later)."""
    t = int(time.time() - device.t0) // device.step + steps_ahead
    return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)


def issue_key(partnership: Partnership, agency: Agency, **kwargs) -> str:
    with inside(partnership):
        _, key = api_key_issue(
            actor=actor_for_platform(partnership=partnership, label="test"),
            agency=agency,
            name=kwargs.pop("name", "test system"),
            **kwargs,
        )
    return key


def api_client(partnership: Partnership, key: str | None) -> Client:
    headers = {"HTTP_HOST": host_of(partnership)}
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    return Client(**headers)


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = json.loads(response.content)
    assert body["status"] == response.status_code
    assert {"type", "title", "status", "detail"} <= body.keys()
    return body
