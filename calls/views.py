"""The calls pages: start a call from the conversation (C-5), the call page (time, people,
Join, invite, the recording's player, what other apps add), the join link, the local backend's
call room, the recording's files for participants — and Zoom's webhook endpoint."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from calls import files, selectors, services, webhooks
from calls.forms import InviteForm, StartCallForm, SummaryForm
from calls.models import CallStatus, Recording, RecordingStatus
from calls.pages import CALL_PAGE
from core import clock
from core.errors import DomainError
from core.rest import request_user
from core.slots import render_slot
from marketplace import selectors as marketplace_selectors
from marketplace import services as marketplace_services


@login_required
@require_POST
def start(request: HttpRequest, conversation_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    conversation = marketplace_selectors.participant_conversation(user, conversation_id)
    back = reverse("marketplace:conversation", args=[conversation.pk])
    form = StartCallForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    try:
        call = services.start_call(
            conversation,
            actor=user,
            scheduled_for=form.cleaned_data["scheduled_for"],
            topic=form.cleaned_data["topic"],
        )
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect(back)
    messages.success(request, _("Your call is set up: join it from the invitation below."))
    return redirect(f"{back}#call-{call.pk}")


def _page(
    request: HttpRequest,
    call_id: uuid.UUID,
    invite: InviteForm | None = None,
    summary_form: SummaryForm | None = None,
) -> HttpResponse:
    user = request_user(request)
    call = selectors.call_for(user, call_id)
    now = clock.now()
    recording = Recording.objects.filter(call=call).first()
    playable = (
        recording is not None
        and recording.status == RecordingStatus.AVAILABLE
        and not recording.is_expired(now)
    )
    return render(
        request,
        "calls/call.html",
        {
            "call": call,
            "participants": selectors.participants_of(call),
            "recording": recording,
            "playable": playable,
            "expired": recording is not None
            and (recording.is_expired(now) or recording.status == RecordingStatus.DELETED),
            "is_host": call.host_id == user.pk,
            "invite_form": invite or InviteForm(),
            # C-13: the seller is asked to note what was agreed, on the order the call is about.
            "summary_form": summary_form or SummaryForm(),
            "ask_summary": call.status == CallStatus.ENDED
            and call.host_id == user.pk
            and call.order_id is not None,
            # What other apps add (moderation: the report form).
            "panels": render_slot(CALL_PAGE, request, call=call, reader=user),
            "ended": call.status == CallStatus.ENDED,
        },
        status=400 if any(form and form.errors for form in (invite, summary_form)) else 200,
    )


@login_required
def call(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    return _page(request, call_id)


@login_required
def join(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    """The join link: a logged-in participant is sent on to the provider's meeting."""
    user = request_user(request)
    call = selectors.call_for(user, call_id)
    try:
        url = services.join_call(call, actor=user)
    except DomainError as error:
        messages.info(request, error.detail)
        return redirect("calls:call", call_id=call.pk)
    return redirect(url)


@login_required
def room(request: HttpRequest, meeting_id: str) -> HttpResponse:
    """The `local` backend's meeting: each participant lands here, either one ends the call."""
    user = request_user(request)
    call = selectors.call_by_meeting(user, meeting_id)
    if call.status == CallStatus.ENDED:
        return redirect("calls:call", call_id=call.pk)
    return render(
        request,
        "calls/room.html",
        {"call": call, "participants": selectors.participants_of(call)},
    )


@login_required
@require_POST
def end(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    services.end_call(selectors.call_for(user, call_id), actor=user)
    messages.success(request, _("The call has ended."))
    return redirect("calls:call", call_id=call_id)


@login_required
@require_POST
def invite(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    call = selectors.call_for(user, call_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            added = services.invite_participants(
                call, actor=user, emails=form.cleaned_data["emails"]
            )
        except services.InviteError as error:
            form.add_problems(error.problems)
        except DomainError as error:
            messages.error(request, error.detail)
            return redirect("calls:call", call_id=call.pk)
        else:
            messages.success(
                request,
                _("Invited: %(names)s.") % {"names": ", ".join(p.user.display_name for p in added)},
            )
            return redirect("calls:call", call_id=call.pk)
    return _page(request, call_id, invite=form)


def _file(request: HttpRequest, call_id: uuid.UUID, *, transcript: bool) -> HttpResponseBase:
    try:
        recording = selectors.recording_for(request_user(request), call_id)
    except DomainError as error:
        return files.refusal(error)
    return files.serve_recording(request, recording, transcript=transcript)


@login_required
def recording_file(request: HttpRequest, call_id: uuid.UUID) -> HttpResponseBase:
    return _file(request, call_id, transcript=False)


@login_required
def transcript_file(request: HttpRequest, call_id: uuid.UUID) -> HttpResponseBase:
    return _file(request, call_id, transcript=True)


@login_required
@require_POST
def summary(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    """C-13: the seller's summary of the call, as a note on the order."""
    user = request_user(request)
    call = selectors.call_for(user, call_id)
    form = SummaryForm(request.POST)
    if call.order is None or call.host_id != user.pk:
        raise Http404
    if not form.is_valid():
        return _page(request, call_id, summary_form=form)
    try:
        marketplace_services.add_order_note(
            call.order, actor=user, body=form.cleaned_data["summary"], about="call"
        )
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("calls:call", call_id=call.pk)
    messages.success(request, _("Your summary is on the order, for both of you to see."))
    return redirect("marketplace:order", order_id=call.order_id)


# The product's one CSRF-exempt view: Zoom cannot send our CSRF token; the signature over the
# raw body, checked before anything else is read, is what proves the request is Zoom's.
@csrf_exempt
@require_POST
def zoom_webhook(request: HttpRequest) -> HttpResponse:
    """Zoom's events: verified, logged once, answered at once; the work runs in a task."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > webhooks.MAX_BODY_BYTES:
        return JsonResponse({"detail": "The body is too large.", "code": "too_large"}, status=400)
    body = request.body
    secret = settings.ZOOM_WEBHOOK_SECRET
    try:
        if len(body) > webhooks.MAX_BODY_BYTES:
            raise webhooks.Refused(400, "too_large", "The body is too large.")
        webhooks.verify(
            body,
            signature_header=request.headers.get("x-zm-signature"),
            timestamp_header=request.headers.get("x-zm-request-timestamp"),
            secret=secret,
            now=clock.now().timestamp(),
            tolerance_seconds=settings.ZOOM_WEBHOOK_TOLERANCE_SECONDS,
        )
        data = webhooks.load(body)
        if data["event"] == webhooks.URL_VALIDATION:
            return JsonResponse(webhooks.url_validation_answer(data, secret))
        notice = webhooks.notice_of(data)
    except webhooks.Refused as refused:
        return JsonResponse({"detail": refused.detail, "code": refused.code}, status=refused.status)
    if notice is None:
        return JsonResponse({"status": "ignored"})
    services.record_provider_event(notice)
    return JsonResponse({"status": "received"})
