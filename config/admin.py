from __future__ import annotations

from django.contrib import admin

from config.models import JobRun
from core.admin import ReadOnlyAdmin


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "runs", "last_started_at", "last_succeeded_at", "last_failed_at"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
