"""The marketplace's page slots other apps fill (`core.slots`)."""

from __future__ import annotations

# Beside the conversation's message box; objects: `conversation`, `reader`.
CONVERSATION_COMPOSER = "conversation.composer"
# Under the seller's figures on the earnings page; objects: `reader`.
EARNINGS_PAGE = "earnings"
# Links (`core.slots.fill_link`) under each message of someone else; objects: `message`, `reader`.
MESSAGE_LINKS = "conversation.message"
# Links beside another member's name (a conversation's head, a gig's seller); objects: `member`,
# `reader`.
MEMBER_LINKS = "member"
