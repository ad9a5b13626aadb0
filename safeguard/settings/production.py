"""Production overlay: HTTPS everywhere, secrets from the environment or files.

Nothing falls back to what `make run` recorded in DATA_DIR (safeguard/settings/base.py): the
secret key and the database URLs must be given.
"""

from safeguard.settings.base import *  # noqa: F403
from safeguard.settings.base import env

if not env("SECRET_KEY"):
    raise RuntimeError("Set SECRET_KEY or SECRET_KEY_FILE: production has no development key.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Browsers may be told to use HTTPS only before their first visit (hstspreload.org).
SECURE_HSTS_PRELOAD = True

# A webhook receiver on the platform's own machine is never called in production (SSRF).
if WEBHOOKS_ALLOW_LOOPBACK:  # noqa: F405
    raise RuntimeError("WEBHOOKS_ALLOW_LOOPBACK is for make run only: production refuses it.")
