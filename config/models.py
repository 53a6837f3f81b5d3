"""Operational records of the wiring, not domain data: when each scheduled job last ran."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """The latest run of one scheduled job. One row per job, updated in place by every run."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    runs = models.PositiveIntegerField(_("successful runs"), default=0)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("last failed"), null=True, blank=True)
    last_result = models.TextField(_("last result"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
