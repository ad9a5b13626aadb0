"""The tenant-aware Celery app.

A task that works on casework runs in one partnership's schema, named by the message header that
tenant-schemas-celery adds when the task is sent from inside that schema. ``SchemaTask`` (the base
of ``tenants.tasks.PartnershipTask``) refuses to run without one: tenant-schemas-celery would
otherwise run it in the public schema. This module imports no app.
"""

import os

from django.db import connection
from tenant_schemas_celery.app import CeleryApp
from tenant_schemas_celery.task import TenantTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.base")


class PartnershipMissing(RuntimeError):
    """A partnership-scoped task was sent without a partnership."""


class SchemaTask(TenantTask):
    """Base for tasks that run in one partnership's schema: refuses the public schema, and is
    acknowledged late, so a lost worker means the task runs again (every such task must be safe
    to run twice). It knows no app: ``tenants.tasks.PartnershipTask`` adds the platform actor."""

    abstract = True
    acks_late = True

    def __call__(self, *args, **kwargs):
        from django_tenants.utils import get_public_schema_name

        if connection.schema_name in ("", None, get_public_schema_name()):
            raise PartnershipMissing(
                f"{self.name} must be sent from inside a partnership's schema "
                "(tenant_context), never from the public schema."
            )
        return super().__call__(*args, **kwargs)

    def send_after_commit(self, *args, **kwargs) -> None:
        """Send this task once the current transaction commits, to the schema the connection is
        in now: the callback may run after the connection has left it (a task's end, the
        joint-review door's way back)."""
        from django.db import transaction

        schema = connection.schema_name
        transaction.on_commit(
            lambda: self.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": schema})
        )

    @property
    def partnership(self):
        """The partnership whose schema this task runs in (the one its message named)."""
        from django_tenants.utils import get_tenant_model

        return get_tenant_model().objects.get(schema_name=connection.schema_name)


app = CeleryApp("safeguard")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def _filesystem_broker_folders(sender, **kwargs):
    """The embedded (filesystem) broker needs its folders before the first message."""
    from pathlib import Path

    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = (sender.conf.broker_transport_options or {}).get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)


app.autodiscover_tasks(
    ["tenants", "tenants.agencies", "tenants.notifications", "casework", "publishing"]
)
