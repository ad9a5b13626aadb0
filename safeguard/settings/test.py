"""Test overlay: fast hashing, local memory email and cache, one database per checkout."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("PLATFORM_SCHEME", "http")
# The suite creates its database, migrates it and creates partnerships as the owner role
# (DATABASE_OWNER_URL), as `manage.py migrate_schemas` does: no superuser needed. Tests that
# prove what the runtime role may do switch to it (tests/tenants/test_database_roles.py).
os.environ.setdefault("SAFEGUARD_DATABASE_ROLE", "owner")

from safeguard.database import database_name_for_tests
from safeguard.settings.base import *  # noqa: F403
from safeguard.settings.base import BASE_DIR, CACHES, DATA_DIR, DATABASES, LOGGING

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "test-media"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# One test database per checkout, so two clones can run their suites side by side.
DATABASES["default"]["TEST"] = {"NAME": database_name_for_tests(BASE_DIR)}
# Tests never share a cache with a running platform (REDIS_URL is for the worker test).
CACHES["default"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}
# Throttles count in the test database's cache table, rolled back with each test (never the
# platform's Redis); tests/tenants/test_throttles.py checks that two processes share it.
CACHES["throttles"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "safeguard_cache",
}
# Unit tests run tasks in-process when they are sent (after commit); tests/safeguard/test_celery.py
# starts a real worker process against a real broker.
# A worker process a test starts may ask for tasks to be sent as in production instead
# (SAFEGUARD_EAGER_TASKS=0): a task it sends then goes to the broker, not run inside it.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("SAFEGUARD_EAGER_TASKS", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
# The browser tests' live server answers each request in a thread of its own; persistent
# connections would outlive those threads and keep the test database busy at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# The webhook tests' receivers are http.server threads on this machine; the SSRF tests turn
# this off to see loopback refused as production does.
WEBHOOKS_ALLOW_LOOPBACK = True
WEBHOOK_TIMEOUT_SECONDS = 2.0
WEBHOOK_RETRY_DELAYS = (1, 2)
