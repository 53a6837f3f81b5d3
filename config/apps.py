from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Last in INSTALLED_APPS: every app's ready() has declared its jobs by now.
        from config import jobs, tasks  # noqa: F401
        from config.celery import app
        from core.jobs import beat_schedule

        app.conf.beat_schedule = beat_schedule()
        jobs.connect()
