"""Every write to accounts goes through here (STYLE: services for writes): one transaction, the
row locked, one audit entry. The acting user is the first keyword, `actor`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

from accounts import audit
from accounts.errors import AccountBanned, InvalidCredentials
from accounts.models import ApiToken, BuyerTier, SellerLevel, Standing, User
from accounts.permissions import may_log_in
from accounts.roles import ROLES
from core import clock, ratelimit


def register_user(
    *,
    actor: User | None = None,
    email: str,
    password: str | None,
    display_name: str,
    timezone: str = "UTC",
    language: str = "en",
) -> User:
    """Sign-up (`actor=None`: the new user acts) or an account created by staff in the admin."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            display_name=display_name,
            timezone=timezone,
            language=language,
        )
        audit.record(audit.REGISTERED, actor=actor or user, target_user=user, obj=user)
    return user


def authenticate_user(*, request: HttpRequest | None, email: str, password: str) -> User:
    """Check e-mail and password for the login page and the token endpoint alike.

    A banned user with the right password learns that they are banned (A-4, M-7); anyone else
    with wrong credentials learns nothing about whether the address exists.

    Every attempt counts against the client's login limit first, which slows password guessing
    whatever account is tried. While the cache that counts is unreachable, logins are refused
    (503 with Retry-After) rather than left unthrottled; sessions and tokens keep working.
    """
    if request is not None:
        ratelimit.check(
            f"login:{ratelimit.client_address(request)}",
            limit=settings.LOGIN_RATE_LIMIT,
            window_seconds=settings.LOGIN_RATE_WINDOW_SECONDS,
            when_down=ratelimit.WhenDown.REFUSE,
        )
    user = authenticate(request, email=email, password=password)
    if isinstance(user, User):
        return user
    candidate = User.objects.filter(email__iexact=email).first()
    if (
        candidate is not None
        and candidate.is_active
        and not may_log_in(candidate)
        and candidate.check_password(password)
    ):
        raise AccountBanned()
    raise InvalidCredentials()


def update_profile(
    user: User, *, actor: User, display_name: str, timezone: str, language: str
) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = {"display_name": user.display_name, "timezone": user.timezone}
        user.display_name = display_name
        user.timezone = timezone
        user.language = language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["display_name", "timezone", "language"])
        audit.record(
            audit.PROFILE_UPDATED,
            actor=actor,
            target_user=user,
            obj=user,
            data={"before": before, "language": language},
        )
    return user


def set_language(user: User, *, actor: User, language: str) -> None:
    """The language switch on every page also becomes the language of the user's e-mails.
    Not audited: a preference the user flips freely, like the cookie it mirrors."""
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def set_standing(
    user: User,
    *,
    actor: User | None,
    standing: Standing,
    reason: str,
    action: audit.AuditAction = audit.STANDING_CHANGED,
    obj: Model | None = None,
    data: dict[str, Any] | None = None,
) -> User:
    """Change a user's standing (A-4). Moderation is the only caller once it exists.

    The one audit entry is the caller's: moderation names its action (a restriction, a
    decision, a ban) and the object behind it, so one action leaves one entry that also says
    how the standing changed.

    A ban also revokes every API token. Sessions need no sweep: every request re-checks
    standing (`accounts.permissions.may_log_in`), so an open session is anonymous on its next
    request.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        previous = locked.standing
        if previous == standing:
            return locked
        locked.standing = standing
        locked.standing_changed_at = clock.now()
        locked.save(update_fields=["standing", "standing_changed_at"])
        # The caller's instance tells the truth too.
        user.standing, user.standing_changed_at = locked.standing, locked.standing_changed_at
        user = locked
        audit.record(
            action,
            actor=actor,
            target_user=user,
            obj=obj if obj is not None else user,
            reason=reason,
            data={**(data or {}), "from": previous, "to": standing},
        )
        if standing == Standing.BANNED:
            revoke_all_api_tokens(user, actor=actor, reason=reason)
    return user


def restore_standing_of_many(
    changes: Sequence[tuple[User, Model]],
    *,
    actor: User | None,
    reason: str,
    action: audit.AuditAction,
    data: dict[str, Any],
) -> None:
    """`set_standing(user, standing=ACTIVE, …)` for a batch of (user, the object behind it) whose
    rows the caller holds locked — a job ending many reviews at once: one UPDATE and one INSERT
    of their audit entries. Only back to active: a ban revokes tokens, one user at a time."""
    changed = [(user, obj) for user, obj in changes if user.standing != Standing.ACTIVE]
    if not changed:
        return
    now = clock.now()
    User.objects.filter(pk__in=[user.pk for user, _obj in changed]).update(
        standing=Standing.ACTIVE, standing_changed_at=now
    )
    audit.record_many(
        action,
        actor=actor,
        entries=[
            (user, obj, {**data, "from": user.standing, "to": Standing.ACTIVE})
            for user, obj in changed
        ],
        reason=reason,
    )
    for user, _obj in changed:
        user.standing, user.standing_changed_at = Standing.ACTIVE, now


def set_seller_level(user: User, *, actor: User | None, level: SellerLevel) -> User:
    return _set_tier_field(
        user, actor=actor, field="seller_level", value=level, action=audit.SELLER_LEVEL_CHANGED
    )


def set_buyer_tier(user: User, *, actor: User | None, tier: BuyerTier) -> User:
    return _set_tier_field(
        user, actor=actor, field="buyer_tier", value=tier, action=audit.BUYER_TIER_CHANGED
    )


def _set_tier_field(
    user: User, *, actor: User | None, field: str, value: str, action: audit.AuditAction
) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        previous = getattr(user, field)
        if previous == value:
            return user
        setattr(user, field, value)
        user.save(update_fields=[field])
        audit.record(
            action, actor=actor, target_user=user, obj=user, data={"from": previous, "to": value}
        )
    return user


def grant_staff_role(user: User, *, actor: User | None, role: str) -> User:
    """Make `user` a support agent or reviewer (A-5): the role's group, and admin access."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; known roles: {', '.join(ROLES)}.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        group = Group.objects.get(name=role)
        if user.is_staff and user.groups.filter(pk=group.pk).exists():
            return user
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
        audit.record(
            audit.ROLE_GRANTED, actor=actor, target_user=user, obj=user, data={"role": role}
        )
    return user


def revoke_staff_roles(user: User, *, actor: User | None) -> User:
    """Take every staff role away; the account stays a buyer and seller. A superuser keeps
    admin access (only the command line makes or unmakes one)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        roles = list(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if not roles and (user.is_superuser or not user.is_staff):
            return user
        user.groups.remove(*Group.objects.filter(name__in=roles))
        user.is_staff = user.is_superuser
        user.save(update_fields=["is_staff"])
        audit.record(
            audit.ROLE_REVOKED, actor=actor, target_user=user, obj=user, data={"roles": roles}
        )
    return user


def set_active(user: User, *, actor: User | None, active: bool, reason: str = "") -> User:
    """Close (deactivate) or reopen an account. A closed account cannot log in; it is not a
    ban (standing is moderation's). Closing also revokes its API tokens."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(
            audit.REACTIVATED if active else audit.DEACTIVATED,
            actor=actor,
            target_user=user,
            obj=user,
            reason=reason,
        )
        if not active:
            revoke_all_api_tokens(user, actor=actor, reason=reason)
    return user


# ---------------------------------------------------------------- API tokens (django-rest-knox)
def create_api_token(user: User, *, actor: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for one device; returns the row and the token itself, which is shown once
    and never stored. Beyond `API_TOKENS_PER_USER` devices the oldest token is revoked."""
    if not may_log_in(user):
        raise AccountBanned()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
        token, key = ApiToken.objects.create(
            user=user, expiry=settings.API_TOKEN_TTL, name=name[:100]
        )
        audit.record(
            audit.API_TOKEN_CREATED,
            actor=actor,
            target_user=user,
            data={"token": token.token_key, "name": token.name},
        )
        surplus = ApiToken.objects.filter(user=user).order_by("-created")[
            settings.API_TOKENS_PER_USER :
        ]
        for old in surplus:
            _revoke(old, actor=actor, reason="replaced by a newer device")
    return token, key


def revoke_api_token(token: ApiToken, *, actor: User | None, reason: str = "") -> None:
    with transaction.atomic():
        _revoke(token, actor=actor, reason=reason)


def revoke_all_api_tokens(user: User, *, actor: User | None, reason: str) -> int:
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user))
        for token in tokens:
            _revoke(token, actor=actor, reason=reason)
    return len(tokens)


def _revoke(token: ApiToken, *, actor: User | None, reason: str) -> None:
    deleted, _ = ApiToken.objects.filter(digest=token.digest).delete()
    if deleted:
        audit.record(
            audit.API_TOKEN_REVOKED,
            actor=actor,
            target_user=token.user,
            reason=reason,
            data={"token": token.token_key, "name": token.name},
        )


def note_api_token_use(token: ApiToken) -> None:
    """Keep "last used" current for the device list, writing at most once per interval."""
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > settings.API_TOKEN_USE_INTERVAL:
        ApiToken.objects.filter(digest=token.digest).update(last_used_at=now)
        token.last_used_at = now


# ---------------------------------------------------------------- housekeeping jobs
def clear_expired_sessions() -> int:
    count, _ = Session.objects.filter(expire_date__lt=clock.now()).delete()
    return count


def clear_expired_api_tokens() -> int:
    """Expired tokens are refused on use already; this only removes the rows."""
    count: int = ApiToken.objects.filter(expiry__lt=clock.now()).delete()[0]
    return count
