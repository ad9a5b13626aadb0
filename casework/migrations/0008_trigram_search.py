"""Searching referrals and reviews by a child's name tolerates misspelling with PostgreSQL's
``pg_trgm``. An extension lives once per database, not per schema: it is created in ``public``,
which every partnership's search path ends with (django-tenants), so each tenant schema that runs
this migration finds it there and a schema cloned from the template (``tenants/cloning.py``)
needs nothing of its own. ``pg_trgm`` is a trusted extension: the owner role, which owns the
database and runs migrations, may create it; the runtime role only uses its functions."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0007_referral_steps_from_records"),
    ]

    operations = [
        # Never dropped on the way back: every other partnership's schema still uses it.
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
