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


def _profile_url(context: Mapping[str, Any]) -> str:
    return reverse("accounts:profile")


def _payout_url(context: Mapping[str, Any]) -> str:
    return reverse("marketplace:payout_window", args=[context["token"]])


WARNED = notification_kind(
    "moderation.warned",
    title=_("You received a warning: %(type)s"),
    text=_(
        "%(rule)s Please keep to our terms of service: repeated violations lead to a "
        "restriction of your account."
    ),
    url=_profile_url,
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
    url=_profile_url,
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
