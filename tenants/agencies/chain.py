"""Verifying a partnership's audit trail, a hash chain (DESIGN §5: a change by anyone, a
superuser included, is detected).

The database seals each row as it is inserted (the trigger of migration
``workspace.0004_audit_chain``). This module checks the seals independently of that trigger: it
reads every row's columns, builds the same canonical text in Python and recomputes SHA-256, row
after row, from the first. A row whose content was changed, a row removed, a row added or
moved by someone who could switch the trigger off: each leaves a row that does not match, and
the first one is named.

Whoever can switch the trigger off can also recompute every hash after the row they changed.
That is caught by the trail's **checkpoints**: the head (position and hash) of each verified
trail is recorded every day in the public schema (``tenants.AuditCheckpoint``), and every
verification checks that the rows at earlier checkpoints still carry the hashes recorded then.
"""

import datetime
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection

from tenants.models import AuditCheckpoint, Partnership

GENESIS = "0" * 64
CHUNK = 2000

# The columns in the order the canonical text takes them (as the migration's trigger does).
COLUMNS = (
    "position",
    "previous_hash",
    "id",
    "occurred_at",
    "request_id",
    "host",
    "partnership_key",
    "actor_type",
    "actor_uuid",
    "actor_label",
    "actor_role",
    "action",
    "object_type",
    "object_ref",
    "detail",
)
# jsonb's own text is its canonical form, so ``detail`` is read as the database writes it.
SELECT_ROWS = (
    'SELECT "position", previous_hash, id, occurred_at, request_id, host, partnership_key, '
    "actor_type, actor_uuid, actor_label, actor_role, action, object_type, object_ref, "
    'detail::text, hash FROM workspace_auditevent ORDER BY "position"'
)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def canonical_text(values: Iterable) -> str:
    """The canonical text of a row given its column values in ``COLUMNS`` order (``detail``
    as jsonb's text): each value ``<length>:<text>``, ``~`` for none, joined with ``|``."""
    parts = []
    for value in values:
        text = _text(value)
        parts.append("~" if text is None else f"{len(text)}:{text}")
    return "|".join(parts)


def row_hash(values: Iterable) -> str:
    return hashlib.sha256(canonical_text(values).encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place where the trail stops matching."""

    position: int
    row_id: int | None
    reason: str

    def __str__(self) -> str:
        row = f"row {self.row_id}" if self.row_id is not None else "no row"
        return f"position {self.position} ({row}): {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    partnership_key: str
    rows: int
    head_position: int
    head_hash: str
    broken: Break | None = None
    checkpoints_checked: int = 0

    @property
    def intact(self) -> bool:
        return self.broken is None


def _rows() -> Iterator[tuple]:
    # A named (server-side) cursor: a long trail is read in chunks, never all at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(SELECT_ROWS)
        while chunk := cursor.fetchmany(CHUNK):
            yield from chunk


def audit_chain_verify(*, partnership: Partnership) -> ChainReport:
    """Recompute ``partnership``'s audit trail from its first row and compare every row's
    position, link and hash, and the hashes recorded at its checkpoints. Reads only; the
    connection must be on the partnership's schema (a task or command's ``tenant_context``)."""
    if connection.schema_name != partnership.schema_name:
        raise RuntimeError(
            f"Verify {partnership.schema_name!r}'s trail on its schema, "
            f"not on {connection.schema_name!r}."
        )
    checkpoints = dict(
        AuditCheckpoint.objects.filter(partnership=partnership).values_list("position", "hash")
    )
    expected_position, previous, rows, broken = 1, GENESIS, 0, None
    for *values, stored in _rows():
        position, previous_hash, row_id = values[0], values[1], values[2]
        if position != expected_position:
            reason = (
                f"position {expected_position} is missing: a row was removed"
                if position > expected_position
                else f"position {position} repeats: a row was added"
            )
            broken = Break(expected_position, row_id, reason)
            break
        if previous_hash != previous:
            broken = Break(
                position,
                row_id,
                "its link to the row before does not match: that row was changed or replaced",
            )
            break
        if row_hash(values) != stored:
            broken = Break(position, row_id, "its content does not match its hash")
            break
        if position in checkpoints and checkpoints[position] != stored:
            broken = Break(
                position,
                row_id,
                "its hash differs from the checkpoint recorded for it: the trail was "
                "rewritten from here or before",
            )
            break
        previous, expected_position, rows = stored, position + 1, rows + 1
    if broken is None:
        beyond = sorted(p for p in checkpoints if p >= expected_position)
        if beyond:
            broken = Break(
                beyond[0],
                None,
                "a checkpoint was recorded at this position but the trail now ends before "
                "it: rows were removed from its end",
            )
    return ChainReport(
        partnership_key=partnership.key,
        rows=rows,
        head_position=expected_position - 1,
        head_hash=previous,
        broken=broken,
        checkpoints_checked=len([p for p in checkpoints if p < expected_position]),
    )
