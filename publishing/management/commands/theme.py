"""The platform's vocabulary of themes: list, add, rename, retire, restore."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from publishing.library import services
from publishing.library.models import Theme


class Command(BaseCommand):
    help = (
        "The themes publications are tagged with (public schema). "
        "theme list | theme add LABEL | theme rename SLUG LABEL | theme retire SLUG | "
        "theme restore SLUG"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "add", "rename", "retire", "restore"])
        parser.add_argument("values", nargs="*")
        parser.add_argument("--description", default="")

    def handle(self, *args, action, values, description, **options):
        expected = {"list": 0, "add": 1, "rename": 2, "retire": 1, "restore": 1}[action]
        if len(values) != expected:
            raise CommandError(f"'theme {action}' takes {expected} value(s).")
        try:
            if action == "list":
                for theme in Theme.objects.order_by("label"):
                    state = "" if theme.is_active else "  (retired)"
                    self.stdout.write(f"{theme.slug:<40} {theme.label}{state}")
                return
            if action == "add":
                theme = services.theme_add(label=values[0], description=description)
            elif action == "rename":
                theme = services.theme_rename(slug=values[0], label=values[1])
            else:
                theme = services.theme_set_active(slug=values[0], active=action == "restore")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{theme.slug}: {theme.label}{'' if theme.is_active else ' (retired)'}")
