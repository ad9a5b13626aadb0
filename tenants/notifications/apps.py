from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Hand-offs told to people and agencies' systems, in each partnership's own schema: the
    outbox of events, the messages sent (or failed), each person's choices, and agencies'
    webhooks with their delivery log."""

    name = "tenants.notifications"
    label = "notifications"
    verbose_name = "Notifications: hand-off emails and webhooks"
    default_auto_field = "django.db.models.BigAutoField"
