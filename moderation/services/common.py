"""What every sanction checks first: the staff power behind it and whom it may be used on."""

from __future__ import annotations

from accounts.models import Standing, User
from accounts.permissions import may_use_staff_power
from core.errors import Conflict, NotAllowed
from moderation.errors import ALREADY_BANNED, NOT_A_USER_TO_WARN


def require_staff_power(actor: User, permission: str) -> None:
    """Staff powers bind superusers too: only a staff role grants them (403 otherwise)."""
    may_use_staff_power(actor, permission, condition=True, otherwise=NOT_A_USER_TO_WARN).enforce()


def check_sanctionable(user: User, *, actor: User) -> None:
    """Moderation acts on members only: not on oneself, not on staff, not on the banned."""
    if user.pk == actor.pk or user.is_staff or user.is_superuser:
        raise NotAllowed(NOT_A_USER_TO_WARN)
    if user.standing == Standing.BANNED:
        raise Conflict(ALREADY_BANNED)


def locked_member(user: User, *, actor: User) -> User:
    """The user's row, locked (every sanction's first lock), if moderation may act on them."""
    if user.pk == actor.pk:
        raise NotAllowed(NOT_A_USER_TO_WARN)
    # FOR NO KEY UPDATE, like the marketplace's `lock_user`: it orders sanctions one after the
    # other but lets rows that merely point at the member (a report, an audit entry, a message)
    # be written meanwhile, so a transaction holding a case while it writes such a row never
    # deadlocks with a sanction waiting for that case.
    locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    check_sanctionable(locked, actor=actor)
    return locked
