"""Lists the referrals whose recorded rules disagree with their awareness date; changes nothing."""

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from casework.selectors import referrals_with_regime_disagreeing
from tenants.management.partnerships import partnerships_named


class Command(BaseCommand):
    help = (
        "List the referrals whose rules (regime) are not those in force on the date the "
        "partnership became aware. Reads only: existing records keep their regime."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", nargs="?", help="The partnership's key, e.g. croydon")

    def handle(self, *args, key, **options):
        found = 0
        for partnership in partnerships_named(key):
            with tenant_context(partnership):
                rows = referrals_with_regime_disagreeing()
            for reference, why in rows:
                self.stdout.write(f"{partnership.key}: referral {reference} {why}")
            found += len(rows)
        self.stdout.write(f"{found} referral{'s' if found != 1 else ''} to look at.")
