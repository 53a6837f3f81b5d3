from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"
