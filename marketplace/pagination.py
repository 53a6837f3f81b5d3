"""The marketplace's list orders, on the shared keyset paginator (`core.pagination`)."""

from __future__ import annotations

from core.pagination import MergedNewestFirst, NewestFirst, OldestFirstById

# The order lists (buying, selling, or both merged), on the pages and in the API.
ORDER_PAGES = MergedNewestFirst("placed_at", prefetch=("extras",))
# The API's message list, oldest first, so a client appends pages as it reads on.
MESSAGE_PAGES = OldestFirstById()


class OrdersNewestFirst(NewestFirst):
    """What the API's schema shows for the order list: the same `cursor` parameter and page
    envelope as `ORDER_PAGES` answers with."""

    ordering = ("-placed_at", "-id")


class ConversationsRecentFirst(NewestFirst):
    ordering = ("-last_activity_at", "-id")


class MessagesInTimeOrder(NewestFirst):
    """What the API's schema shows for the message list: the `cursor` parameter and the page
    envelope that `MESSAGE_PAGES` answers with."""

    page_size = 50
    ordering = "id"


class MessagesNewestFirst(NewestFirst):
    """The conversation page: the latest messages first, then "earlier messages"."""

    page_size = 50


class WithdrawalsNewestFirst(NewestFirst):
    """The API's withdrawals (`cursor`, like every list)."""

    page_size = 10
    ordering = ("-created_at", "-id")


class EntriesNewestFirst(NewestFirst):
    """The API's ledger entries (`cursor`, like every list)."""

    page_size = 25


# The wallet page pages its two lists apart, so each has a cursor parameter of its own.
class WalletPageWithdrawals(WithdrawalsNewestFirst):
    cursor_query_param = "withdrawals"


class WalletPageEntries(EntriesNewestFirst):
    cursor_query_param = "entries"
