"""The casework tests of a review's work start from a practice review of Croydon's, on a
stopped day (tests/support/reviews.py)."""

from tests.support.reviews import frozen, review

__all__ = ["frozen", "review"]
