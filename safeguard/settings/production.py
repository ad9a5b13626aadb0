"""Production overlay: HTTPS everywhere, secrets from the environment or files."""

from safeguard.settings.base import *  # noqa: F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Browsers may be told to use HTTPS only before their first visit (hstspreload.org).
SECURE_HSTS_PRELOAD = True
