"""The support team's view of users and the audit log. Nothing here writes a user directly:
every change goes through `accounts.services` with `actor=request.user`, so it is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import audit, roles, services
from accounts.models import ApiToken, AuditEntry, BuyerTier, SellerLevel, User
from core.admin import ReadOnlyAdmin, ReadOnlyInline

# What the change form may edit; each goes through its service in `save_model`.
PROFILE_FIELDS = ("display_name", "timezone", "language")
TIER_FIELDS = ("seller_level", "buyer_tier")


class ApiTokenInline(ReadOnlyInline):
    model = ApiToken
    fields = ["token_key", "name", "created", "expiry", "last_used_at"]
    verbose_name = _("API token (device)")
    verbose_name_plural = _("API tokens (devices)")


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "display_name", "standing", "seller_level", "buyer_tier", "is_staff"]
    list_filter = ["standing", "seller_level", "buyer_tier", "is_staff", "groups"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Profile"), {"fields": PROFILE_FIELDS}),
        (_("Marketplace"), {"fields": TIER_FIELDS}),
        (_("Standing"), {"fields": ("standing", "standing_changed_at")}),
        (
            _("Staff access"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups"),
                "description": _(
                    "Roles and closing an account are changed with the actions of the user "
                    "list, so that each change is audited."
                ),
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [ApiTokenInline]
    actions = [
        "grant_support_agent",
        "grant_reviewer",
        "revoke_staff_roles",
        "close_accounts",
        "reopen_accounts",
        "revoke_api_tokens",
    ]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Nobody sets another person's password here: support would hold a way into the
        # account. People reset their own by e-mail; operators use `manage.py changepassword`.
        raise PermissionDenied

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People sign up themselves; staff are made from existing accounts by the role actions
        # and superusers by `createsuperuser`. No unaudited way to create an account here.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        editable = {*PROFILE_FIELDS, *TIER_FIELDS}
        return [
            str(name)
            for _title, options in self.fieldsets
            for name in options["fields"]
            if name not in editable
        ]

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        actor = request.user
        assert isinstance(actor, User)  # noqa: S101 - the admin requires a staff login
        data = form.cleaned_data
        if any(name in form.changed_data for name in PROFILE_FIELDS):
            services.update_profile(
                obj, actor=actor, **{name: data[name] for name in PROFILE_FIELDS}
            )
        if "seller_level" in form.changed_data:
            services.set_seller_level(obj, actor=actor, level=SellerLevel(data["seller_level"]))
        if "buyer_tier" in form.changed_data:
            services.set_buyer_tier(obj, actor=actor, tier=BuyerTier(data["buyer_tier"]))

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[User],
        change: Callable[[User, Any], object],
        done: Callable[[int], str],
    ) -> None:
        """Apply one service to each selected account, then say how many were changed."""
        count = 0
        for user in queryset:
            change(user, request.user)
            count += 1
        self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(permissions=["change"], description=_("Make support agent"))
    def grant_support_agent(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(
            request,
            queryset,
            lambda user, actor: services.grant_staff_role(
                user, actor=actor, role=roles.SUPPORT_AGENT
            ),
            lambda n: ngettext(
                "%(count)d account is now a support agent.",
                "%(count)d accounts are now support agents.",
                n,
            ),
        )

    @admin.action(permissions=["change"], description=_("Make trust & safety reviewer"))
    def grant_reviewer(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(
            request,
            queryset,
            lambda user, actor: services.grant_staff_role(user, actor=actor, role=roles.REVIEWER),
            lambda n: ngettext(
                "%(count)d account is now a reviewer.", "%(count)d accounts are now reviewers.", n
            ),
        )

    @admin.action(permissions=["change"], description=_("Take away staff roles"))
    def revoke_staff_roles(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(
            request,
            queryset,
            lambda user, actor: services.revoke_staff_roles(user, actor=actor),
            lambda n: ngettext(
                "%(count)d account has no staff role now.",
                "%(count)d accounts have no staff role now.",
                n,
            ),
        )

    @admin.action(permissions=["change"], description=_("Close accounts"))
    def close_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(
            request,
            queryset.exclude(pk=request.user.pk or 0),  # not one's own account
            lambda user, actor: services.set_active(
                user, actor=actor, active=False, reason="closed in the admin"
            ),
            lambda n: ngettext("%(count)d account is closed.", "%(count)d accounts are closed.", n),
        )

    @admin.action(permissions=["change"], description=_("Reopen accounts"))
    def reopen_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(
            request,
            queryset,
            lambda user, actor: services.set_active(
                user, actor=actor, active=True, reason="reopened in the admin"
            ),
            lambda n: ngettext(
                "%(count)d account is open again.", "%(count)d accounts are open again.", n
            ),
        )

    @admin.action(permissions=["change"], description=_("Sign out of all apps (revoke API tokens)"))
    def revoke_api_tokens(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(
            request,
            queryset,
            lambda user, actor: services.revoke_all_api_tokens(
                user, actor=actor, reason="revoked in the admin"
            ),
            lambda n: ngettext(
                "%(count)d account is signed out of all apps.",
                "%(count)d accounts are signed out of all apps.",
                n,
            ),
        )


class ActionFilter(admin.SimpleListFilter):
    """The declared actions by their labels (the registry), not the stored names."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return sorted(((a.name, str(a.label)) for a in audit.ACTIONS), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action_label", "actor", "target_user", "object_type", "object_id"]
    list_filter = [ActionFilter]
    search_fields = ["action", "target_user__email", "actor__email", "object_id"]
    list_select_related = ["actor", "target_user"]
    date_hierarchy = "at"

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, entry: AuditEntry) -> str:
        return audit.label_of(entry.action)
