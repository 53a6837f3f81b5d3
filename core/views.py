"""The notices page: the user's notices, newest first, unread ones marked."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import selectors, services
from core.notifications import render as render_notice
from core.pagination import NoticesNewestFirst, page_of
from core.rest import request_user


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = page_of(request, selectors.notifications_of(user), NoticesNewestFirst())
    rows = [{"notice": n, "rendered": render_notice(n)} for n in page.items]
    return render(request, "core/notifications.html", {"rows": rows, "page": page})


@login_required
def notification_open(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    """A notice's link: marks it read and goes where it points (the list if nowhere)."""
    user = request_user(request)
    notice = selectors.notification_for(user, notification_id)
    services.mark_notification_read(notice, actor=user)
    return redirect(render_notice(notice).url or "core:notifications")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    marked = services.mark_all_notifications_read(actor=request_user(request))
    if marked:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notifications")
