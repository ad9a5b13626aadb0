"""Test overlay: fast hashing, local memory email and cache, one database per checkout."""

import hashlib
import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("PLATFORM_SCHEME", "http")

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
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get(
        "TEST_DATABASE_NAME",
        "test_safeguard_" + hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8],
    )
}
# Tests never share a cache with a running platform (REDIS_URL is for the worker test).
CACHES["default"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}
# Throttles count in the test database's cache table, rolled back with each test (never the
# platform's Redis); tests/test_throttles.py checks that two processes share it.
CACHES["throttles"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "safeguard_cache",
}
# Unit tests run tasks in-process when they are sent (after commit); tests/test_celery.py
# starts a real worker process against a real broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The browser tests' live server answers each request in a thread of its own; persistent
# connections would outlive those threads and keep the test database busy at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0
