"""What moderation tells the user (M-8): a notice in the account and an e-mail, in their
language, for every warning, restriction, outcome, ban and payout window. None of them names a
review's end date (M-9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.formatting import money
from core.notifications import notification_kind
from moderation.models import ConductRule


def _profile_url(context: Mapping[str, Any]) -> str:
    return reverse("accounts:profile")


def _statement_url(context: Mapping[str, Any]) -> str:
    """The statement of reasons (M-11), where the member reads it and appeals; notices sent
    before statements existed point to the account page."""
    return str(context.get("statement_path") or reverse("accounts:profile"))


# A sanction's e-mail carries its statement of reasons, section by section, as stored.
SANCTION_EMAIL = "moderation/email/sanction.txt"


def _payout_url(context: Mapping[str, Any]) -> str:
    return reverse("marketplace:payout_window", args=[context["token"]])


WARNED = notification_kind(
    "moderation.warned",
    title=_("You received a warning: %(type)s"),
    text=_(
        "%(rule)s Please keep to our terms of service: repeated violations lead to a "
        "restriction of your account."
    ),
    url=_statement_url,
    email_template=SANCTION_EMAIL,
)
RESTRICTED = notification_kind(
    "moderation.restricted",
    title=_("Your account is restricted while we review it"),
    text=_(
        "%(reason)s You can still log in, finish your active orders, talk to the other party of "
        "an active order, withdraw your funds and see your order history. You cannot place or "
        "receive new orders or message anyone else, and your gigs are hidden. At the end of the "
        "review your account is either restored or permanently banned; we will tell you."
    ),
    url=_statement_url,
    email_template=SANCTION_EMAIL,
)
RESTORED = notification_kind(
    "moderation.restored",
    title=_("Your account has been restored"),
    text=_(
        "The review is over and your account is active again. Repeating the same violation "
        "restricts it again."
    ),
    url=_profile_url,
)
BANNED = notification_kind(
    "moderation.banned",
    title=_("Your account has been permanently banned"),
    text=_(
        "%(reason)s You can no longer log in. Your active orders are cancelled and their buyers "
        "refunded; credit you hold is refunded to your card. If you earned money as a seller, "
        "it is held for %(hold_days)s days; then we e-mail you a link to withdraw it."
    ),
    url=_statement_url,
    email_template=SANCTION_EMAIL,
)
PAYOUT_WINDOW = notification_kind(
    "moderation.payout_window",
    title=_("Withdraw your remaining balance within %(days)s days"),
    text=_(
        "%(amount)s is waiting for you. Use the link to withdraw it to your payout account; no "
        "login is needed. After %(days)s days the link stops working and the rest is forfeited."
    ),
    url=_payout_url,
    values=lambda context: {"amount": money(context["amount_cents"])},
)

# What a reporter reported, as the notices say it (accusative in German: "… haben Sie %s
# gemeldet").
_TARGET_WORDS = {
    "message": _("the message"),
    "user": _("the member"),
    "call": _("the call"),
}


def _report_values(context: Mapping[str, Any]) -> Mapping[str, Any]:
    return {
        "target": _TARGET_WORDS[context["target_type"]],
        "reason": ConductRule(context["reason"]).label,
    }


# DSA Art. 16: whoever reports gets a confirmation at once and the decision later — what was
# decided about their report, never the details of another member's sanction.
REPORT_RECEIVED = notification_kind(
    "moderation.report_received",
    title=_("We received your report"),
    text=_(
        "Thank you for reporting %(target)s (%(reason)s). Our team will look at it and tell you "
        "what we decided."
    ),
    values=_report_values,
)
REPORT_ACTIONED = notification_kind(
    "moderation.report_actioned",
    title=_("We acted on your report"),
    text=_(
        "We looked at %(target)s you reported (%(reason)s) and found a violation of our terms. "
        "We took action against the account concerned. Thank you for helping keep the "
        "marketplace safe."
    ),
    values=_report_values,
)
REPORT_DISMISSED = notification_kind(
    "moderation.report_dismissed",
    title=_("We reviewed your report"),
    text=_(
        "We looked at %(target)s you reported (%(reason)s) and found no violation of our terms, "
        "so we took no action. If you disagree, reply to this e-mail or report it again with "
        "more details."
    ),
    values=_report_values,
)


# M-12: an appeal is confirmed at once and answered with its outcome and reason.
_DECISION_WORDS = {
    "warning": _("the warning"),
    "restriction": _("the restriction of your account"),
    "ban": _("the ban of your account"),
}


def _decision_values(context: Mapping[str, Any]) -> Mapping[str, Any]:
    return {"decision": _DECISION_WORDS[context["decision"]]}


APPEAL_RECEIVED = notification_kind(
    "moderation.appeal_received",
    title=_("We received your appeal"),
    text=_(
        "Thank you. A member of our team who did not take the decision will look at your appeal "
        "against %(decision)s and tell you the result."
    ),
    values=_decision_values,
)
APPEAL_UPHELD = notification_kind(
    "moderation.appeal_upheld",
    title=_("Your appeal was not successful"),
    text=_("We looked at your appeal against %(decision)s again and upheld it: %(reason)s"),
    values=_decision_values,
)
APPEAL_REVERSED = notification_kind(
    "moderation.appeal_reversed",
    title=_("Your appeal was successful"),
    text=_(
        "We reversed %(decision)s and undid what it caused: %(reason)s We are sorry for the "
        "trouble."
    ),
    values=_decision_values,
)
