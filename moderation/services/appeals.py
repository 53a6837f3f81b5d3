"""Appeals (M-12, DSA Art. 20): a member contests a warning, a restriction or a ban once, within
`APPEAL_DAYS` of its statement; a reviewer who did not take the decision upholds or reverses
it, with a reason. A reversal undoes what the sanction did:

- a warning is withdrawn (kept, no longer counted by the escalation); a restriction it caused
  is lifted — an open review closes as restored, a ban its review ended in is lifted;
- a restriction is lifted the same way;
- a ban is lifted: the account is active again and the money held from it is released to the
  member's wallet, once (the hold ends once; the appeal is decided once).

Locks: the member's row first, as every sanction takes it, then the appeal.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.http import Http404

from accounts import audit as audit_log
from accounts import services as accounts
from accounts.models import Standing, User
from core import clock
from core.errors import Conflict, NotAllowed, error_for
from core.services import notify
from marketplace import services as marketplace
from marketplace.models import BalanceHold, HoldStatus
from moderation import audit, notices
from moderation.errors import (
    ALREADY_APPEALED,
    APPEAL_DECIDED,
    APPEAL_TOO_LATE,
    OWN_DECISION,
)
from moderation.models import (
    Appeal,
    AppealStatus,
    Ban,
    DecisionKind,
    Review,
    ReviewOutcome,
    ReviewStatus,
    Statement,
    UserWarning,
    WarningAction,
)
from moderation.permissions import DECIDE_APPEAL
from moderation.services.bans import settle_ban
from moderation.services.common import require_staff_power
from moderation.services.sanctions import _restore


def statement_of(user: User, statement_id: uuid.UUID | str) -> Statement:
    """The member's own statement of reasons; 404 for anyone else's."""
    try:
        statement: Statement = Statement.objects.get(pk=statement_id, user=user)
        return statement
    except (Statement.DoesNotExist, ValueError) as error:
        raise Http404 from error


def may_appeal(statement: Statement) -> bool:
    return not hasattr(statement, "appeal") and clock.now() <= statement.appeal_until


def file_appeal(statement: Statement, *, user: User, text: str) -> Appeal:
    """The member appeals their decision (the caller found it theirs: `statement_of`, or the
    signed link of a ban). Once per decision (409), within the time (400); they are told at
    once that it arrived."""
    if statement.user_id != user.pk:
        raise Http404
    now = clock.now()
    if now > statement.appeal_until:
        raise error_for(APPEAL_TOO_LATE)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                statement=statement, user=user, text=text.strip(), created_at=now
            )
            audit_log.record(
                audit.APPEAL_FILED,
                actor=user if user.standing != Standing.BANNED else None,
                target_user=user,
                obj=appeal,
                reason="",
                data={"statement": str(statement.pk), "decision": statement.kind},
            )
            notify(user, notices.APPEAL_RECEIVED, {"decision": statement.kind})
    except IntegrityError as error:
        raise Conflict(ALREADY_APPEALED) from error
    return appeal


def decide_appeal(appeal: Appeal, *, actor: User, outcome: str, reason: str) -> Appeal:
    """A reviewer — never the one who decided the sanction — upholds or reverses it."""
    require_staff_power(actor, DECIDE_APPEAL)
    outcome = AppealStatus(outcome)
    if outcome == AppealStatus.PENDING:
        raise ValueError("an appeal is decided as upheld or reversed")
    with transaction.atomic():
        member = User.objects.select_for_update(no_key=True).get(pk=appeal.user_id)
        appeal = Appeal.objects.select_for_update().select_related("statement").get(pk=appeal.pk)
        if appeal.status != AppealStatus.PENDING:
            raise Conflict(APPEAL_DECIDED)
        statement = appeal.statement
        if statement.decided_by_id == actor.pk:
            raise NotAllowed(OWN_DECISION)
        now = clock.now()
        reason = reason.strip()
        if outcome == AppealStatus.REVERSED:
            _reverse(statement, member, actor=actor, reason=reason)
        appeal.status, appeal.decided_by, appeal.decided_at = outcome, actor, now
        appeal.reason = reason
        appeal.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit_log.record(
            audit.APPEAL_DECIDED,
            actor=actor,
            target_user=member,
            obj=appeal,
            reason=reason,
            data={"outcome": outcome, "decision": statement.kind, "statement": str(statement.pk)},
        )
        kind = (
            notices.APPEAL_REVERSED if outcome == AppealStatus.REVERSED else notices.APPEAL_UPHELD
        )
        notify(member, kind, {"decision": statement.kind, "reason": reason})
    return appeal


def _reverse(statement: Statement, member: User, *, actor: User, reason: str) -> None:
    if statement.kind == DecisionKind.WARNING:
        warning = UserWarning.objects.get(statement=statement)
        UserWarning.objects.filter(pk=warning.pk).update(withdrawn_at=clock.now())
        if warning.action == WarningAction.RESTRICTED and warning.review is not None:
            _lift(warning.review, member, actor=actor, reason=reason)
    elif statement.kind == DecisionKind.RESTRICTION:
        _lift(Review.objects.get(statement=statement), member, actor=actor, reason=reason)
    else:
        _unban(Ban.objects.select_for_update().get(statement=statement), member, actor, reason)


def _lift(review: Review, member: User, *, actor: User, reason: str) -> None:
    """Undo a restriction: a review still open closes as restored (M-4's one outcome) and the
    member is active again; a review that already ended in a ban had no ground to stand on,
    so its ban is lifted too (account restored, held money released). Either way the review
    is marked reversed, so its restore is no repeat M-6 counts."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status == ReviewStatus.OPEN:
        _restore([(review, member)], actor=actor, reason=reason)
    elif review.outcome == ReviewOutcome.BAN:
        ban = Ban.objects.select_for_update().filter(review=review).first()
        if ban is not None:
            _unban(ban, member, actor, reason)
    Review.objects.filter(pk=review.pk).update(reversed_at=clock.now())


def _unban(ban: Ban, member: User, actor: User, reason: str) -> None:
    """The account is active again and what the ban held is released to the wallet. A ban not
    yet carried out is carried out first, so its money moves once, in order."""
    if ban.lifted_at is not None:
        return
    if ban.settled_at is None:
        ban = settle_ban(str(ban.pk))
    accounts.set_standing(
        member,
        actor=actor,
        standing=Standing.ACTIVE,
        reason=reason,
        action=audit.BAN_LIFTED,
        obj=ban,
        data={"appeal": True},
    )
    # The money the ban held: still held (or in its withdrawal window) goes back to the wallet;
    # a window that closed meanwhile left it unclaimed, which goes back too.
    hold = (
        BalanceHold.objects.filter(user=member, held_at__gte=ban.banned_at)
        .order_by("-held_at")
        .first()
    )
    if hold is not None and hold.status in BalanceHold.OPEN_STATUSES:
        marketplace.release_hold(hold, actor=actor, reason=reason)
    elif hold is not None and hold.status == HoldStatus.CLOSED:
        marketplace.return_unclaimed(hold, actor=actor, reason=reason)
    Ban.objects.filter(pk=ban.pk).update(lifted_at=clock.now())
