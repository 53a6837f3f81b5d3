"""Project wiring: settings, root URLs, the Celery app, WSGI/ASGI. No domain code lives here."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
