"""Whether a request changed anything, asked of PostgreSQL itself.

``Mark.now(partnerships)`` notes, before a request, how many rows the current transaction has so
far inserted, updated and deleted in every table of every schema (``pg_stat_xact_user_tables``:
PostgreSQL's own count, which also counts what a savepoint rolled back, so a change attempted
and undone is seen too), how many emails were sent, and where each partnership's audit trail
ends. After the request, ``mark.changes()`` names every table written since, in words ("croydon:
casework_decision 1 inserted"), and ``mark.trail_rows()`` the audit rows written since, by
partnership. Nothing here knows which tables a route writes: a route that writes anywhere is
seen, whatever it writes.

Not counted as a change (each with its reason): the tables in ``NOT_CASEWORK``.
"""

from collections import Counter
from dataclasses import dataclass

from django.core import mail
from django.db import connection

from tenants.models import Partnership

# Tables written by asking at all, whoever asks and whatever the answer: not a change of
# anything the route guards.
NOT_CASEWORK = {
    # A test client's session, and the messages framework's, live here.
    "django_session": "the asker's own session",
    # Throttles count attempts, refused ones too (tenants/throttles.py).
    "safeguard_cache": "throttles' counts of attempts",
    # Read and refusals are recorded by design; ``Mark.trail_rows`` checks the trail itself.
    "workspace_auditevent": "the audit trail, checked row by row instead",
}

_COUNTS = """
    SELECT schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del
    FROM pg_stat_xact_user_tables
"""


def _counts() -> dict[tuple[str, str], tuple[int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS)
        return {
            (schema, table): (inserted, updated, deleted)
            for schema, table, inserted, updated, deleted in cursor.fetchall()
            if table not in NOT_CASEWORK
        }


def _trail_ends(schemas: list[str]) -> dict[str, int]:
    """The last id of each schema's audit trail, in one query."""
    if not schemas:
        return {}
    sql = " UNION ALL ".join(
        f'SELECT %s, COALESCE(MAX(id), 0) FROM "{schema}".workspace_auditevent'
        for schema in schemas
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, schemas)
        return dict(cursor.fetchall())


@dataclass(frozen=True)
class TrailRow:
    schema: str
    action: str
    actor_label: str
    object_ref: str


@dataclass
class Mark:
    """Where everything stood before a request."""

    schemas: list[str]
    counts: dict[tuple[str, str], tuple[int, int, int]]
    emails: int
    trail_ends: dict[str, int]

    @classmethod
    def now(cls, partnerships: list[Partnership]) -> "Mark":
        schemas = [partnership.schema_name for partnership in partnerships]
        return cls(schemas, _counts(), len(mail.outbox), _trail_ends(schemas))

    def changes(self) -> list[str]:
        """Every table written since the mark, and the emails sent, in words."""
        found = []
        for (schema, table), after in sorted(_counts().items()):
            before = self.counts.get((schema, table), (0, 0, 0))
            done = Counter(
                {
                    what: later - earlier
                    for what, later, earlier in zip(
                        ("inserted", "updated", "deleted"), after, before, strict=True
                    )
                    if later != earlier
                }
            )
            if done:
                found.append(f"{schema}: {table} " + ", ".join(f"{n} {w}" for w, n in done.items()))
        if len(mail.outbox) != self.emails:
            found.append(f"{len(mail.outbox) - self.emails} email(s) sent")
        return found

    def trail_rows(self) -> list[TrailRow]:
        """The audit rows written since the mark, in every partnership's trail."""
        if not self.schemas:
            return []
        sql = " UNION ALL ".join(
            f'(SELECT %s, action, actor_label, object_ref FROM "{schema}".workspace_auditevent '
            "WHERE id > %s ORDER BY id)"
            for schema in self.schemas
        )
        parameters = [
            value for schema in self.schemas for value in (schema, self.trail_ends[schema])
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return [TrailRow(*row) for row in cursor.fetchall()]
