"""Writing to the append-only audit log. Services call `record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from accounts.models import AuditEntry, User


def record(
    action: str,
    *,
    actor: User | None,
    target_user: User | None = None,
    obj: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `actor=None` means a scheduled job acted."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        target_user=target_user,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        data=data or {},
    )
