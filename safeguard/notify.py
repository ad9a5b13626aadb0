"""An email backend that sends through GOV.UK Notify, for partnerships that use it.

Set ``EMAIL_BACKEND=safeguard.notify.NotifyEmailBackend``, ``NOTIFY_API_KEY`` (the key Notify
issues: ``<name>-<service id>-<secret>``) and ``NOTIFY_EMAIL_TEMPLATE_ID`` (a template whose
subject is ``((subject))`` and whose body is ``((body))``); ``NOTIFY_BASE_URL`` for another
Notify API (its default is GOV.UK's). The client is GOV.UK's own ``notifications-python-client``
(its JWT signing, retries on the API's rate limits and errors), called once per recipient.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        api_key = getattr(settings, "NOTIFY_API_KEY", "") or ""
        self.template_id = getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "") or ""
        if not api_key or not self.template_id:
            raise ImproperlyConfigured("Set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID.")
        try:
            self.client = NotificationsAPIClient(api_key, base_url=settings.NOTIFY_BASE_URL)
        except (AssertionError, ValueError, IndexError) as error:
            raise ImproperlyConfigured("NOTIFY_API_KEY is not a GOV.UK Notify API key.") from error

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for recipient in message.recipients():
                try:
                    self.client.send_email_notification(
                        email_address=recipient,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=uuid.uuid4().hex,
                    )
                    sent += 1
                except Exception:
                    if not self.fail_silently:
                        raise
        return sent
