"""The clocks tests control, so that no test depends on the wall clock or on how long it takes.

- ``HostCacheClock``: the host → partnership cache's clock (``tenants.selectors``), stopped for
  every test (the ``host_cache_clock`` fixture): a request counted after 1,800 rows were
  written on a loaded machine makes the same queries as one counted straight away. A test of
  the expiry moves it on by hand.
- ``Clock``: the platform's time (``timezone.now()``, ``today()``) stopped at a moment the
  test chooses, with time-machine: one place, not a patch of ``today`` in each module (the
  ``clock`` fixture).

Both fixtures are registered for every test by ``pytest_plugins`` in tests/conftest.py.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches

import tenants.selectors

LONDON = ZoneInfo("Europe/London")


class HostCacheClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, start: float = 1_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Clock:
    """The platform's time, stopped (``tick=False``) until moved again."""

    def __init__(self):
        self._travel = None

    def set(self, moment: datetime.datetime) -> None:
        self.stop()
        self._travel = time_machine.travel(moment, tick=False)
        self._travel.start()

    def today(self, day: datetime.date) -> None:
        """Make ``day`` today in England (noon, London time)."""
        self.set(datetime.datetime.combine(day, datetime.time(12), tzinfo=LONDON))

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None


@pytest.fixture(autouse=True)
def host_cache_clock(monkeypatch) -> HostCacheClock:
    """Every test starts with an empty cache and a host cache whose clock stands still: what a
    test counts never depends on the machine's speed."""
    stopped = HostCacheClock()
    monkeypatch.setattr(tenants.selectors, "host_cache_clock", stopped)
    caches["default"].clear()
    return stopped


@pytest.fixture
def clock():
    """The platform's clock, stopped: ``clock.today(date)``, ``clock.set(datetime)``."""
    stopped = Clock()
    yield stopped
    stopped.stop()
