"""Moderation in the support admin (A-5): reports and flags, warning types, and the support
workspace on each user's page — standing, warnings, reviews (the deadline for reviewers only,
M-9), a ledger summary and the notices sent — with a page for every sanction: issue a warning,
restrict, ban, decide a review. Each page shows what the action will cause (the escalation
preview, computed by the same policy) and asks to confirm; each calls its service with
`actor=request.user` and is guarded by its staff power, which binds superusers too.

The user admin is the accounts' one, extended here: accounts sits below moderation and knows
nothing of it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin import UserAdmin
from accounts.models import User
from accounts.permissions import staff_powers
from calls import selectors as calls_selectors
from core import clock, formatting, notifications
from core.admin import ReadOnlyAdmin, ReadOnlyInline
from core.errors import DomainError, error_for
from core.selectors import notifications_of
from marketplace import selectors as money
from moderation import selectors, services
from moderation.errors import CASE_HAS_NO_SUBJECT
from moderation.forms import (
    AppealDecisionForm,
    CaseDecisionForm,
    DecisionForm,
    ReasonForm,
    WarningForm,
)
from moderation.models import (
    UNRESOLVED,
    Appeal,
    AppealStatus,
    Ban,
    Case,
    CaseOutcome,
    CaseStatus,
    Flag,
    Report,
    Review,
    Statement,
    UserWarning,
    WarningType,
)
from moderation.permissions import (
    BAN_USER,
    DECIDE_APPEAL,
    DECIDE_REVIEW,
    HANDLE_REPORT,
    ISSUE_WARNING,
    RESTRICT_USER,
)
from moderation.services import statements

CONFIRM_TEMPLATE = "admin/moderation/confirm.html"


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "reason",
        "target_type",
        "reporter",
        "reported_user",
        "status",
        "case",
    ]
    list_filter = ["status", "reason", "target_type"]
    search_fields = ["call__id", "reporter__email", "reported_user__email"]
    list_select_related = ["reporter", "reported_user", "case"]
    readonly_fields = ["warn_with_report"]

    @admin.display(description=gettext_lazy("warn with this report"))
    def warn_with_report(self, report: Report) -> str:
        """The warning page with this report as its evidence, for either party."""
        people = [u for u in (report.reported_user, report.reporter) if u is not None]
        return format_html_join(
            " · ",
            "<a href='{}?report={}'>{}</a>",
            (
                (reverse("admin:user_warn", args=[u.pk]), report.pk, _("Warn %s") % u.display_name)
                for u in people
            ),
        )


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "detector",
        "finding",
        "call",
        "message",
        "flagged_user",
        "status",
        "case",
    ]
    list_filter = ["status", "detector"]
    list_select_related = ["call", "message", "flagged_user", "case"]


@admin.register(WarningType)
class WarningTypeAdmin(admin.ModelAdmin[WarningType]):
    """M-1: staff add types beyond C-9's. A type warnings use is retired, never deleted."""

    list_display = ["code", "name_en", "name_de", "is_active"]
    list_filter = ["is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []  # warnings and reports refer to it

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UserWarning)
class UserWarningAdmin(ReadOnlyAdmin):
    list_display = ["issued_at", "user", "type", "action", "rule", "issued_by", "evidence"]
    list_filter = ["action", "type"]
    search_fields = ["user__email", "issued_by__email"]
    list_select_related = ["user", "type", "issued_by"]
    readonly_fields = ["evidence"]
    date_hierarchy = "issued_at"

    @admin.display(description=gettext_lazy("evidence"))
    def evidence(self, warning: UserWarning) -> str:
        return _evidence_links(warning)


def _evidence_links(warning: UserWarning) -> str:
    """Links to a warning's evidence pages, from the ids alone (no query per row)."""
    links = [
        (reverse(f"admin:{name}_change", args=[pk]), label)
        for name, pk, label in (
            ("moderation_report", warning.report_id, _("report")),
            ("marketplace_message", warning.message_id, _("message")),
            ("calls_call", warning.call_id, _("call")),
        )
        if pk is not None
    ]
    if not links:
        return formatting.MISSING
    return format_html_join(" · ", "<a href='{}'>{}</a>", links)


def _sees_deadline(request: HttpRequest) -> bool:
    return selectors.may_see_deadline(request.user)  # type: ignore[arg-type]


class _StaffPages:
    """The confirmation pages' shared flow: the form, then what the action will cause and a
    Confirm button, then the service. Bad input shows the form again with its errors; a
    refusal (a domain error) shows its message; nothing is written before the confirmation."""

    admin_site: admin.AdminSite

    def _require(self, request: HttpRequest, permission: str) -> User:
        staff = request.user
        if not isinstance(staff, User) or permission not in staff_powers(staff):
            raise PermissionDenied
        return staff

    def _two_step(
        self,
        request: HttpRequest,
        *,
        title: str,
        member: User | None,
        form_class: type[forms.Form],
        preview: Callable[[dict[str, Any]], str],
        act: Callable[[dict[str, Any]], str],
        done_url: str,
        extra: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # A link may fill fields in (`?report=…` from a report's page); only a POST acts.
        form = form_class(request.POST or None, initial=request.GET.dict())
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": title,
            "member": member,
            "form": form,
            "back_url": done_url,
            **(extra or {}),
        }
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                if "confirm" in request.POST:
                    message = act(form.cleaned_data)
                    messages.success(request, message)
                    return HttpResponseRedirect(done_url)
                context["preview"] = preview(form.cleaned_data)
                context["summary"] = _summary(form)
            except DomainError as error:
                form.add_error(None, error.detail)
                status = error.status_code
        elif request.method == "POST":
            status = 400
        return render(request, CONFIRM_TEMPLATE, context, status=status)


def _summary(form: forms.Form) -> list[tuple[Any, Any]]:
    """What the confirmation step shows of each field given: a choice by its label, an object
    by its name."""
    rows = []
    for field in form:
        value = form.cleaned_data.get(field.name)
        if value in (None, ""):
            continue  # optional evidence left out
        choices = getattr(field.field, "choices", None)
        if choices is not None and not isinstance(field.field, forms.ModelChoiceField):
            value = dict(choices).get(value, value)
        rows.append((field.label, value))
    return rows


def _ban_consequences(user: User) -> str:
    facts = selectors.ban_consequences(user)
    return _(
        "The account is banned at once: no login, every session and app signed out, gigs "
        "hidden. %(orders)s open orders are cancelled and their buyers refunded; "
        "%(credit)s of credit goes back to the card; %(held)s is held for %(days)s days, then "
        "offered through a 7-day withdrawal link."
    ) % {
        "orders": facts.open_orders,
        "credit": formatting.money(facts.credit_cents),
        "held": formatting.money(facts.holdable_cents),
        "days": facts.hold_days,
    }


class ReviewInline(ReadOnlyInline):
    model = Review
    fk_name = "user"
    verbose_name_plural = gettext_lazy("reviews")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["opened_at", "cause", "repeat", "status", "outcome", "decided_by", "decided_at"]
        return [*fields, "deadline"] if _sees_deadline(request) else fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)


class WarningInline(ReadOnlyInline):
    model = UserWarning
    fk_name = "user"
    fields = ["issued_at", "type", "note", "action", "rule", "issued_by", "evidence"]
    verbose_name_plural = gettext_lazy("warnings")

    @admin.display(description=gettext_lazy("evidence"))
    def evidence(self, warning: UserWarning) -> str:
        return _evidence_links(warning)


class ModeratedUserAdmin(_StaffPages, UserAdmin):
    """The accounts' user admin plus the support workspace and the sanctions' pages."""

    change_form_template = "admin/moderation/user_change_form.html"
    inlines = [*UserAdmin.inlines, WarningInline, ReviewInline]
    actions = [*UserAdmin.actions, "warn_selected"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            workspace: Any = (
                _("Money and notices"),
                {"fields": ("ledger_summary", "notices_sent")},
            )
            fieldsets.insert(3, workspace)
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "ledger_summary", "notices_sent"] if obj is not None else fields

    @admin.display(description=gettext_lazy("balances"))
    def ledger_summary(self, user: User) -> str:
        balances = money.balances(user)
        rows = [
            (_("Pending clearance"), balances.pending_cents),
            (_("Available"), balances.available_cents),
            (_("Credit"), balances.credit_cents),
            (_("Held (ban)"), balances.held_cents),
        ]
        return format_html(
            "<dl class='ledger-summary'>{}</dl>",
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>", ((k, formatting.money(v)) for k, v in rows)
            ),
        )

    @admin.display(description=gettext_lazy("notices sent (latest 10)"))
    def notices_sent(self, user: User) -> str:
        notices = list(notifications_of(user)[:10])
        if not notices:
            return formatting.MISSING
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} <span class='quiet'>({})</span></li>",
                (
                    (
                        formatting.moment(notice.created_at),
                        notifications.render(notice).title,
                        notice.get_email_status_display(),
                    )
                    for notice in notices
                ),
            ),
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        powers = staff_powers(request.user)
        user = self.get_object(request, object_id)
        review = selectors.open_review_of(user) if user else None
        context = {
            **(extra_context or {}),
            "may_warn": ISSUE_WARNING in powers,
            "may_restrict": RESTRICT_USER in powers and review is None,
            "may_ban": BAN_USER in powers,
            "open_review": review,
            "may_decide": DECIDE_REVIEW in powers and review is not None,
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        pages = [
            path("<int:user_id>/warn/", self.admin_site.admin_view(self.warn), name="user_warn"),
            path(
                "<int:user_id>/restrict/",
                self.admin_site.admin_view(self.restrict),
                name="user_restrict",
            ),
            path("<int:user_id>/ban/", self.admin_site.admin_view(self.ban), name="user_ban"),
        ]
        return pages + super().get_urls()

    def _member(self, user_id: int) -> tuple[User, str]:
        user = get_object_or_404(User, pk=user_id)
        return user, reverse("admin:accounts_user_change", args=[user.pk])

    def warn(self, request: HttpRequest, user_id: int) -> HttpResponse:
        staff = self._require(request, ISSUE_WARNING)
        member, back = self._member(user_id)

        def preview(data: dict[str, Any]) -> str:
            return services.preview_warning(member, actor=staff, warning_type=data["type"]).text

        def act(data: dict[str, Any]) -> str:
            evidence = services.Evidence(data["report"], data["message"], data["call"])
            warning = services.issue_warning(
                member, actor=staff, warning_type=data["type"], note=data["note"], evidence=evidence
            )
            return _("Warning issued: %(caused)s.") % {"caused": warning.get_action_display()}

        return self._two_step(
            request,
            title=_("Issue a warning to %(name)s") % {"name": member.display_name},
            member=member,
            form_class=WarningForm,
            preview=preview,
            act=act,
            done_url=back,
        )

    def restrict(self, request: HttpRequest, user_id: int) -> HttpResponse:
        staff = self._require(request, RESTRICT_USER)
        member, back = self._member(user_id)

        def act(data: dict[str, Any]) -> str:
            services.restrict_user(member, actor=staff, reason=data["reason"])
            return _("The account is restricted and a review is open.")

        return self._two_step(
            request,
            title=_("Restrict %(name)s") % {"name": member.display_name},
            member=member,
            form_class=ReasonForm,
            preview=lambda data: (
                _(
                    "The account will be restricted at once (M-3) and a review opened; a reviewer "
                    "restores or bans, or the default outcome applies after %(days)s days."
                )
                % {"days": selectors.review_days()}
            ),
            act=act,
            done_url=back,
        )

    def ban(self, request: HttpRequest, user_id: int) -> HttpResponse:
        staff = self._require(request, BAN_USER)
        member, back = self._member(user_id)

        def act(data: dict[str, Any]) -> str:
            services.ban_user(member, actor=staff, reason=data["reason"])
            return _("The account is banned; its orders and money are being handled.")

        return self._two_step(
            request,
            title=_("Ban %(name)s permanently") % {"name": member.display_name},
            member=member,
            form_class=ReasonForm,
            preview=lambda data: _ban_consequences(member),
            act=act,
            done_url=back,
        )

    @admin.action(description=gettext_lazy("Issue a warning (one account)"))
    def warn_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one account to warn."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:user_warn", args=[queryset.get().pk]))


admin.site.unregister(User)
admin.site.register(User, ModeratedUserAdmin)


@admin.register(Review)
class ReviewAdmin(_StaffPages, ReadOnlyAdmin):
    """Reviews for support and reviewers alike; the deadline and the decision for reviewers
    only (M-9)."""

    change_form_template = "admin/moderation/review_change_form.html"
    list_filter = ["status", "outcome", "cause", "repeat"]
    search_fields = ["user__email"]
    list_select_related = ["user", "opened_by", "decided_by"]

    def get_list_display(self, request: HttpRequest) -> Any:
        columns = ["opened_at", "user", "cause", "repeat", "status", "outcome"]
        return [*columns, "deadline"] if _sees_deadline(request) else columns

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = [*Review.STAFF_FIELDS, "warnings_list"]
        return [*fields, "deadline"] if _sees_deadline(request) else fields

    @admin.display(description=gettext_lazy("warnings"))
    def warnings_list(self, review: Review) -> str:
        warnings = review.warnings.select_related("type", "issued_by").order_by("issued_at")
        if not warnings:
            return formatting.MISSING
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} ({}): {}</li>",
                (
                    (formatting.moment(w.issued_at), w.type.name, w.issued_by, w.note)
                    for w in warnings
                ),
            ),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        review = self.get_object(request, object_id)
        context = {
            **(extra_context or {}),
            "may_decide": bool(
                review and review.is_open and DECIDE_REVIEW in staff_powers(request.user)
            ),
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        decide = path(
            "<uuid:review_id>/decide/",
            self.admin_site.admin_view(self.decide),
            name="review_decide",
        )
        return [decide, *super().get_urls()]

    def decide(self, request: HttpRequest, review_id: str) -> HttpResponse:
        staff = self._require(request, DECIDE_REVIEW)
        review = get_object_or_404(Review.objects.select_related("user"), pk=review_id)
        back = reverse("admin:moderation_review_change", args=[review.pk])

        def preview(data: dict[str, Any]) -> str:
            if data["outcome"] == "ban":
                return _ban_consequences(review.user)
            return _("The account will be active again and the member told.")

        def act(data: dict[str, Any]) -> str:
            services.decide_review(
                review, actor=staff, outcome=data["outcome"], reason=data["reason"]
            )
            return _("The review is decided.")

        return self._two_step(
            request,
            title=_("Decide the review of %(name)s") % {"name": review.user.display_name},
            member=review.user,
            form_class=DecisionForm,
            preview=preview,
            act=act,
            done_url=back,
            extra={"review": review},
        )


@admin.register(Ban)
class BanAdmin(ReadOnlyAdmin):
    list_display = ["banned_at", "user", "banned_by", "settled_at", "cancelled_orders"]
    list_filter = ["settled_at"]
    search_fields = ["user__email"]
    list_select_related = ["user", "banned_by"]
    exclude = ["attempts", "next_attempt_at"]


# ---------------------------------------------------------------- the queue (M-10)
def _outcome_preview(case: Case, staff: User, data: dict[str, Any]) -> str:
    """What deciding the case this way will do, in the sanctions' own words."""
    member = data.get("member") or case.subject
    outcome = data["outcome"]
    if outcome == CaseOutcome.DISMISS:
        return _(
            "The case is closed without action; its reports are dismissed and each reporter is "
            "told that no violation was found."
        )
    if member is None:
        raise error_for(CASE_HAS_NO_SUBJECT)
    told = " " + _("Each reporter is told that action was taken.")
    if outcome == CaseOutcome.WARN:
        preview = services.preview_warning(member, actor=staff, warning_type=data["warning_type"])
        return preview.text + told
    if outcome == CaseOutcome.RESTRICT:
        return (
            _(
                "%(name)s will be restricted at once (M-3) and a review opened; a reviewer "
                "restores or bans, or the default outcome applies after %(days)s days."
            )
            % {"name": member.display_name, "days": selectors.review_days()}
            + told
        )
    return _ban_consequences(member) + told


class QueueStatusFilter(admin.SimpleListFilter):
    """The queue shows the work left unless asked otherwise: open and in-review cases, on
    their own index."""

    title = gettext_lazy("status")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*CaseStatus.choices, ("all", gettext_lazy("Every case"))]

    def choices(self, changelist: Any) -> Any:
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("Open and in review")  # the default, not "All"
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if value is None:
            return queryset.filter(status__in=UNRESOLVED)
        if value == "all":
            return queryset
        return queryset.filter(status=value)


@admin.register(Case)
class CaseAdmin(_StaffPages, ReadOnlyAdmin):
    """The queue for support and reviewers: most urgent first, "Review next" takes the top case
    nobody holds, the case page shows it in context, and the decision page goes through the
    sanctions services with their preview. After a decision, the next case loads."""

    change_list_template = "admin/moderation/case/change_list.html"
    change_form_template = "admin/moderation/case/change_form.html"
    list_display = ["created_at", "what", "about", "items", "state"]
    list_filter = [QueueStatusFilter, "target_type", "reason", "sensitive"]
    list_select_related = ["subject", "assignee"]
    search_fields = ["subject__email"]
    ordering = ["rank", "id"]
    # The queue can hold a million cases: no count of the whole table on each page.
    show_full_result_count = False
    fields = [
        "target_type",
        "subject",
        "reason",
        "status",
        "assignee",
        "claim_expires_at",
        "created_at",
        "first_action_at",
        "decided_at",
        "decided_by",
        "outcome",
        "decision_note",
    ]

    @admin.display(description=gettext_lazy("what"), ordering="rank")
    def what(self, case: Case) -> str:
        """The target and reason, after what makes it urgent."""
        urgent = self.urgency(case)
        label = f"{case.get_target_type_display()}: {case.get_reason_display()}"
        if urgent == formatting.MISSING:
            return label
        return format_html("<strong>{}</strong> · {}", urgent, label)

    @admin.display(description=gettext_lazy("about"))
    def about(self, case: Case) -> str:
        return case.subject.display_name if case.subject else formatting.MISSING

    @admin.display(description=gettext_lazy("reports and flags"))
    def items(self, case: Case) -> str:
        return f"{case.reports_count} · {case.flags_count}"

    @admin.display(description=gettext_lazy("status"))
    def state(self, case: Case) -> str:
        """The status, and who holds the case while it is in review."""
        if case.status == CaseStatus.IN_REVIEW and case.assignee:
            return f"{case.get_status_display()} ({case.assignee.display_name})"
        return case.get_status_display()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        # The case page reads its member, holder, message and call: one query, not five.
        return (
            super()
            .get_queryset(request)
            .select_related("subject", "assignee", "decided_by", "message", "call")
        )

    def urgency(self, case: Case) -> str:
        marks = []
        if case.sensitive:
            marks.append(_("sensitive data"))
        if case.repeat_target:
            marks.append(_("repeat target"))
        return ", ".join(marks) or formatting.MISSING

    def get_urls(self) -> list[URLPattern]:
        pages = [
            path("next/", self.admin_site.admin_view(self.next_case), name="case_next"),
            path("dashboard/", self.admin_site.admin_view(self.dashboard), name="case_dashboard"),
            path("<uuid:case_id>/take/", self.admin_site.admin_view(self.take), name="case_take"),
            path(
                "<uuid:case_id>/release/",
                self.admin_site.admin_view(self.release),
                name="case_release",
            ),
            path(
                "<uuid:case_id>/decide/",
                self.admin_site.admin_view(self.decide),
                name="case_decide",
            ),
        ]
        return pages + super().get_urls()

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        case = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if case is not None:
            powers = staff_powers(request.user)
            context.update(
                {
                    "case": case,
                    "context": selectors.case_context(case),
                    "may_handle": HANDLE_REPORT in powers and case.is_open,
                    "held_by_me": case.assignee_id == request.user.pk
                    and case.status == CaseStatus.IN_REVIEW,
                    "may_open_recording": services.ACCESS_RECORDING in powers,
                }
            )
        return super().change_view(request, object_id, form_url, context)

    def next_case(self, request: HttpRequest) -> HttpResponse:
        staff = self._require(request, HANDLE_REPORT)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:moderation_case_changelist"))
        case = services.review_next(staff)
        if case is None:
            messages.info(request, _("The queue is empty. Well done."))
            return HttpResponseRedirect(reverse("admin:moderation_case_changelist"))
        return HttpResponseRedirect(reverse("admin:moderation_case_change", args=[case.pk]))

    def _case_action(
        self, request: HttpRequest, case_id: str, act: Callable[[Case, User], str]
    ) -> HttpResponse:
        staff = self._require(request, HANDLE_REPORT)
        case = get_object_or_404(Case, pk=case_id)
        back = reverse("admin:moderation_case_change", args=[case.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        try:
            messages.success(request, act(case, staff))
        except DomainError as error:
            messages.error(request, error.detail)
        return HttpResponseRedirect(back)

    def take(self, request: HttpRequest, case_id: str) -> HttpResponse:
        def act(case: Case, staff: User) -> str:
            services.assign_case(case, actor=staff, assignee=staff)
            return _("The case is yours for %(minutes)s minutes.") % {
                "minutes": settings.CASE_CLAIM_MINUTES
            }

        return self._case_action(request, case_id, act)

    def release(self, request: HttpRequest, case_id: str) -> HttpResponse:
        def act(case: Case, staff: User) -> str:
            services.assign_case(case, actor=staff, assignee=None)
            return _("The case is back in the queue.")

        return self._case_action(request, case_id, act)

    def decide(self, request: HttpRequest, case_id: str) -> HttpResponse:
        staff = self._require(request, HANDLE_REPORT)
        case = get_object_or_404(Case.objects.select_related("subject", "call"), pk=case_id)
        back = reverse("admin:moderation_case_change", args=[case.pk])
        # A call's case that names nobody (a flagged transcript) asks whom it is about; one
        # that names its member decides about them.
        members = (
            [p.user for p in calls_selectors.participants_of(case.call)]
            if case.call is not None and case.subject is None
            else []
        )
        form_class = cast(type[forms.Form], partial(CaseDecisionForm, members=members))

        def act(data: dict[str, Any]) -> str:
            decided = services.resolve_case(
                case,
                actor=staff,
                outcome=data["outcome"],
                note=data["note"],
                warning_type=data.get("warning_type"),
                member=data.get("member"),
            )
            return _("Decided: %(outcome)s.") % {"outcome": decided.get_outcome_display()}

        response = self._two_step(
            request,
            title=_("Decide: %(case)s") % {"case": case},
            member=case.subject,
            form_class=form_class,
            preview=lambda data: _outcome_preview(case, staff, data),
            act=act,
            done_url=back,
            extra={"case": case, "crumb": case},
        )
        if response.status_code == 302:
            # Decided: straight on to the next case (Coop's "review next" rhythm).
            nxt = services.review_next(staff)
            if nxt is None:
                messages.info(request, _("The queue is empty. Well done."))
                return HttpResponseRedirect(reverse("admin:moderation_case_changelist"))
            messages.info(request, _("Here is the next case."))
            return HttpResponseRedirect(reverse("admin:moderation_case_change", args=[nxt.pk]))
        return response

    def dashboard(self, request: HttpRequest) -> HttpResponse:
        self._require(request, HANDLE_REPORT)
        board = selectors.dashboard(clock.now())
        labels = {
            "under_hour": _("under an hour"),
            "under_day": _("1 to 24 hours"),
            "under_week": _("1 to 7 days"),
            "older": _("older than a week"),
        }
        return render(
            request,
            "admin/moderation/case/dashboard.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Trust and safety dashboard"),
                "board": board,
                "backlog": [(labels[name], n) for name, n in board.backlog],
                "opts": self.model._meta,
            },
        )


# ---------------------------------------------------------------- statements and appeals
@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    """What each member was told (M-11), exactly as sent."""

    list_display = ["created_at", "user", "kind", "automated", "decided_by", "appeal_until"]
    list_filter = ["kind", "automated"]
    search_fields = ["user__email"]
    list_select_related = ["user", "decided_by"]


@admin.register(Appeal)
class AppealAdmin(_StaffPages, ReadOnlyAdmin):
    """Appeals (M-12): reviewers other than the one who decided uphold or reverse them."""

    change_form_template = "admin/moderation/appeal/change_form.html"
    list_display = ["created_at", "user", "decision", "status", "decided_by", "decided_at"]
    list_filter = ["status", "statement__kind"]
    search_fields = ["user__email"]
    list_select_related = ["user", "statement", "decided_by"]
    fields = ["user", "statement", "text", "status", "decided_by", "decided_at", "reason"]

    @admin.display(description=gettext_lazy("decision"))
    def decision(self, appeal: Appeal) -> str:
        return appeal.statement.get_kind_display()

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        appeal = self.get_object(request, object_id)
        context = {
            **(extra_context or {}),
            "may_decide": bool(
                appeal
                and appeal.status == AppealStatus.PENDING
                and DECIDE_APPEAL in staff_powers(request.user)
                and appeal.statement.decided_by_id != request.user.pk
            ),
            "sections": statements.sections_of(appeal.statement) if appeal else None,
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        decide = path(
            "<uuid:appeal_id>/decide/",
            self.admin_site.admin_view(self.decide),
            name="appeal_decide",
        )
        return [decide, *super().get_urls()]

    def decide(self, request: HttpRequest, appeal_id: str) -> HttpResponse:
        staff = self._require(request, DECIDE_APPEAL)
        appeal = get_object_or_404(Appeal.objects.select_related("user", "statement"), pk=appeal_id)
        back = reverse("admin:moderation_appeal_change", args=[appeal.pk])

        def preview(data: dict[str, Any]) -> str:
            if data["outcome"] == "upheld":
                return _("The decision stands; the member is told your reason.")
            return {
                "warning": _(
                    "The warning is withdrawn and no longer counts; a restriction it caused is "
                    "lifted (its open review closes as restored; a ban it ended in is lifted "
                    "and its held money released). The member is told your reason."
                ),
                "restriction": _(
                    "The restriction is lifted: its open review closes as restored, or a ban "
                    "it ended in is lifted and its held money released. The member is told "
                    "your reason."
                ),
                "ban": _(
                    "The account is active again and the money held from the ban is released "
                    "to the member's wallet. The member is told your reason."
                ),
            }[appeal.statement.kind]

        def act(data: dict[str, Any]) -> str:
            services.decide_appeal(
                appeal, actor=staff, outcome=data["outcome"], reason=data["reason"]
            )
            return _("The appeal is decided.")

        return self._two_step(
            request,
            title=_("Decide the appeal of %(name)s") % {"name": appeal.user.display_name},
            member=appeal.user,
            form_class=AppealDecisionForm,
            preview=preview,
            act=act,
            done_url=back,
            extra={"appeal": appeal},
        )
