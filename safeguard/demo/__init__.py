"""The demo data of ``make run``: the partnerships of ``../shared/seeds/published_reviews.json``,
their agencies and people, referrals at each stage, joint reviews and every seed review published.

The one place that imports every app (``tenants``, ``casework``, ``publishing``), so that none of
them imports another only to load a demo. Everything goes through the services, as the demo
people would do it; ``manage.py load_demo`` (``management/commands/load_demo.py``) runs it.
"""
