from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fill the registries this app adds to: its audit actions and its scheduled jobs.
        from accounts import audit, tasks  # noqa: F401
