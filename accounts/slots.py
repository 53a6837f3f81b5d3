"""The accounts' page slots other apps fill (`core.slots`)."""

from __future__ import annotations

# Under the facts on the member's profile page; objects: `reader` (moderation: standing and
# warnings, M-8).
ACCOUNT_PAGE = "account.profile"
