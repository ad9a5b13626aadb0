from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenants.actors import actor_for_platform
from tenants.agencies.selectors import agency_get_by_name
from tenants.agencies.services import api_key_issue
from tenants.management.partnerships import partnership_named
from tenants.validation import error_text


class Command(BaseCommand):
    help = (
        "Issue an API key for an agency of a partnership. The key is printed once, alone on the "
        "last line; only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", help="The partnership's key, e.g. croydon")
        parser.add_argument("--agency", required=True, help="The agency's name")
        parser.add_argument("--name", default="issued by command", help="The system it is for")

    def handle(self, *args, key, agency, name, **options):
        partnership = partnership_named(key)
        with tenant_context(partnership):
            found = agency_get_by_name(name=agency)
            if found is None:
                raise CommandError(f"{partnership.name} has no agency called '{agency}'.")
            try:
                api_key, secret = api_key_issue(
                    actor=actor_for_platform(
                        partnership=partnership, label="create_agency_key command"
                    ),
                    agency=found,
                    name=name,
                )
            except ValidationError as error:
                raise CommandError(error_text(error)) from None
        self.stdout.write(
            f"Key {api_key.prefix} for {found.name} in {partnership.name}; send it as "
            "'Authorization: Api-Key <key>':"
        )
        self.stdout.write(secret)
