"""The notices page (the user's notices, newest first, unread ones marked) and the design
system's gallery."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock, selectors, services
from core.forms import GalleryForm
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


def design_gallery(request: HttpRequest) -> HttpResponse:
    """Every component of the design system on one page (docs/design.md), for the people who
    build the next pages: in `make run` (debug) and for staff; nobody else (404)."""
    if not (settings.DEBUG or request.user.is_staff):
        raise Http404
    now = clock.now()
    return render(
        request,
        "core/design.html",
        {
            "form": GalleryForm({"title": "", "amount": "12.5"}),
            # The states' own words, as the pages show them (core knows no app's models).
            "statuses": [
                ("active", _("Active")),
                ("delivered", _("Delivered")),
                ("completed", _("Completed")),
                ("cancelled", _("Cancelled")),
                ("requested", _("Requested")),
                ("paid", _("Paid")),
            ],
            "now": now,
            "yesterday": now - timedelta(days=1),
        },
    )
