"""An email backend that sends through GOV.UK Notify, for partnerships that use it.

Set ``EMAIL_BACKEND=safeguard.notify.NotifyEmailBackend``, ``NOTIFY_API_KEY`` (the key Notify
issues: ``<name>-<service id>-<secret>``) and ``NOTIFY_EMAIL_TEMPLATE_ID`` (a template whose
subject is ``((subject))`` and whose body is ``((body))``). Notify's API authenticates each
request with a JWT signed with HS256 by the key's secret, its issuer the service id.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def notify_token(service_id: str, secret: str, issued_at: int | None = None) -> str:
    header = {"typ": "JWT", "alg": "HS256"}
    claims = {"iss": service_id, "iat": int(issued_at or time.time())}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def split_api_key(api_key: str) -> tuple[str, str]:
    """Notify keys end with the service id and the secret, each a UUID (36 characters)."""
    if len(api_key) < 74:
        raise ImproperlyConfigured("NOTIFY_API_KEY is not a GOV.UK Notify API key.")
    return api_key[-73:-37], api_key[-36:]


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        api_key = getattr(settings, "NOTIFY_API_KEY", "") or ""
        self.template_id = getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "") or ""
        self.base_url = getattr(settings, "NOTIFY_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
        if not api_key or not self.template_id:
            raise ImproperlyConfigured("Set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID.")
        self.service_id, self.secret = split_api_key(api_key)

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for recipient in message.recipients():
                try:
                    self._send(recipient, message.subject, message.body)
                    sent += 1
                except Exception:
                    if not self.fail_silently:
                        raise
        return sent

    def _send(self, recipient: str, subject: str, body: str) -> None:
        payload = {
            "email_address": recipient,
            "template_id": self.template_id,
            "personalisation": {"subject": subject, "body": body},
            "reference": uuid.uuid4().hex,
        }
        request = urllib.request.Request(
            f"{self.base_url}/v2/notifications/email",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {notify_token(self.service_id, self.secret)}",
                "User-Agent": "safeguard-notify-backend",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 201:
                raise RuntimeError(f"GOV.UK Notify answered {response.status}")
