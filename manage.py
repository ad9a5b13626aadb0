#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.base")
    from safeguard.database import choose_role

    # Before the settings load: migrations and creating partnerships connect as the owner role.
    choose_role(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
