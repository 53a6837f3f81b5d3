from django.urls import path

from marketplace import api

urlpatterns = [
    path("gigs/", api.GigListView.as_view(), name="gigs"),
    path("gigs/<int:gig_id>/", api.GigDetailView.as_view(), name="gig"),
    path("orders/", api.OrderListView.as_view(), name="orders"),
    path("orders/<uuid:order_id>/", api.OrderDetailView.as_view(), name="order"),
    path("orders/<uuid:order_id>/deliver/", api.OrderDeliverView.as_view(), name="order-deliver"),
    path("orders/<uuid:order_id>/accept/", api.OrderAcceptView.as_view(), name="order-accept"),
    path(
        "orders/<uuid:order_id>/request-revision/",
        api.OrderRevisionView.as_view(),
        name="order-request-revision",
    ),
    path("orders/<uuid:order_id>/cancel/", api.OrderCancelView.as_view(), name="order-cancel"),
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
]
