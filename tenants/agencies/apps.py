from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    """A partnership's own agencies, their API keys and the audit trail, in its own schema.

    The label stays ``workspace``, the app's first name: its tables (``workspace_agency``…), its
    migrations and every foreign key to them (``workspace.agency``) keep working unchanged."""

    name = "tenants.agencies"
    label = "workspace"
    verbose_name = "Agencies, API keys and the audit trail"
    default_auto_field = "django.db.models.BigAutoField"
