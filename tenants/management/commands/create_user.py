from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from tenants.actors import actor_for_platform
from tenants.agencies.selectors import agency_get_by_name
from tenants.management.partnerships import partnership_named
from tenants.models import Role, User
from tenants.services import membership_grant, user_create, user_set_password
from tenants.validation import error_text


class Command(BaseCommand):
    help = (
        "Create a person (or find them by email) and give them a role in a partnership. "
        "Idempotent: run again to change the role or set a new password."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--partnership", required=True, help="The partnership's key")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--agency", help="The agency's name (agency users only)")
        parser.add_argument("--password", help="Without it, the person has no password yet")
        parser.add_argument("--name", default="", help="Full name")

    def handle(self, *args, email, partnership, role, agency, password, name, **options):
        target = partnership_named(partnership)
        if role == Role.AGENCY_USER and not agency:
            raise CommandError("An agency user needs --agency NAME.")
        if agency and role != Role.AGENCY_USER:
            raise CommandError("Only agency users name an agency.")
        try:
            with transaction.atomic(), tenant_context(target):
                found = None
                if agency:
                    found = agency_get_by_name(name=agency)
                    if found is None:
                        raise CommandError(f"{target.name} has no agency called '{agency}'.")
                email = User.objects.normalize_email(email).lower()
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = user_create(email=email, full_name=name, password=password)
                elif password:
                    user_set_password(user=user, password=password)
                membership_grant(
                    actor=actor_for_platform(partnership=target, label="create_user command"),
                    user=user,
                    role=role,
                    agency=found,
                )
        except ValidationError as error:
            raise CommandError(error_text(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.email} is {Role(role).label.lower()} in {target.name}"
                + (f" for {found.name}." if found else ".")
            )
        )
