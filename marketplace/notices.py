"""The marketplace's notification kinds (the registry is `core.notifications`): one per row
of the order's state table, telling the other party what happened."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from core.notifications import NotificationKind, notification_kind
from marketplace import order_states


def _order_url(context: Mapping[str, Any]) -> str:
    return reverse("marketplace:order", args=[context["order"]])


ORDER_NOTICES: dict[str, NotificationKind] = {
    row.happened: notification_kind(row.notice_key, title=row.done, text=row.notice, url=_order_url)
    for row in order_states.TRANSITIONS
}
