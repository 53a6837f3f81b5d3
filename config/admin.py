from __future__ import annotations

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from config.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "runs", "last_started_at", "last_succeeded_at", "last_failed_at"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
