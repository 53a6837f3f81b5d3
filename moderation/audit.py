"""Moderation's audit actions (the registry is `accounts.audit`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_action

CALL_REPORTED = audit_action("moderation.call_reported", _("Call reported"))
RECORDING_OPENED = audit_action("moderation.recording_opened", _("Call recording opened by staff"))
