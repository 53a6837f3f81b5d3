from django.urls import path

from marketplace import views
from marketplace.models import GigStatus

app_name = "marketplace"

urlpatterns = [
    path("gigs/", views.gig_list, name="gigs"),
    path("gigs/mine/", views.my_gigs, name="my_gigs"),
    path("gigs/new/", views.gig_create, name="gig_create"),
    path("gigs/<int:gig_id>/", views.gig_detail, name="gig"),
    path("gigs/<int:gig_id>/edit/", views.gig_edit, name="gig_edit"),
    path(
        "gigs/<int:gig_id>/pause/",
        views.gig_set_status,
        {"status": GigStatus.PAUSED},
        name="gig_pause",
    ),
    path(
        "gigs/<int:gig_id>/resume/",
        views.gig_set_status,
        {"status": GigStatus.ACTIVE},
        name="gig_resume",
    ),
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
    # M-7: a banned seller's signed withdrawal link (no login).
    path("payout/<str:token>/", views.payout_window, name="payout_window"),
]
