from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the notification e-mail task, so `core.queue.enqueue_after_commit` finds it
        # by name.
        # The deployment checks register themselves on import.
        from core import checks, tasks  # noqa: F401
