"""What the trust-and-safety queue works on (C-9, C-10, C-15): reports people file and flags the
system raises. The queue itself comes with the moderation issues; these rows carry what it
needs — the target, who reported or what detected it, the reason, details, status and times."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from calls.models import Call
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


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    """A participant reports a call to support (C-10)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Whom the report is about (the other party of a two-person call; empty when unclear).
    reported_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=40, choices=ConductRule.choices)
    details = models.TextField(_("details"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=now)
    updated_at = models.DateTimeField(_("updated"), default=now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # One report per person and call: a second click is not a second case.
            models.UniqueConstraint(fields=["call", "reporter"], name="moderation_report_once"),
            models.CheckConstraint(
                condition=Q(reason__in=ConductRule.values), name="moderation_report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="moderation_report_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="open"), name="moderation_report_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.call_id})"


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
    # What raised it ("message_filter", "transcript_scan") and what it found (a finding code).
    detector = models.CharField(_("detector"), max_length=40)
    finding = models.CharField(_("finding"), max_length=60)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
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
                condition=Q(status__in=CaseStatus.values), name="moderation_flag_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="open"), name="moderation_flag_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.detector}: {self.finding}"
