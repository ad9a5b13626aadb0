"""The platform's clock: the one ``today()`` and the one ``now()`` every rule reads.

Time is stored in UTC and dates are counted and shown in England's time (DESIGN §4), so "today"
is the date in Europe/London (``TIME_ZONE``), whatever the server's zone. Tests stop this clock
in one place, with time-machine (``tests/support/clock.py``), rather than patching each module.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today in England: the date clocks are counted from and shown on."""
    return timezone.localdate()


def now() -> datetime.datetime:
    """This moment, aware, in UTC: what is stored when something happens."""
    return timezone.now()
