"""The anonymisation gate on a file, from the command line: the same engine as an upload's
check, without a publication or the database. For a business manager trying a draft."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publishing.models import GateOutcome
from publishing.services import gate_file_check

EXIT = {GateOutcome.CLEAR: 0, GateOutcome.HITS: 1, GateOutcome.UNREADABLE: 2}


class Command(BaseCommand):
    help = (
        "Check a PDF or Word (.docx) file with the anonymisation gate. Prints each finding with "
        "where it is and its context. Exit status: 0 clear, 1 something found, 2 cannot be "
        "checked (refused, or parts no machine could read)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="the PDF or .docx file")
        parser.add_argument(
            "--identifier",
            action="append",
            default=[],
            metavar="TEXT",
            help=(
                "a real identifier to look for (repeat it): a name, an address (with a digit "
                "or a comma), or a date of birth as YYYY-MM-DD"
            ),
        )

    def handle(self, *args, path, identifier, **options):
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        result = gate_file_check(name=file.name, content=content, identifiers=identifier)
        for hit in result.hits:
            where = hit.location
            if hit.box:
                where += f" (at {hit.box[0]:.0f}, {hit.box[1]:.0f} pt from the top left)"
            self.stdout.write(f"{where}: {hit.label}: {hit.before}[{hit.matched}]{hit.after}")
        if result.outcome == GateOutcome.UNREADABLE:
            self.stdout.write(f"Cannot be checked: {result.message}")
        elif result.outcome == GateOutcome.HITS:
            self.stdout.write(f"Found {len(result.hits)} possible identifiers.")
        else:
            self.stdout.write("Clear: nothing found.")
        sys.exit(EXIT[result.outcome])
