from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """A partnership's own workspace, in its own schema: agencies, API keys, the audit trail."""

    name = "tenants.workspace"
    label = "workspace"
    verbose_name = "Partnership workspace"
    default_auto_field = "django.db.models.BigAutoField"
