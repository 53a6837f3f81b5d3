"""Test settings: the real settings module, with the environment a test run needs.

`make test` points DATABASE_URL and REDIS_URL at the local Postgres and Redis; these defaults
only fill in what production mode would otherwise refuse to start without.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tests (and the browser journeys over the live server) speak plain HTTP.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("DJANGO_CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("CACHE_KEY_PREFIX", "mp-test")

from config.settings import *  # noqa: F403

# Hashing passwords slowly is the point in production and only costs time in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The manifest is built by collectstatic at deploy time; tests render templates without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the app folders; there is no collectstatic in a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PAYMENT_BACKEND = "marketplace.providers.locmem.LocmemPaymentBackend"
PAYOUT_BACKEND = "marketplace.providers.locmem.LocmemPayoutBackend"
# Tasks enqueued on commit run in the test's process; the worker's wiring has its own test.
CELERY_TASK_ALWAYS_EAGER = True
# Templates only tests use (a message kind declared by a test, as another app would).
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates", BASE_DIR / "tests" / "templates"]  # noqa: F405
SERVE_MEDIA = True
# Uploads made by tests land in a folder of their own, never in the project's var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="marketplace-test-media-"))
RECORDINGS_ROOT = Path(tempfile.mkdtemp(prefix="marketplace-test-recordings-"))
STORAGES["recordings"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(RECORDINGS_ROOT), "base_url": None},
}
VIDEO_BACKEND = "calls.providers.locmem.LocmemVideoBackend"
