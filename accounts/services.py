"""Every write to accounts goes through here (STYLE: services for writes)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils.timezone import now
from rest_framework.authtoken.models import Token

from accounts import audit
from accounts.errors import AccountBanned, InvalidCredentials
from accounts.models import BuyerTier, SellerLevel, Standing, User
from accounts.permissions import may_log_in
from accounts.roles import ROLES


def register_user(
    *, email: str, password: str, display_name: str, timezone: str = "UTC", language: str = "en"
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            display_name=display_name,
            timezone=timezone,
            language=language,
        )
        audit.record("accounts.registered", actor=user, target_user=user, obj=user)
    return user


def authenticate_user(*, request: HttpRequest | None, email: str, password: str) -> User:
    """Check e-mail and password for the login page and the token endpoint alike.

    A banned user with the right password learns that they are banned (A-4, M-7); anyone else
    with wrong credentials learns nothing about whether the address exists.
    """
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


def obtain_api_token(user: User) -> Token:
    if not may_log_in(user):
        raise AccountBanned()
    token, _created = Token.objects.get_or_create(user=user)
    return token


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
            "accounts.profile_updated",
            actor=actor,
            target_user=user,
            obj=user,
            data={"before": before, "language": language},
        )
    return user


def set_language(user: User, *, language: str) -> None:
    """The language switch on every page also becomes the language of the user's e-mails."""
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def set_standing(user: User, *, standing: Standing, actor: User | None, reason: str) -> User:
    """Change a user's standing (A-4). Moderation is the only caller once it exists.

    A ban also deletes the user's API token. Sessions need no sweep: every request re-checks
    standing (`accounts.permissions.may_log_in`), so an open session is anonymous on its next
    request.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        previous = locked.standing
        if previous == standing:
            return locked
        locked.standing = standing
        locked.standing_changed_at = now()
        locked.save(update_fields=["standing", "standing_changed_at"])
        # The caller's instance tells the truth too.
        user.standing, user.standing_changed_at = locked.standing, locked.standing_changed_at
        user = locked
        if standing == Standing.BANNED:
            Token.objects.filter(user=user).delete()
        audit.record(
            "accounts.standing_changed",
            actor=actor,
            target_user=user,
            obj=user,
            reason=reason,
            data={"from": previous, "to": standing},
        )
    return user


def set_seller_level(user: User, *, level: SellerLevel, actor: User | None) -> User:
    return _set_tier_field(user, field="seller_level", value=level, actor=actor)


def set_buyer_tier(user: User, *, tier: BuyerTier, actor: User | None) -> User:
    return _set_tier_field(user, field="buyer_tier", value=tier, actor=actor)


def _set_tier_field(user: User, *, field: str, value: str, actor: User | None) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        previous = getattr(user, field)
        if previous == value:
            return user
        setattr(user, field, value)
        user.save(update_fields=[field])
        audit.record(
            f"accounts.{field}_changed",
            actor=actor,
            target_user=user,
            obj=user,
            data={"from": previous, "to": value},
        )
    return user


def grant_staff_role(user: User, *, role: str, actor: User | None) -> User:
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; known roles: {', '.join(ROLES)}.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(Group.objects.get(name=role))
        audit.record("accounts.role_granted", actor=actor, target_user=user, data={"role": role})
    return user


def clear_expired_sessions() -> int:
    count, _ = Session.objects.filter(expire_date__lt=now()).delete()
    return count
