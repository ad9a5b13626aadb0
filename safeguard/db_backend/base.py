"""django-tenants' PostgreSQL backend, issuing ``SET search_path`` only when it would change.

By default django-tenants sends ``SET search_path`` before every cursor: five extra round trips
in a typical request. Its ``TENANT_LIMIT_SET_CALLS`` skips them after the first, but trusts a
flag that a rolled-back transaction can make false (django-tenants #1262), so it stays off.

Here a SET is skipped only when this connection is known to have exactly that search_path now:
the value is remembered when the SET succeeds, and forgotten on everything that can undo or
change it — ROLLBACK, ROLLBACK TO SAVEPOINT (a SET issued inside a transaction is undone with
it), closing the connection, and every ``set_tenant``/``set_schema`` naming another schema
(naming the same one keeps it: the routing middleware names the partnership on every
request). A SET issued inside an
atomic block is also forgotten when that block's savepoint or transaction is rolled back, which
the backend's rollback hooks cover; tests/tenants/test_routing.py proves both cases.
"""

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        # The routing middleware names the partnership on every request; when it is the one
        # this connection already holds, what we know of the search path stays true.
        known = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if known is not None and known == self._get_cursor_search_paths():
            self.search_path_set_schemas = known

    def _handle_search_path(self, cursor=None):
        if (
            not self._setting_search_path
            and self.search_path_set_schemas is not None
            and self.schema_name
            and self.search_path_set_schemas == self._get_cursor_search_paths()
        ):
            return
        super()._handle_search_path(cursor)
