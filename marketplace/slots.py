"""The marketplace's page slots other apps fill (`core.slots`)."""

from __future__ import annotations

# Beside the conversation's message box; objects: `conversation`, `reader`.
CONVERSATION_COMPOSER = "conversation.composer"
# Under the seller's figures on the earnings page; objects: `reader`.
EARNINGS_PAGE = "earnings"
