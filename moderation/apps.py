from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its audit actions and its panel on the call page (the report form).
        from moderation import audit, pages  # noqa: F401
