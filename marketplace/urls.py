from django.urls import path

from marketplace import views

app_name = "marketplace"

urlpatterns = [
    path("gigs/", views.gig_list, name="gigs"),
    path("gigs/<int:gig_id>/", views.gig_detail, name="gig"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order"),
    path("orders/<uuid:order_id>/<slug:action>/", views.order_action, name="order_action"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:conversation_id>/", views.conversation, name="conversation"),
    path(
        "inbox/<uuid:conversation_id>/new/",
        views.conversation_new_messages,
        name="conversation_new",
    ),
    path("earnings/", views.earnings, name="earnings"),
    path("wallet/", views.wallet, name="wallet"),
]
