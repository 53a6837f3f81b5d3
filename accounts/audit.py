"""The append-only audit log (M-10, C-12): the registry of its actions and the one writer.

Every action is declared once with `audit_action(name, label)` by the app that performs it (the
accounts' own below; `marketplace/audit.py`, later calls and moderation, theirs), like pretix's
log-action display: the name is what is stored and searched, the label what the admin shows.
`record` accepts only declared actions, so an entry's action is always one the admin can name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.models import AuditEntry, User
from core.registry import Registry


@dataclass(frozen=True)
class AuditAction:
    name: str
    label: StrOrPromise

    def __str__(self) -> str:
        return self.name


ACTIONS: Registry[AuditAction] = Registry("audit action")


def audit_action(name: str, label: StrOrPromise) -> AuditAction:
    return ACTIONS.add(name, AuditAction(name, label))


def label_of(name: str) -> str:
    """The admin's words for a stored action name (the name itself if no longer declared)."""
    action = ACTIONS.get(name)
    return str(action.label) if action else name


# ---------------------------------------------------------------- the accounts' own actions
REGISTERED = audit_action("accounts.registered", _("Account registered"))
PROFILE_UPDATED = audit_action("accounts.profile_updated", _("Profile updated"))
STANDING_CHANGED = audit_action("accounts.standing_changed", _("Standing changed"))
SELLER_LEVEL_CHANGED = audit_action("accounts.seller_level_changed", _("Seller level changed"))
BUYER_TIER_CHANGED = audit_action("accounts.buyer_tier_changed", _("Buyer tier changed"))
ROLE_GRANTED = audit_action("accounts.role_granted", _("Staff role granted"))
ROLE_REVOKED = audit_action("accounts.role_revoked", _("Staff role revoked"))
DEACTIVATED = audit_action("accounts.deactivated", _("Account deactivated"))
REACTIVATED = audit_action("accounts.reactivated", _("Account reactivated"))
API_TOKEN_CREATED = audit_action("accounts.api_token_created", _("API token created"))
API_TOKEN_REVOKED = audit_action("accounts.api_token_revoked", _("API token revoked"))


def record(
    action: AuditAction,
    *,
    actor: User | None,
    target_user: User | None,
    obj: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry, inside the caller's transaction. `actor=None` means a scheduled job
    or the system acted; `target_user` is the user the action concerns, named every time (None
    only for an action that concerns no user)."""
    entry = _entry(action, actor=actor, target_user=target_user, obj=obj, reason=reason, data=data)
    entry.save(force_insert=True)
    return entry


def record_many(
    action: AuditAction,
    *,
    actor: User | None,
    entries: Sequence[tuple[User | None, models.Model | None, dict[str, Any] | None]],
    reason: str = "",
) -> list[AuditEntry]:
    """One entry per (target user, object, data) of a batch — the orders a ban cancels — in
    one INSERT, inside the caller's transaction."""
    rows = [
        _entry(action, actor=actor, target_user=user, obj=obj, reason=reason, data=data)
        for user, obj, data in entries
    ]
    return AuditEntry.objects.bulk_create(rows)


def _entry(
    action: AuditAction,
    *,
    actor: User | None,
    target_user: User | None,
    obj: models.Model | None,
    reason: str,
    data: dict[str, Any] | None,
) -> AuditEntry:
    if ACTIONS.get(action.name) is not action:
        raise ValueError(f"{action.name!r} is not a declared audit action.")
    return AuditEntry(
        action=action.name,
        actor=actor,
        target_user=target_user,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        data=data or {},
    )
