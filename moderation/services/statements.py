"""Statements of reasons (M-11, DSA Art. 17): every warning, restriction and ban is sent with
what was decided and for how long, the facts, the rule, whether automated detection was
involved and how to appeal — written once, in the member's language and time zone, stored
append-only and carried by the notice and its e-mail exactly as stored.

A restriction never names its review's end date (M-9): its duration is "until the review
ends", which is the truth without the date.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core import formatting
from moderation.models import (
    Ban,
    Case,
    ConductRule,
    DecisionKind,
    Flag,
    Review,
    Statement,
    UserWarning,
    WarningAction,
    WarningType,
)

# The signed link a banned member appeals through: they cannot log in (M-7).
APPEAL_LINK_SALT = "moderation.appeal"
EXCERPT = 200


@dataclass(frozen=True)
class Grounds:
    """What a sanction rests on, as the caller knows it: the facts in words (already in the
    member's language), the C-9 rule (a code, when one applies), whether automated detection
    raised it, and whether the system itself decided (a review's default outcome)."""

    facts: str = ""
    rule: str = ""
    detected: bool = False
    by_system: bool = False
    # The rule's warning type when the caller has it (a warning): no need to look it up.
    type: WarningType | None = None


def detected_in(*, message_id: int | None = None, call_id: Any = None) -> bool:
    """Automated detection (C-15) flagged this message or call."""
    if message_id is None and call_id is None:
        return False
    flags = Flag.objects.all()
    flags = flags.filter(message_id=message_id) if message_id else flags.filter(call_id=call_id)
    return flags.exists()


def evidence_facts(warning: UserWarning) -> str:
    """The warning's evidence as the member reads it (in the active language and zone)."""
    if warning.message is not None:
        body = warning.message.body
        quoted = body if len(body) <= EXCERPT else body[:EXCERPT] + "…"
        return _("Your message of %(when)s: “%(text)s”") % {
            "when": formatting.moment(warning.message.created_at),
            "text": quoted,
        }
    if warning.call is not None:
        return _("The video call “%(topic)s” of %(when)s.") % {
            "topic": warning.call.topic,
            "when": formatting.moment(warning.call.started_at or warning.call.created_at),
        }
    if warning.report is not None:
        return _("A report about you of %(when)s.") % {
            "when": formatting.moment(warning.report.created_at)
        }
    return ""


def case_facts(case: Case, user: User) -> str:
    """What a case from the queue rests on, as `user` reads it."""
    with _in_their_words(user):
        if case.message is not None:
            body = case.message.body
            return _("Your message of %(when)s: “%(text)s”") % {
                "when": formatting.moment(case.message.created_at),
                "text": body if len(body) <= EXCERPT else body[:EXCERPT] + "…",
            }
        if case.call is not None:
            return _("The video call “%(topic)s” of %(when)s.") % {
                "topic": case.call.topic,
                "when": formatting.moment(case.call.started_at or case.call.created_at),
            }
        return _("Reports from other members about your behaviour on the marketplace.")


def _rule_text(grounds: Grounds) -> str:
    """The C-9 rule with its terms (the seeded warning types carry them), by its type or its
    code."""
    code = grounds.rule
    if not code:
        return _("Our terms of service, which every member accepted when joining.")
    kind = grounds.type or WarningType.objects.filter(code=code).first()
    if kind is not None:
        return f"{kind.name}: {kind.rule}"
    return str(ConductRule(code).label) if code in ConductRule.values else code


def _automation(grounds: Grounds) -> str:
    if grounds.by_system:
        return _(
            "This decision was applied automatically: the review of your account ended without "
            "a decision within its time, and the default outcome applies."
        )
    if grounds.detected:
        return _(
            "Our automatic detection flagged the content; a member of our team looked at it and "
            "made this decision."
        )
    return _("No automated means were used: a member of our team made this decision.")


def statement_path(statement_id: str, *, banned: bool) -> str:
    """Where the member reads a statement and appeals: their account, or for a ban (no login)
    the signed link."""
    return (
        appeal_link(statement_id)
        if banned
        else reverse("moderation:statement", args=[statement_id])
    )


def _redress(user: User, statement_id: str, *, until: datetime, banned: bool) -> str:
    url = settings.SITE_URL + statement_path(statement_id, banned=banned)
    where = (
        _("through this link, without logging in: %(url)s")
        if banned
        else _("from this page in your account: %(url)s")
    )
    return _(
        "You can appeal this decision once, until %(until)s, %(where)s. A member of our team who "
        "did not take this decision looks at your appeal and tells you the result."
    ) % {"until": formatting.day(until), "where": where % {"url": url}}


def appeal_link(statement_id: str) -> str:
    token = signing.dumps({"statement": statement_id}, salt=APPEAL_LINK_SALT)
    return reverse("moderation:appeal_link", args=[token])


def _write(
    user: User,
    *,
    kind: DecisionKind,
    decided_by: User | None,
    decision: str,
    duration: str,
    grounds: Grounds,
    now: datetime,
    **decided: Any,
) -> Statement:
    statement = Statement(
        user=user,
        kind=kind,
        decided_by=decided_by,
        language=user.language,
        decision=decision,
        duration=duration,
        facts=grounds.facts
        or _("Our team found that your conduct on the marketplace broke the rule below."),
        rule=_rule_text(grounds),
        automated=grounds.detected or grounds.by_system,
        automation=_automation(grounds),
        created_at=now,
        appeal_until=now + timedelta(days=settings.APPEAL_DAYS),
        **decided,
    )
    statement.redress = _redress(
        user, str(statement.pk), until=statement.appeal_until, banned=kind == DecisionKind.BAN
    )
    statement.save(force_insert=True)
    return statement


@contextmanager
def _in_their_words(user: User) -> Iterator[None]:
    """The member's language and time zone, for everything written to them."""
    with translation.override(user.language), timezone.override(user.zone):
        yield


def warning_grounds(warning: UserWarning) -> Grounds:
    """What a warning rests on — its evidence in the member's words, its type, whether
    detection flagged the evidence — for its statement and a restriction it causes alike."""
    with _in_their_words(warning.user):
        return Grounds(
            facts=evidence_facts(warning),
            rule=warning.type.code,
            type=warning.type,
            detected=detected_in(message_id=warning.message_id, call_id=warning.call_id),
        )


def for_warning(warning: UserWarning, *, grounds: Grounds, now: datetime) -> Statement:
    user = warning.user
    with _in_their_words(user):
        caused = {
            WarningAction.REMINDER: _(
                "It is a reminder of our terms; your account is not limited."
            ),
            WarningAction.RESTRICTED: _(
                "Because of it, your account is restricted while we review it (see the separate "
                "statement)."
            ),
            WarningAction.ATTACHED: _("It was added to the open review of your account."),
        }[WarningAction(warning.action)]
        lookback = settings.WARNING_LOOKBACK_DAYS
        duration = (
            _(
                "The warning stays on your record and counts towards further measures for "
                "%(days)s days."
            )
            % {"days": lookback}
            if lookback
            else _("The warning stays on your record and counts towards further measures.")
        )
        return _write(
            user,
            kind=DecisionKind.WARNING,
            decided_by=warning.issued_by,
            decision=_("We issued a warning to your account: %(type)s. %(caused)s")
            % {"type": warning.type.name, "caused": caused},
            duration=duration,
            grounds=grounds,
            now=now,
            warning=warning,
        )


def for_restriction(review: Review, *, told: str, grounds: Grounds, now: datetime) -> Statement:
    user = review.user
    with _in_their_words(user):
        facts = " ".join(part for part in (told, grounds.facts) if part)
        return _write(
            user,
            kind=DecisionKind.RESTRICTION,
            decided_by=review.opened_by,
            decision=_(
                "Your account is restricted while we review it: you cannot place or receive new "
                "orders or message anyone but the other party of an active order, and your gigs "
                "are hidden. You can still finish your active orders and withdraw your funds."
            ),
            duration=_(
                "Until the review ends with a decision: your account is then restored or "
                "permanently banned, and we tell you which."
            ),
            grounds=replace(grounds, facts=facts, by_system=False),
            now=now,
            review=review,
        )


def for_ban(ban: Ban, *, grounds: Grounds, now: datetime) -> Statement:
    user = ban.user
    with _in_their_words(user):
        return _write(
            user,
            kind=DecisionKind.BAN,
            decided_by=ban.banned_by,
            decision=_(
                "Your account is permanently banned: you can no longer log in, your active "
                "orders are cancelled and their buyers refunded, your credit goes back to your "
                "card, and money you earned as a seller is held for %(days)s days, then offered "
                "to you through a withdrawal link."
            )
            % {"days": settings.BAN_HOLD_DAYS},
            duration=_("Permanent."),
            grounds=replace(
                grounds,
                facts=" ".join(part for part in (ban.reason, grounds.facts) if part),
                by_system=ban.banned_by_id is None,
            ),
            now=now,
            ban=ban,
        )


def notice_context(statement: Statement) -> dict[str, Any]:
    """What a sanction's notice carries of its statement: the sections exactly as stored (the
    e-mail prints them) and where the member reads it and appeals."""
    return {
        "statement": str(statement.pk),
        "statement_path": statement_path(
            str(statement.pk), banned=statement.kind == DecisionKind.BAN
        ),
        "sections": asdict(sections_of(statement)),
    }


@dataclass(frozen=True)
class Sections:
    decision: str
    duration: str
    facts: str
    rule: str
    automation: str
    redress: str


def sections_of(statement: Statement) -> Sections:
    return Sections(
        decision=statement.decision,
        duration=statement.duration,
        facts=statement.facts,
        rule=statement.rule,
        automation=statement.automation,
        redress=statement.redress,
    )
