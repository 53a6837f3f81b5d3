"""Moderation's pages: reporting a message, a member or a call (C-10, M-10), and the staff page
that opens a reported or flagged call's recording with a reason (C-12), and its signed
stream."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from calls import files
from calls import selectors as calls
from calls.models import Call
from core.errors import DomainError
from core.rest import request_user
from moderation import selectors, services
from moderation.forms import AppealForm, RecordingAccessForm, ReportForm
from moderation.models import Statement
from moderation.services import statements


@login_required
def report_target(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    """Report a message, a member or a call (M-10): what is reported, a reason and details.
    The same rules as the API: only what the reporter can see (404), not themselves (400),
    once while open (409), a few an hour (429) — a refusal shows on the form."""
    user = request_user(request)
    target = selectors.report_target(user, target_type, target_id)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.file_report(target, actor=user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.detail)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("Thank you. Our team has your report and will tell you what we decided."),
                )
                return redirect(_after_report(target))
        else:
            status = 400
    return render(
        request,
        "moderation/report.html",
        {
            "target": target,
            "form": form,
            "back_url": _after_report(target),
            "reported": selectors.open_report_by(user, target),
        },
        status=status,
    )


def _after_report(target: selectors.Target) -> str:
    if target.message is not None:
        return reverse("marketplace:conversation", args=[target.message.conversation_id])
    if target.call is not None:
        return reverse("calls:call", args=[target.call.pk])
    return reverse("marketplace:inbox")


@login_required
@require_POST
def report_call(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    call = calls.call_for(user, call_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
        return redirect(reverse("calls:call", args=[call.pk]) + "#report-call")
    try:
        services.report_call(call, actor=user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Thank you. Support has your report and will look into it."))
    return redirect("calls:call", call_id=call.pk)


@login_required
def staff_recording(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    if not user.is_staff:
        raise Http404
    call = get_object_or_404(Call, pk=call_id)
    grounds = services.grounds_for(call)
    form = RecordingAccessForm(request.POST or None)
    stream_url = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            token = services.open_recording(call, actor=user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.detail)
            status = error.status_code
        else:
            stream_url = reverse("moderation:recording_stream", args=[token])
    return render(
        request,
        "moderation/recording.html",
        {
            "call": call,
            "form": form,
            "stream_url": stream_url,
            "reports": len(grounds.reports),
            "flags": len(grounds.flags),
        },
        status=status,
    )


@login_required
def recording_stream(request: HttpRequest, token: str) -> HttpResponseBase:
    user = request_user(request)
    call = services.recording_by_link(token, viewer=user)
    try:
        recording = calls.readable_recording(call)
    except DomainError as error:
        return files.refusal(error)
    return files.serve_recording(request, recording)


# ---------------------------------------------------------------- statements and appeals
def _statement_page(
    request: HttpRequest, statement: Statement, *, member: User, link: bool
) -> HttpResponse:
    """A statement of reasons exactly as sent, with the appeal form while the member may
    appeal (M-11, M-12)."""
    appealable = services.may_appeal(statement)
    form = AppealForm(request.POST or None) if appealable else None
    status = 200
    if request.method == "POST":
        if form is None:
            status = 409 if hasattr(statement, "appeal") else 400
        elif form.is_valid():
            try:
                services.file_appeal(statement, user=member, text=form.cleaned_data["text"])
            except DomainError as error:
                form.add_error(None, error.detail)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("Thank you. Your appeal is with our team; we will tell you the result."),
                )
                return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "moderation/statement.html",
        {
            "statement": statement,
            "sections": statements.sections_of(statement),
            "appeal": getattr(statement, "appeal", None) if not appealable else None,
            "form": form,
            "link": link,
        },
        status=status,
    )


@login_required
def statement(request: HttpRequest, statement_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    return _statement_page(
        request, services.statement_of(user, statement_id), member=user, link=False
    )


def appeal_link(request: HttpRequest, token: str) -> HttpResponse:
    """A banned member cannot log in (M-7): the ban's e-mail carries a signed link to its
    statement and the appeal form. The form is there until the appeal time is over; the
    statement stays readable, as the e-mail that carries the link is."""
    try:
        claim = signing.loads(token, salt=statements.APPEAL_LINK_SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    found = Statement.objects.select_related("user").filter(pk=claim.get("statement")).first()
    if found is None:
        raise Http404
    return _statement_page(request, found, member=found.user, link=True)
