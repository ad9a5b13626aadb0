"""The publishing tests start from a completed review of Croydon's and its publication
(tests/support/publications.py)."""

from tests.support.publications import publication, ready, review, run_tasks

__all__ = ["publication", "ready", "review", "run_tasks"]
