"""django-tenants' migrate_schemas, which also keeps the template schema current.

New partnerships are cloned from the template (``TENANT_BASE_SCHEMA``), so it must carry every
migration. It has no Partnership row, so it is never served and never in a loop over
partnerships; this command is the one place that migrates it.

Afterwards it gives the runtime database role its privileges on every schema again
(``tenants.privileges``): the command runs as the owner (``safeguard/database.py``).
"""

from django.conf import settings
from django.core.management.commands import makemigrations
from django.db import connection
from django_tenants.management.commands.migrate_schemas import (
    GET_EXECUTOR_FUNCTION,
    MigrateSchemasCommand,
)
from django_tenants.utils import quote_schema_name

from tenants.privileges import runtime_privileges_grant


class Command(MigrateSchemasCommand):
    # pgtrigger swaps makemigrations' autodetector in its ready(); Django 5.2 requires migrate to
    # use the same one (check commands.E001). This module is imported after every ready() ran.
    autodetector = makemigrations.Command.autodetector

    def handle(self, *args, **options):
        super().handle(*args, **options)
        whole_tenant_run = self.sync_tenant and (
            not self.schema_name or self.schema_name == self.PUBLIC_SCHEMA_NAME
        )
        if whole_tenant_run:
            migrate_template_schema(self.args, self.options)
        # Migrations made tables the runtime role has no rights on yet (tenants.privileges).
        connection.set_schema_to_public()
        runtime_privileges_grant()


def migrate_template_schema(args, options) -> None:
    template = settings.TENANT_BASE_SCHEMA
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_schema_name(template)}")
    executor = GET_EXECUTOR_FUNCTION(codename=options.get("executor") or "standard")(args, options)
    executor.run_migrations(tenants=[template])
    connection.set_schema_to_public()
