"""Settings for the benchmarks: the product's own settings in production mode (DEBUG off,
Redis as the cache), pointed at the bench database, with `bench.urls` as the root URLconf.

Like `tests/settings.py`, the environment is set before the real settings module reads it.
DATABASE_URL is *replaced* (not defaulted) by BENCH_DATABASE_URL: the generator drops and
recreates that database, so it must never be the one a developer's shell points at.
"""

import os

from bench.common import database_url, redis_url

os.environ["DATABASE_URL"] = database_url()
os.environ["REDIS_URL"] = redis_url()
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("CACHE_KEY_PREFIX", "mp-bench")
# The load generator speaks plain HTTP to gunicorn, as a TLS-terminating proxy would.
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# No collectstatic in a bench run; the measured endpoints serve JSON, never static files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
