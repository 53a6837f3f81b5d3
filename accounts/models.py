"""Accounts (SPEC A-1…A-5): one user can buy and sell; standing is read through `permissions`."""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from accounts.validators import validate_timezone
from core.models import AppendOnlyModel


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


class SellerLevel(models.TextChoices):
    """A-2. "A seller with a level" means LEVEL_1 or higher."""

    NEW = "new", _("New seller")
    LEVEL_1 = "level_1", _("Level 1")
    LEVEL_2 = "level_2", _("Level 2")
    TOP_RATED = "top_rated", _("Top Rated")


class BuyerTier(models.TextChoices):
    """A-3. PRO and SELECT are the premium tiers."""

    STANDARD = "standard", _("Standard")
    PRO = "pro", _("Pro")
    SELECT = "select", _("Select")


class Standing(models.TextChoices):
    """A-4. Owned by moderation; every other part of the product asks `accounts.permissions`."""

    ACTIVE = "active", _("Active")
    RESTRICTED = "restricted", _("Restricted")
    BANNED = "banned", _("Banned")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("Users must have an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail login is case-insensitive; addresses are stored lower-case.
        return self.get(email__iexact=username or "")


# The stubs cannot follow ApiToken.user, declared by knox's untyped abstract model.
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=80)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    seller_level = models.CharField(
        _("seller level"), max_length=16, choices=SellerLevel.choices, default=SellerLevel.NEW
    )
    buyer_tier = models.CharField(
        _("buyer tier"), max_length=16, choices=BuyerTier.choices, default=BuyerTier.STANDARD
    )
    standing = models.CharField(
        _("standing"), max_length=16, choices=Standing.choices, default=Standing.ACTIVE
    )
    standing_changed_at = models.DateTimeField(_("standing changed"), null=True, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the support admin."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unset to deactivate an account (a closed account, not a ban)."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(language__in=Language.values), name="accounts_user_language"
            ),
            models.CheckConstraint(
                condition=models.Q(seller_level__in=SellerLevel.values),
                name="accounts_user_seller_level",
            ),
            models.CheckConstraint(
                condition=models.Q(buyer_tier__in=BuyerTier.values),
                name="accounts_user_buyer_tier",
            ),
            models.CheckConstraint(
                condition=models.Q(standing__in=Standing.values), name="accounts_user_standing"
            ),
        ]
        # Staff capabilities. They sit on the user model because they are powers over
        # users; the roles migration groups them into "support agent" and "reviewer".
        permissions = [
            ("issue_warning", _("Can issue warnings")),
            ("handle_report", _("Can handle reports and flags")),
            ("restrict_user", _("Can restrict accounts")),
            ("ban_user", _("Can ban accounts")),
            ("decide_review", _("Can decide reviews")),
            ("view_review_deadline", _("Can see the end date of a review")),
            ("access_call_recording", _("Can access recordings of reported or flagged calls")),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>"

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The profile's time zone; UTC for a name this system no longer knows (validated on
        save, but tz data changes)."""
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def has_seller_level(self) -> bool:
        return self.seller_level != SellerLevel.NEW

    @property
    def is_premium_buyer(self) -> bool:
        return self.buyer_tier in (BuyerTier.PRO, BuyerTier.SELECT)


class AuditEntry(AppendOnlyModel):
    """The append-only audit log (M-10, C-12): who did what to whom, when and why.

    It lives with the users it is about, below every app that writes to it. Rows are only ever
    inserted: the model refuses updates and deletes, and on Postgres a trigger refuses them too
    (migration 0003), so not even a raw query or a support agent with a shell can rewrite
    history. `action` is the name of a declared `accounts.audit.AuditAction`.
    """

    at = models.DateTimeField(_("at"), default=now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when a scheduled job acted."),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_user = models.ForeignKey(
        User,
        verbose_name=_("concerns user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # "Everything that concerns user X" walks these two, newest first.
            models.Index(fields=["target_user", "-at", "-id"], name="accounts_audit_target"),
            models.Index(fields=["actor", "-at", "-id"], name="accounts_audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class ApiToken(AbstractAuthToken):
    """One API token per device (django-rest-knox; `KNOX_TOKEN_MODEL`). Only a hash of the token
    is stored (`digest`); `token_key` is its first characters, enough to find the row and to
    show the user which token is which, never enough to use it. A token expires (`expiry`),
    and its user lists and revokes their tokens; a ban revokes them all."""

    name = models.CharField(_("device"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.name or self.user_id})"
