"""The calls app's audit actions (the registry is `accounts.audit`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_action

CALL_STARTED = audit_action("calls.call_started", _("Call started"))
CALL_ENDED = audit_action("calls.call_ended", _("Call ended"))
PARTICIPANTS_INVITED = audit_action("calls.participants_invited", _("People invited to a call"))
