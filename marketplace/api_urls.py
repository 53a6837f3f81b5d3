from django.urls import path

from marketplace import api

urlpatterns = [
    path("gigs/", api.GigListView.as_view(), name="gigs"),
    path("gigs/<int:gig_id>/", api.GigDetailView.as_view(), name="gig"),
    path("orders/", api.OrderListView.as_view(), name="orders"),
    path("orders/<uuid:order_id>/", api.OrderDetailView.as_view(), name="order"),
    # The order's state table's events (marketplace.order_states).
    *(
        path(f"orders/<uuid:order_id>/{slug}/", view.as_view(), name=f"order-{slug}")
        for slug, view in api.ORDER_ACTION_VIEWS.items()
    ),
    path("orders/<uuid:order_id>/tip/", api.OrderTipView.as_view(), name="order-tip"),
    path("conversations/", api.ConversationListView.as_view(), name="conversations"),
    path(
        "conversations/<uuid:conversation_id>/",
        api.ConversationDetailView.as_view(),
        name="conversation",
    ),
    path(
        "conversations/<uuid:conversation_id>/messages/",
        api.MessageListView.as_view(),
        name="conversation-messages",
    ),
    path("earnings/", api.EarningsView.as_view(), name="earnings"),
    path("wallet/", api.WalletView.as_view(), name="wallet"),
    path("wallet/withdrawals/", api.WithdrawalCreateView.as_view(), name="withdrawals"),
    path("wallet/entries/", api.LedgerEntryListView.as_view(), name="wallet-entries"),
]
