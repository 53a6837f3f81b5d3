from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fill the registries this app adds to: its audit actions, notification kinds and
        # message kinds, and its Celery tasks with their scheduled jobs.
        from marketplace import audit, message_kinds, notices, tasks  # noqa: F401
