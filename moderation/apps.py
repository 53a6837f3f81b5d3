from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its audit actions, notices, settings checks, jobs, its panels on other apps' pages
        # (the report form on the call page, standing and warnings on the account page) and
        # the warnings in `GET /api/me/`.
        from moderation import audit, checks, notices, pages, profile, tasks  # noqa: F401
