"""What the calls app shows on other apps' pages (`core.slots`), and the slot its own call page
offers.

- Beside the conversation's message box (C-5): the video-camera button, enabled for a seller who
  may call the other party, otherwise switched off with the reason in words; an open call shows
  its Join link instead.
- On the earnings page (C-4): may this seller start calls, with their own figures — the same
  explainer as the button, without a particular buyer in mind.
- `CALL_PAGE`: sections other apps add to the call page (moderation's report form, C-10), since
  calls never imports moderation.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from calls import eligibility, selectors
from core import clock
from core.slots import fill_slot
from marketplace.models import Conversation
from marketplace.slots import CONVERSATION_COMPOSER, EARNINGS_PAGE

# The call page's slot; objects: `call`, `reader`.
CALL_PAGE = "call.page"


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


def _earnings_explainer(reader: User) -> dict[str, Any] | None:
    """The criteria as they apply to this seller (C-3 without the premium-buyer exception)."""
    decision = eligibility.may_start_calls(reader, now=clock.now())
    if decision is None:
        return None
    return {"decision": decision, "explanation": eligibility.explain(decision)}


fill_slot(
    CONVERSATION_COMPOSER,
    name="video_call",
    template="calls/_call_button.html",
    context=_call_button,
)
fill_slot(
    EARNINGS_PAGE, name="video_calls", template="calls/_earnings.html", context=_earnings_explainer
)
