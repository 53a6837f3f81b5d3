from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The registries are complete once Django has started: the call invitation (a message
        # kind), the call button (a composer action), the notices, the audit actions and the
        # scheduled jobs; and the checks of its settings.
        from calls import audit, checks, notices, pages, tasks  # noqa: F401
