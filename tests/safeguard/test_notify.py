"""The GOV.UK Notify email backend, against a local stand-in for Notify's API."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection, send_mail

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"safeguard_test-{SERVICE_ID}-{SECRET}"
TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def fake_notify():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), json.loads(body)))
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": "x"}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_each_recipient_is_sent_through_notify_with_a_signed_token(settings, fake_notify):
    url, received = fake_notify
    settings.NOTIFY_API_KEY, settings.NOTIFY_EMAIL_TEMPLATE_ID = API_KEY, TEMPLATE
    settings.NOTIFY_BASE_URL = url
    connection = get_connection("safeguard.notify.NotifyEmailBackend")
    sent = send_mail(
        "CRO-2026-0042: rapid review due",
        "Body",
        None,
        ["a@croydon.example", "b@croydon.example"],
        connection=connection,
    )
    assert sent == 2
    path, headers, payload = received[0]
    assert path == "/v2/notifications/email"
    assert payload["template_id"] == TEMPLATE
    assert payload["personalisation"] == {
        "subject": "CRO-2026-0042: rapid review due",
        "body": "Body",
    }
    token = headers["Authorization"].removeprefix("Bearer ")
    header, claims, signature = token.split(".")
    expected = hmac.new(SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert _unb64(signature) == expected
    assert json.loads(_unb64(claims))["iss"] == SERVICE_ID


def test_a_missing_key_is_a_configuration_error(settings):
    settings.NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        get_connection("safeguard.notify.NotifyEmailBackend")
