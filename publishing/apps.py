from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Publication, in each partnership's own schema: the public record, its documents, the
    anonymisation gate's runs and hits (the redaction log), chair's statements, briefing notes
    and requests for copies."""

    name = "publishing"
    verbose_name = "Publishing: publications, the anonymisation gate, requests for copies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from publishing.handoffs import HANDOFFS
        from tenants.handoffs import handlers_register

        handlers_register(HANDOFFS)
