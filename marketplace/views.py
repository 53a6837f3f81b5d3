"""Marketplace pages: parse, select (404), call one service, redirect with a message."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core import formatting
from core.errors import DomainError
from core.http import refused
from core.pagination import NewestFirst, page_of
from core.rest import request_user
from core.slots import links_for, render_slot
from marketplace import history, money, order_states, permissions, selectors, services
from marketplace.forms import (
    ExtraFormSet,
    GigForm,
    MessageForm,
    OrderForm,
    TipForm,
    WithdrawalForm,
    extras_from,
)
from marketplace.models import Gig, GigStatus, Message
from marketplace.pagination import (
    ORDER_PAGES,
    ConversationsRecentFirst,
    MessagesNewestFirst,
    WalletPageEntries,
    WalletPageWithdrawals,
)
from marketplace.services.orders import SIMPLE_EVENTS, trigger
from marketplace.slots import CONVERSATION_COMPOSER, EARNINGS_PAGE, MEMBER_LINKS, MESSAGE_LINKS

_user = request_user


def gig_list(request: HttpRequest) -> HttpResponse:
    # Postgres cannot compare text holding NUL; the API refuses it (400), the page drops it.
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = page_of(request, selectors.public_gigs(search=search), NewestFirst())
    return render(request, "marketplace/gig_list.html", {"page": page, "q": search})


@login_required
def my_gigs(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = page_of(request, selectors.gigs_of(user), NewestFirst())
    decision = permissions.may_create_gig(user)
    return render(
        request,
        "marketplace/my_gigs.html",
        {"page": page, "refusal": None if decision else decision},
    )


def _gig_form_page(request: HttpRequest, *, gig: Gig | None) -> HttpResponse:
    """The create page (`gig` None) and the edit page: one form for the gig, one formset for its
    extras, then the one service that creates or updates."""
    user = _user(request)
    initial: dict[str, Any] = {}
    extras_initial: list[dict[str, Any]] = []
    if gig is not None:
        initial = {
            "title": gig.title,
            "description": gig.description,
            "base_price": money.to_decimal(gig.base_price_cents),
            "cover": gig.cover or None,
        }
        extras_initial = [
            {"name": e.name, "price": money.to_decimal(e.price_cents)} for e in gig.extras.all()
        ]
    form = GigForm(request.POST or None, request.FILES or None, initial=initial)
    extras = ExtraFormSet(request.POST or None, initial=extras_initial, prefix="extras")
    decision = permissions.may_create_gig(user)
    if request.method == "POST" and decision and form.is_valid() and extras.is_valid():
        cover = form.cleaned_data["cover"]  # False: "clear" was ticked
        fields = {
            "title": form.cleaned_data["title"],
            "description": form.cleaned_data["description"],
            "base_price_cents": money.to_cents(form.cleaned_data["base_price"]),
            "extras": extras_from(extras),
            "cover": cover or None,
        }
        try:
            saved = (
                services.create_gig(actor=user, **fields)
                if gig is None
                else services.update_gig(gig, actor=user, remove_cover=cover is False, **fields)
            )
        except DomainError as error:
            if error.code == "invalid_image":
                form.add_error("cover", error.detail)
            else:
                messages.error(request, error.detail)
        else:
            messages.success(request, _("Your gig has been saved."))
            return redirect("marketplace:gig", gig_id=saved.pk)
    return render(
        request,
        "marketplace/gig_form.html",
        {"gig": gig, "form": form, "extras": extras, "refusal": None if decision else decision},
        status=200 if decision else 403,
    )


@login_required
def gig_create(request: HttpRequest) -> HttpResponse:
    return _gig_form_page(request, gig=None)


@login_required
def gig_edit(request: HttpRequest, gig_id: int) -> HttpResponse:
    return _gig_form_page(request, gig=selectors.own_gig(_user(request), gig_id))


@login_required
@require_POST
def gig_set_status(request: HttpRequest, gig_id: int, status: str) -> HttpResponse:
    """Pause (allowed even while restricted) or resume a gig from the seller's list."""
    user = _user(request)
    gig = selectors.own_gig(user, gig_id)
    try:
        services.update_gig(gig, actor=user, status=GigStatus(status))
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request,
            _("The gig is paused.") if status == GigStatus.PAUSED else _("The gig is live again."),
        )
    return redirect("marketplace:my_gigs")


def gig_detail(request: HttpRequest, gig_id: int) -> HttpResponse:
    viewer = request.user if isinstance(request.user, User) else None
    gig = selectors.gig_for(viewer, gig_id)
    form = OrderForm(request.POST or None, gig=gig)
    if request.method == "POST":
        if viewer is None:
            return redirect(f"/accounts/login/?next={request.path}")
        if form.is_valid():
            try:
                order = services.place_order(
                    gig, actor=viewer, extra_ids=[int(i) for i in form.cleaned_data["extras"]]
                )
            except DomainError as error:
                messages.error(request, error.detail)
            else:
                messages.success(request, _("Your order has been placed."))
                return redirect("marketplace:order", order_id=order.id)
    decision = permissions.may_place_order(viewer, gig) if viewer else None
    refusal = decision if decision is not None and not decision.allowed else None
    member_links = (
        links_for(MEMBER_LINKS, member=gig.seller, reader=viewer)
        if viewer is not None and viewer.pk != gig.seller_id
        else []
    )
    return render(
        request,
        "marketplace/gig_detail.html",
        {"gig": gig, "form": form, "refusal": refusal, "member_links": member_links},
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role")
    role = role if role in selectors.ORDER_ROLES else None
    page = ORDER_PAGES.page(request, selectors.order_lists(_user(request), role=role))
    return render(request, "marketplace/order_list.html", {"page": page, "role": role})


@login_required
def order_detail(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    order = selectors.order_for(user, order_id)
    events = permissions.available_events(user, order)
    return render(
        request,
        "marketplace/order_detail.html",
        {
            "order": order,
            "tip_form": TipForm(),
            # A button per event the viewer may trigger now; a tip has its own form.
            "buttons": [order_states.rows_for(event)[0] for event in events if event != "tip"],
            "can_tip": "tip" in events,
        },
    )


@login_required
@require_POST
def order_action(request: HttpRequest, order_id: uuid.UUID, action: str) -> HttpResponse:
    user = _user(request)
    order = selectors.order_for(user, order_id)
    try:
        if action == "tip":
            form = TipForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for e in form.errors["amount"]))
                return redirect("marketplace:order", order_id=order.id)
            services.tip_order(
                order, actor=user, amount_cents=money.to_cents(form.cleaned_data["amount"])
            )
        elif order_states.event_of(action) in SIMPLE_EVENTS:
            trigger(order, actor=user, event=order_states.event_of(action))
        else:
            return HttpResponse(status=404)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        # Said as what happened ("Order delivered"), like the notice the other party gets.
        messages.success(request, str(order_states.rows_for(order_states.event_of(action))[0].done))
    return redirect("marketplace:order", order_id=order.id)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = page_of(request, selectors.conversations_of(user), ConversationsRecentFirst())
    rows = [
        {
            "conversation": c,
            "other": c.user_high if c.user_low_id == user.pk else c.user_low,
            "unread": c.unread_for(user.pk),
        }
        for c in page.items
    ]
    return render(request, "marketplace/inbox.html", {"rows": rows, "page": page})


@dataclass(frozen=True)
class ChatLine:
    """A message as the conversation shows it: `day_break` names the day (in the reader's time
    zone) when the message is the first of its day, "" otherwise; `day_key` is that day's ISO
    date; `mine` says the reader sent it."""

    message: Message
    day_key: str
    day_break: str
    mine: bool
    # What other apps offer under someone else's message (moderation's "Report").
    links: list[tuple[str, str]]


def _chat_lines(items: list[Message], reader: User, previous_day: str = "") -> list[ChatLine]:
    today = timezone.localdate()
    names = {today: _("Today"), today - timedelta(days=1): _("Yesterday")}
    lines = []
    for message in items:
        local = timezone.localdate(message.created_at)
        key = local.isoformat()
        starts = key != previous_day
        lines.append(
            ChatLine(
                message,
                key,
                (names.get(local) or formatting.day(local)) if starts else "",
                mine=message.sender_id == reader.pk,
                links=(
                    links_for(MESSAGE_LINKS, message=message, reader=reader)
                    if message.sender_id and message.sender_id != reader.pk
                    else []
                ),
            )
        )
        previous_day = key
    return lines


@login_required
def conversation(request: HttpRequest, conversation_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    convo = selectors.conversation_for(user, conversation_id)
    form = MessageForm(request.POST or None)
    refusal: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(convo, actor=user, body=form.cleaned_data["body"])
        except DomainError as error:
            messages.error(request, error.detail)
            refusal = error
        else:
            return redirect("marketplace:conversation", conversation_id=convo.id)
    services.mark_read(convo, actor=user)
    # Newest page first, shown oldest to newest; "earlier messages" walks back by keyset,
    # loaded above the shown ones in place (htmx) or as a page of its own without script.
    page = page_of(request, selectors.messages_in(convo), MessagesNewestFirst())
    shown = _chat_lines(page.items[::-1], user)
    context = {
        "conversation": convo,
        "lines": shown,
        "viewer": user,
        "earlier_url": page.next_url,
        # Only the newest page listens for new messages; an older page links forward.
        "live": page.previous_url is None,
        "last_id": shown[-1].message.id if shown else 0,
        "last_day": shown[-1].day_key if shown else "",
    }
    if request.GET.get("fragment") == "earlier" and request.headers.get("HX-Request"):
        return render(request, "marketplace/_messages.html", {**context, "live": False})
    other = convo.user_high if convo.user_low_id == user.pk else convo.user_low
    response = render(
        request,
        "marketplace/conversation.html",
        {
            **context,
            "page": page,
            "form": form,
            "other": other,
            "member_links": links_for(MEMBER_LINKS, member=other, reader=user),
            # What other apps put beside the message box (the calls app's camera button).
            "composer_actions": render_slot(
                CONVERSATION_COMPOSER, request, conversation=convo, reader=user
            ),
        },
    )
    return refused(response, refusal)


@login_required
def conversation_new_messages(request: HttpRequest, conversation_id: uuid.UUID) -> HttpResponse:
    """htmx polls this for messages after the last one shown (`day`: the day it was on)."""
    user = _user(request)
    convo = selectors.participant_conversation(user, conversation_id)
    after = request.GET.get("after", "0")
    day = request.GET.get("day", "")
    new = list(
        selectors.messages_in(convo).filter(id__gt=int(after) if after.isdigit() else 0)[:50]
    )
    if new:
        services.mark_read(convo, actor=user)
    lines = _chat_lines(new, user, previous_day=day)
    return render(
        request,
        "marketplace/_messages.html",
        {
            "lines": lines,
            "conversation": convo,
            "viewer": user,
            "live": True,
            "last_id": new[-1].id if new else after,
            "last_day": lines[-1].day_key if lines else day,
        },
    )


@login_required
def earnings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "marketplace/earnings.html",
        {
            "earnings": selectors.earnings_of(user),
            # What other apps explain with these figures (the calls app: may I call?).
            "panels": render_slot(EARNINGS_PAGE, request, reader=user),
        },
    )


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = WithdrawalForm(request.POST or None, initial={"idempotency_key": str(uuid.uuid4())})
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_funds(
                actor=user,
                amount_cents=money.to_cents(form.cleaned_data["amount"]),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("Your withdrawal is on its way."))
            return redirect("marketplace:wallet")
    entries = page_of(request, selectors.ledger_of(user), WalletPageEntries())
    withdrawals = page_of(request, selectors.withdrawals_of(user), WalletPageWithdrawals())
    return render(
        request,
        "marketplace/wallet.html",
        {
            "balances": selectors.balances(user),
            "form": form,
            "withdrawals": withdrawals,
            "withdrawal_rows": [(w, history.withdrawal_status(w)) for w in withdrawals.items],
            "entries": entries,
            "movements": [(entry, history.explain(entry)) for entry in entries.items],
        },
    )


@require_http_methods(["GET", "POST"])
def payout_window(request: HttpRequest, token: str) -> HttpResponse:
    """M-7: a banned seller's withdrawal link. It works without logging in (a banned account
    cannot), for the held balance only, once, while its 7 days last; the token is signed."""
    page = "marketplace/payout_window.html"
    try:
        hold = services.hold_for_token(token)
    except DomainError as error:
        return refused(render(request, page, {"refusal": error.error}), error)
    if request.method == "POST":
        try:
            withdrawal = services.withdraw_held_balance(token)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            return render(request, page, {"paid": withdrawal})
    window = selectors.payout_window(hold)
    return render(
        request,
        page,
        {"window": window, "refusal": window.refusal},
        status=window.refusal.status if window.refusal else 200,
    )
