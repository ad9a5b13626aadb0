from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.addresses import partnership_primary_host
from tenants.selectors import partnership_get
from tenants.services import partnership_create
from tenants.validation import error_text


class Command(BaseCommand):
    help = "Create a partnership: its schema (cloned from the template) and its host. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("key", help="Host label, e.g. croydon (lowercase, digits, hyphens)")
        parser.add_argument("--name", required=True)
        parser.add_argument("--former-name", default="")
        parser.add_argument("--domain", help="Host name; default <key>.<PLATFORM_DOMAIN>")
        parser.add_argument("--reference-prefix", help="e.g. CRO; default from the key")
        parser.add_argument("--months-online", type=int, default=12)

    def handle(
        self, *args, key, name, former_name, domain, reference_prefix, months_online, **options
    ):
        existing = partnership_get(key=key)
        if existing is not None:
            if existing.name != name:
                raise CommandError(
                    f"Partnership '{key}' exists with another name ({existing.name!r})."
                )
            host = partnership_primary_host(partnership=existing)
            self.stdout.write(f"Partnership {key} already exists at {host}.")
            return
        try:
            partnership = partnership_create(
                key=key,
                name=name,
                former_name=former_name,
                domain=domain,
                reference_prefix=reference_prefix,
                publication_months_online=months_online,
            )
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {partnership.name} ({partnership.key}, references "
                f"{partnership.reference_prefix}-…) at "
                f"{partnership_primary_host(partnership=partnership)}."
            )
        )
