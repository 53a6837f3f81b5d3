"""The demo's calls (README): Lena may call Bea, a call with Paul whose recording plays, and an
October call with Noah whose recording the expiry job deleted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from calls.eligibility import may_start_call
from calls.models import Call, RecordingStatus

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_the_demo_holds_a_playable_and_an_expired_recording_and_lena_may_call_bea():
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    people = {user.email.split("@")[0]: user for user in User.objects.all()}
    lena = people["seller"]
    assert may_start_call(lena, people["buyer"]).allowed
    recent, october = (
        Call.objects.filter(host=lena).select_related("recording").order_by("-ended_at")
    )
    assert Call.objects.count() == 2
    assert recent.recording.status == RecordingStatus.AVAILABLE
    assert Path(settings.RECORDINGS_ROOT, str(recent.recording.media.name)).exists()
    assert october.recording.status == RecordingStatus.DELETED
    assert october.ended_at is not None
    assert october.ended_at < timezone.now() - timedelta(days=39)
    assert october.recording.deleted_at is not None
    assert october.recording.media.name == ""
