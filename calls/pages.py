"""What the calls app adds to other pages, and the seam its own call page offers.

- The video-camera button beside the conversation's message box (C-5), as a composer action
  (`marketplace.composer`): enabled for a seller who may call the other party, otherwise
  disabled with the reason in words; an open call shows its Join link instead.
- `CALL_PAGE_PANELS`: sections other apps add to the call page (moderation's report form, C-10),
  since calls never imports moderation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from calls import eligibility, selectors
from calls.models import Call
from core.registry import Registry
from marketplace.composer import composer_action
from marketplace.models import Conversation


def _call_button(conversation: Conversation, reader: User) -> dict[str, Any]:
    # The page loaded both people with the conversation.
    other = (
        conversation.user_high if conversation.user_low_id == reader.pk else conversation.user_low
    )
    decision = eligibility.may_start_call(reader, other)
    return {
        "decision": decision,
        "explanation": eligibility.explain(decision, other=other),
        "open_call": selectors.open_call_in(conversation),
        "other": other,
        "button_label": _("Start a video call with %(name)s") % {"name": other.display_name},
    }


composer_action("video_call", template="calls/_call_button.html", context=_call_button)


@dataclass(frozen=True)
class CallPagePanel:
    name: str
    template: str
    # The template's context for the call and its reader; None hides the panel.
    context: Callable[[Call, User], dict[str, Any] | None]


CALL_PAGE_PANELS: Registry[CallPagePanel] = Registry("call page panel")


def call_page_panel(
    name: str, *, template: str, context: Callable[[Call, User], dict[str, Any] | None]
) -> CallPagePanel:
    return CALL_PAGE_PANELS.add(name, CallPagePanel(name, template, context))
