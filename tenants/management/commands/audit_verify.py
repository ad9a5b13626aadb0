import sys

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenants.agencies.chain import audit_chain_verify
from tenants.management.partnerships import partnerships_named


class Command(BaseCommand):
    help = (
        "Recompute a partnership's audit trail hash chain and check its checkpoints; name the "
        "first row that does not match. Exit status 0 intact, 1 broken. Reads only."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", nargs="?", help="The partnership's key, e.g. croydon")
        parser.add_argument("--all", dest="every", action="store_true", help="Every partnership")

    def handle(self, *args, key, every, **options):
        if bool(key) == every:
            raise CommandError("Name one partnership's key, or --all.", returncode=2)
        broken = 0
        for partnership in partnerships_named(None if every else key):
            with tenant_context(partnership):
                report = audit_chain_verify(partnership=partnership)
            if report.intact:
                self.stdout.write(
                    f"{partnership.key}: intact, {report.rows} rows, head {report.head_position} "
                    f"{report.head_hash}, {report.checkpoints_checked} checkpoints held"
                )
            else:
                broken += 1
                self.stderr.write(
                    f"{partnership.key}: BROKEN at {report.broken} "
                    f"({report.rows} rows verified before it)"
                )
        if broken:
            sys.exit(1)
