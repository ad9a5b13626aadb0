"""Watching hand-offs go out: run some work with its after-commit callbacks (the outbox's task,
then each message's, run in-process by the test settings) and see the emails it sent."""

import contextlib
from dataclasses import dataclass, field

from django.core import mail

from tenants.handoffs import HandoffContext
from tenants.notifications.models import HandoffEvent, Message
from tests.support.world import inside


@dataclass
class Sent:
    emails: list = field(default_factory=list)

    def to(self, address: str) -> list:
        return [email for email in self.emails if address in email.to]

    @property
    def recipients(self) -> set[str]:
        return {address for email in self.emails for address in email.to}


@contextlib.contextmanager
def told(capture):
    """``with told(django_capture_on_commit_callbacks) as sent:`` the emails sent by the work
    inside, once its transactions' callbacks have run (nested ones too)."""
    start = len(mail.outbox)
    sent = Sent()
    with capture(execute=True):
        yield sent
    sent.emails.extend(mail.outbox[start:])


def assert_nothing_of_the_case(sent: Sent, *words: str) -> None:
    """No subject or body names a child or repeats the case's words."""
    assert sent.emails, "nothing was sent"
    for email in sent.emails:
        text = f"{email.subject}\n{email.body}"
        for word in words:
            assert word not in text, f"{word!r} in {email.subject!r}"


def outbox_event(partnership, action: str, object_ref: str, **detail) -> HandoffContext:
    """A hand-off's context as the outbox task gives it, for calling a handler directly."""
    import datetime

    with inside(partnership):
        event = HandoffEvent.objects.create(
            action=action, object_type="", object_ref=object_ref, detail=detail
        )
    return HandoffContext(event=event, partnership=partnership, day=datetime.date(2026, 11, 3))


def messages_in(partnership) -> list[Message]:
    with inside(partnership):
        return list(Message.objects.order_by("created_at", "pk"))


class FailingEmailBackend:
    """An email backend whose server never answers (``EMAIL_BACKEND`` in a test)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server refused the connection")
