"""The web tests outside a folder of their own (search, exports) start, like the casework
tests, from a practice review of Croydon's on a stopped day (tests/support/reviews.py); the
folders' own conftest.py files give theirs."""

from tests.support.reviews import frozen, review

__all__ = ["frozen", "review"]
