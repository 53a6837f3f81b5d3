"""What the trust-and-safety queue works on (C-9, C-10, C-15): reports people file and flags the
system raises. The queue itself comes with the moderation issues; these rows carry what it
needs — the target, who reported or what detected it, the reason, details, status and times."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from calls.models import Call
from core.models import AppendOnlyModel, Deferred
from marketplace.models import Message


class ConductRule(models.TextChoices):
    """C-9: the conduct rules, which are also the reasons for reports and warning types."""

    INAPPROPRIATE_LANGUAGE = "inappropriate_language", _("Inappropriate language")
    OFFENSIVE_COMMENTS = (
        "offensive_comments",
        _(
            "Offensive comments (gender, orientation, disability, appearance, race, religion, "
            "accent, nationality …)"
        ),
    )
    HATE_OR_HARASSMENT = "hate_or_harassment", _("Hate speech or harassment")
    ADULT_CONTENT = "adult_content", _("Adult content, nudity or sexual activity")
    THREATS = "threats", _("Threats of violence")
    PROHIBITED_SERVICES = "prohibited_services", _("Offering or requesting prohibited services")
    OFF_PLATFORM = "off_platform", _("Trying to move business off the platform")
    PERSONAL_DATA = "personal_data", _("Unprofessional requests for personal or payment data")


class ItemStatus(models.TextChoices):
    """A report's or a flag's own state: it follows its case's outcome."""

    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class TargetType(models.TextChoices):
    """What a report or a flag is about (C-10, M-10)."""

    MESSAGE = "message", _("Message")
    USER = "user", _("User")
    CALL = "call", _("Call")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_REVIEW = "in_review", _("In review")
    RESOLVED = "resolved", _("Resolved")


# The queue (the index's condition and every query that should use it say exactly this).
UNRESOLVED = [CaseStatus.OPEN, CaseStatus.IN_REVIEW]


class CaseOutcome(models.TextChoices):
    DISMISS = "dismiss", _("Dismissed: no violation found")
    WARN = "warn", _("Warning issued")
    RESTRICT = "restrict", _("Account restricted")
    BAN = "ban", _("Account banned")


class Case(models.Model):
    """M-10's one queue: everything reported or flagged about one target — a message, a user, a
    call — while it is unresolved is one case, so ten reports on one message are one piece of
    work. A staff member claims it (`assignee` until `claim_expires_at`), decides an outcome
    through the sanctions services, and the reports and flags follow.

    `rank` is the queue's whole order in one indexed column — priority first (higher sooner),
    then age (older sooner), computed by `moderation.triage`. Keyset pages and "review next"
    then walk one btree from a position; an order over two columns in mixed directions cannot
    be started from a position by an index range."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    target_type = models.CharField(_("target type"), max_length=16, choices=TargetType.choices)
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Whom a decision would concern: the message's sender, the reported user, the other party
    # of a two-person call (empty when a call's transcript was flagged and nobody reported).
    subject = models.ForeignKey(
        User,
        verbose_name=_("about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=40, choices=ConductRule.choices)
    # Detection found card numbers, IBANs or national IDs (C-15): handled first.
    sensitive = models.BooleanField(_("sensitive data"), default=False)
    # The subject was warned before or has other cases: handled sooner.
    repeat_target = models.BooleanField(_("repeat target"), default=False)
    reports_count = models.PositiveIntegerField(_("reports"), default=0)
    flags_count = models.PositiveIntegerField(_("flags"), default=0)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    rank = models.BigIntegerField(_("queue position"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    assignee = models.ForeignKey(
        User,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    claim_expires_at = models.DateTimeField(_("claim expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), default=now)
    first_action_at = models.DateTimeField(_("first handled"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    # What the outcome created through the sanctions services.
    warning = models.ForeignKey(
        "UserWarning", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        "Review", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ban = models.ForeignKey(
        "Ban", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["rank", "id"]
        constraints = [
            # One unresolved case per target, whatever races: the service retries into it.
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(target_type="message", status__in=UNRESOLVED),
                name="moderation_case_one_per_message",
            ),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(target_type="call", status__in=UNRESOLVED),
                name="moderation_case_one_per_call",
            ),
            models.UniqueConstraint(
                fields=["subject"],
                condition=Q(target_type="user", status__in=UNRESOLVED),
                name="moderation_case_one_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    Q(target_type="message", message__isnull=False)
                    | Q(target_type="call", call__isnull=False)
                    | Q(target_type="user", subject__isnull=False)
                ),
                name="moderation_case_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="moderation_case_status"
            ),
            # Decided exactly when resolved, with one outcome.
            models.CheckConstraint(
                condition=(
                    Q(status__in=UNRESOLVED, outcome="", decided_at__isnull=True)
                    | Q(
                        status="resolved",
                        outcome__in=CaseOutcome.values,
                        decided_at__isnull=False,
                    )
                ),
                name="moderation_case_outcome_when_resolved",
            ),
            # Held by someone exactly when in review.
            models.CheckConstraint(
                condition=(
                    Q(status="in_review", assignee__isnull=False, claim_expires_at__isnull=False)
                    | Q(status__in=["open", "resolved"], claim_expires_at__isnull=True)
                ),
                name="moderation_case_claim",
            ),
        ]
        indexes = [
            # The queue and "review next" (`UNRESOLVED`): the first and the 1,000th page alike.
            models.Index(
                fields=["rank", "id"],
                condition=Q(status__in=UNRESOLVED),
                name="moderation_case_queue",
            ),
            # The queue filtered by one status (resolved cases too).
            models.Index(fields=["status", "rank", "id"], name="moderation_case_status_rank"),
            # Claims past their timeout, for `release_expired_claims`.
            models.Index(
                fields=["claim_expires_at"],
                condition=Q(status="in_review"),
                name="moderation_case_claims",
            ),
            models.Index(fields=["assignee", "rank"], name="moderation_case_assignee"),
            models.Index(fields=["subject", "created_at"], name="moderation_case_subject"),
            # The dashboard's decisions of the last days.
            models.Index(
                fields=["decided_at"],
                condition=Q(status="resolved"),
                name="moderation_case_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_type_display()}: {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.RESOLVED

    def held_by_other(self, user: User, at: datetime) -> bool:
        """Someone else holds an unexpired claim on it."""
        return (
            self.status == CaseStatus.IN_REVIEW
            and self.assignee_id != user.pk
            and self.claim_expires_at is not None
            and self.claim_expires_at > at
        )


class Report(models.Model):
    """A user reports a call they took part in (C-10), a message they received or a user they
    can see (M-10), with a C-9 reason. Belongs to the target's unresolved case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    target_type = models.CharField(
        _("target type"), max_length=16, choices=TargetType.choices, default=TargetType.CALL
    )
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Whom the report is about (a message's sender, the reported user, the other party of a
    # two-person call; empty when unclear).
    reported_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=40, choices=ConductRule.choices)
    details = models.TextField(_("details"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=now)
    updated_at = models.DateTimeField(_("updated"), default=now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # One report per person and open case: a second click is not a second report.
            models.UniqueConstraint(fields=["case", "reporter"], name="moderation_report_once"),
            models.CheckConstraint(
                condition=Q(reason__in=ConductRule.values), name="moderation_report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="moderation_report_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="open"), name="moderation_report_open"
            ),
            # The per-hour limit and "my reports".
            models.Index(fields=["reporter", "created_at"], name="moderation_report_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_target_type_display()})"


class Flag(models.Model):
    """Suspicious activity the system detected (C-15) in a message or a call's transcript. It
    never warns or restricts by itself: it waits in the queue for a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    flagged_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="flags"
    )
    # What raised it ("message_filter", "transcript_scan") and what it found (a finding code).
    detector = models.CharField(_("detector"), max_length=40)
    finding = models.CharField(_("finding"), max_length=60)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    created_at = models.DateTimeField(_("flagged"), default=now)
    updated_at = models.DateTimeField(_("updated"), default=now)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.CheckConstraint(
                condition=Q(call__isnull=False) | Q(message__isnull=False),
                name="moderation_flag_has_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="moderation_flag_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="open"), name="moderation_flag_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.detector}: {self.finding}"

    @property
    def rules(self) -> list[str]:
        """The detection rules that matched (C-15)."""
        return self.finding.split(",") if self.finding else []


# ---------------------------------------------------------------- sanctions (M-1 … M-10)
class WarningType(models.Model):
    """M-1: what a warning is for. The C-9 conduct rules are seeded as types (migration 0003);
    staff add others in the admin. Stored in both languages because staff write new ones as
    data, not as translations shipped with the code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120)
    # The rule the warning reminds the user of, shown with the warning (M-1, M-8).
    rule_en = models.TextField(_("rule (English)"))
    rule_de = models.TextField(_("rule (German)"))
    is_active = models.BooleanField(
        _("can be issued"), default=True, help_text=_("Unset to retire a type; kept for history.")
    )

    class Meta:
        verbose_name = _("warning type")
        verbose_name_plural = _("warning types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_de if get_language() == "de" else self.name_en

    @property
    def rule(self) -> str:
        return self.rule_de if get_language() == "de" else self.rule_en


class WarningAction(models.TextChoices):
    """What a warning caused (M-2, `moderation.policy`)."""

    REMINDER = "reminder", _("Reminder of the terms")
    RESTRICTED = "restricted", _("Account restricted")
    ATTACHED = "attached", _("Added to the open review")


class UserWarning(models.Model):
    """A warning (M-1), with what it caused (M-2). Never edited or deleted: it is the history
    the escalation counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="moderation_warnings")
    type = models.ForeignKey(
        WarningType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), max_length=2000)
    # Optional evidence (M-1): a report, a message, a call.
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), default=now)
    action = models.CharField(_("caused"), max_length=16, choices=WarningAction.choices)
    # The rule of `moderation.policy` that decided ("M-2.1" … "M-2.4", "M-6", "review").
    rule = models.CharField(_("rule"), max_length=8)
    # The review it opened (restricted) or joined (attached).
    review = models.ForeignKey(
        "Review", on_delete=models.PROTECT, null=True, blank=True, related_name="warnings"
    )
    # Reversed on appeal (M-12): kept for the record, no longer counted by the escalation.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=WarningAction.values), name="moderation_warning_action"
            ),
            models.CheckConstraint(
                condition=Q(action="reminder") | Q(review__isnull=False),
                name="moderation_warning_review_when_escalated",
            ),
        ]
        indexes = [models.Index(fields=["user", "issued_at"], name="moderation_warning_user")]

    def __str__(self) -> str:
        return f"{self.type} ({self.issued_at:%Y-%m-%d})"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


class ReviewOutcome(models.TextChoices):
    RESTORE = "restore", _("Restored")
    BAN = "ban", _("Permanently banned")


class ReviewCause(models.TextChoices):
    WARNINGS = "warnings", _("Warnings")
    DIRECT = "direct", _("Direct restriction for a serious violation")


class Review(models.Model):
    """M-4: every restriction opens one, and it ends in exactly one outcome — decided by a
    reviewer, or the default applied by `end_overdue_reviews` when `deadline` has passed. The
    deadline is the due-date column that job sweeps; support agents and the user never see it
    (M-9)."""

    # What every staff member sees of a review, in the admin and the API alike; the deadline
    # is added for reviewers only (M-9: `selectors.may_see_deadline`).
    STAFF_FIELDS: ClassVar[tuple[str, ...]] = (
        "user",
        "cause",
        "reason",
        "repeat",
        "opened_by",
        "opened_at",
        "status",
        "outcome",
        "decided_by",
        "decided_at",
        "decision_reason",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="moderation_reviews")
    cause = models.CharField(_("cause"), max_length=16, choices=ReviewCause.choices)
    opened_by = models.ForeignKey(
        User, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=now)
    reason = models.TextField(_("reason"))
    # M-6: the restriction repeats a type the user was restored from.
    repeat = models.BooleanField(_("repeat offence"), default=False)
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ReviewOutcome.choices, blank=True
    )
    # Empty when the job applied the default outcome (M-4).
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # The restriction was reversed on appeal (M-12): its restore is not one M-6 counts.
    reversed_at = models.DateTimeField(_("reversed on appeal"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One open review per user: a second restriction is impossible while one is open,
            # whatever races (the service also locks the user).
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="open"), name="moderation_review_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="moderation_review_status"
            ),
            models.CheckConstraint(
                condition=Q(cause__in=ReviewCause.values), name="moderation_review_cause"
            ),
            # Exactly one outcome, once decided; none while open.
            models.CheckConstraint(
                condition=(
                    Q(status="open", outcome="", decided_at__isnull=True)
                    | Q(
                        status="decided", outcome__in=ReviewOutcome.values, decided_at__isnull=False
                    )
                ),
                name="moderation_review_outcome_when_decided",
            ),
        ]
        indexes = [
            models.Index(
                fields=["deadline"], condition=Q(status="open"), name="moderation_review_due"
            ),
            models.Index(fields=["user", "-opened_at"], name="moderation_review_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.OPEN

    @property
    def decided_by_system(self) -> bool:
        return self.status == ReviewStatus.DECIDED and self.decided_by_id is None


class Ban(Deferred):
    """A permanent ban (M-7). The ban itself — standing, sessions, tokens — takes effect in the
    transaction that creates this row; what follows (active orders cancelled and refunded, the
    buyer's credit back to the card, the seller's balance held) runs in batches after commit
    and is due (`next_attempt_at`) until it is done (`settled_at`), so a lost task or a crash
    half-way is finished by `settle_bans`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="moderation_bans")
    # Empty when the job applied `ban` as the default outcome of an overdue review.
    banned_by = models.ForeignKey(
        User,
        verbose_name=_("banned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    banned_at = models.DateTimeField(_("banned"), default=now)
    reason = models.TextField(_("reason"))
    # The review whose outcome it is; empty for a direct ban (M-2's last sentence).
    review = models.OneToOneField(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="ban"
    )
    settled_at = models.DateTimeField(_("orders and money handled"), null=True, blank=True)
    cancelled_orders = models.PositiveIntegerField(_("orders cancelled"), default=0)
    # Reversed on appeal (M-12): the account restored, held money released.
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-banned_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(settled_at__isnull=True),
                name="moderation_ban_unsettled",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.banned_at:%Y-%m-%d})"


# ---------------------------------------------------------------- statements and appeals
class DecisionKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    RESTRICTION = "restriction", _("Restriction")
    BAN = "ban", _("Permanent ban")


class Statement(AppendOnlyModel):
    """M-11 (DSA Art. 17): the statement of reasons sent with a warning, a restriction or a
    ban — what was decided and for how long, the facts, the rule, whether automated detection
    was involved, how to appeal — written once in the member's language and never changed, so
    what they were told can be shown later exactly as sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="moderation_statements")
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    warning = models.OneToOneField(
        UserWarning, on_delete=models.PROTECT, null=True, blank=True, related_name="statement"
    )
    review = models.OneToOneField(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="statement"
    )
    ban = models.OneToOneField(
        Ban, on_delete=models.PROTECT, null=True, blank=True, related_name="statement"
    )
    # Who decided (empty: the system, e.g. a review's default outcome): never the appeal's judge.
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    decision = models.TextField(_("what was decided"))
    duration = models.TextField(_("for how long"))
    facts = models.TextField(_("facts"))
    rule = models.TextField(_("rule"))
    automated = models.BooleanField(_("automated detection involved"))
    automation = models.TextField(_("automated means"))
    redress = models.TextField(_("how to appeal"))
    created_at = models.DateTimeField(_("sent"), default=now)
    appeal_until = models.DateTimeField(_("appeal until"))

    class Meta:
        verbose_name = _("statement of reasons")
        verbose_name_plural = _("statements of reasons")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="warning", warning__isnull=False)
                    | Q(kind="restriction", review__isnull=False)
                    | Q(kind="ban", ban__isnull=False)
                ),
                name="moderation_statement_decision",
            )
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="moderation_statement_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    REVERSED = "reversed", _("Reversed")


class AppealOutcome(models.TextChoices):
    """What a reviewer decides on an appeal (an `AppealStatus` other than pending)."""

    UPHELD = AppealStatus.UPHELD.value, AppealStatus.UPHELD.label
    REVERSED = AppealStatus.REVERSED.value, AppealStatus.REVERSED.label


class Appeal(models.Model):
    """M-12 (DSA Art. 20): a member contests a decision once, within `APPEAL_MONTHS`; a
    reviewer other than the one who decided upholds or reverses it, with a reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Once per decision, whatever races.
    statement = models.OneToOneField(Statement, on_delete=models.PROTECT, related_name="appeal")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="moderation_appeals")
    text = models.TextField(_("appeal"), max_length=4000)
    created_at = models.DateTimeField(_("appealed"), default=now)
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AppealStatus.values), name="moderation_appeal_status"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="pending", decided_at__isnull=True)
                    | (~Q(status="pending") & Q(decided_at__isnull=False, decided_by__isnull=False))
                ),
                name="moderation_appeal_decided",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="moderation_appeal_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement} ({self.get_status_display()})"
