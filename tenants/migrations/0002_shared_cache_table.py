"""The database cache's table (``createcachetable``'s, made here so that every way of migrating
makes it): the throttles' shared store when there is no Redis (``tenants.throttles``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=[
                'CREATE TABLE IF NOT EXISTS "safeguard_cache" ('
                '"cache_key" varchar(255) NOT NULL PRIMARY KEY, '
                '"value" text NOT NULL, '
                '"expires" timestamp with time zone NOT NULL)',
                'CREATE INDEX IF NOT EXISTS "safeguard_cache_expires" '
                'ON "safeguard_cache" ("expires")',
            ],
            reverse_sql=['DROP TABLE IF EXISTS "safeguard_cache"'],
        )
    ]
