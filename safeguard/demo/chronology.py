"""The demo's chronologies, one entry a line: ``days before | agency | who | what happened``,
and ``| key`` at the end of a key practice episode. The agency is named by a key the loader maps
to one of its agencies."""

import datetime

from casework import services as reviews
from casework.services import EntryInput


def chronology_rows(table: str) -> list[tuple[int, str, str, str, bool]]:
    """(days before, agency key, who, what happened, key episode) for each line of ``table``."""
    rows = []
    for line in table.strip().splitlines():
        days, agency, who, what, *key = (part.strip() for part in line.split("|"))
        rows.append((int(days), agency, who, what, key == ["key"]))
    return rows


def chronology_load(*, actor, review, before: datetime.date, agencies: dict, table: str) -> None:
    """Each entry of ``table`` added to ``review``, dated that many days ``before``."""
    for days, agency_key, who, what, key in chronology_rows(table):
        agency = agencies[agency_key]
        reviews.chronology_entry_add(
            actor=actor,
            review=review,
            data=EntryInput(
                occurred_on=before - datetime.timedelta(days=days),
                agency=agency,
                what_happened=what,
                who=who,
                key_episode=key,
                source_document=f"{agency.name} records",
            ),
        )
