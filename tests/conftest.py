"""The suite's shared world, registered for every test: the partnerships and people
(tests/support/world.py), the stopped clocks (tests/support/clock.py), the joint-review world
(tests/support/joint.py) and the test database for committed data and other processes
(tests/support/database.py). Helpers are imported from ``tests.support``; fixtures a folder
shares live in that folder's ``conftest.py``."""

import pytest

# Failed checks in the support helpers (isolation, problem+json) explain themselves too.
pytest.register_assert_rewrite("tests.support")

pytest_plugins = [
    "tests.support.database",
    "tests.support.world",
    "tests.support.clock",
    "tests.support.joint",
]
