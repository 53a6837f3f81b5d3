"""C-12 on the staff page (linked from the admin's call page): a reviewer says why, the opening
is audited once, the player streams from a link for them alone; everyone else is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from accounts.models import AuditEntry
from calls import services
from moderation import services as moderation
from moderation.models import Report
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(start_call, buyer, django_capture_on_commit_callbacks):
    call = start_call()
    services.join_call(call, actor=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        call = services.end_call(call, actor=buyer)
    moderation.report_call(call, actor=buyer, reason="threats", details="said he would find me")
    return call


def test_a_reviewer_opens_a_reported_calls_recording_with_a_reason(reported, reviewer):
    url = f"/moderation/calls/{reported.pk}/recording/"
    client = client_for(reviewer)
    form = client.get(url)
    assert form.status_code == 200
    assert "Why do you open this recording?" in form.content.decode()
    assert "Reports: 1, flags: 0." in form.content.decode()
    empty = client.post(url, {"reason": ""})
    assert "This field is required." in empty.content.decode()
    assert not AuditEntry.objects.filter(action="moderation.recording_opened").exists()
    page = client.post(url, {"reason": "report about threats"}).content.decode()
    assert 'data-testid="staff-player"' in page
    stream = page.split('data-testid="staff-player"')[0].rsplit('src="', 1)[1].split('"')[0]
    played = client.get(stream)
    assert played.status_code == 200
    assert b"".join(played.streaming_content)[:4] == b"RIFF"
    entry = AuditEntry.objects.get(action="moderation.recording_opened")
    assert (entry.actor_id, entry.reason, entry.object_id) == (
        reviewer.pk,
        "report about threats",
        str(reported.pk),
    )


def test_support_agents_are_refused_and_users_see_nothing(reported, support_agent, buyer):
    url = f"/moderation/calls/{reported.pk}/recording/"
    refused = client_for(support_agent).post(url, {"reason": "curious"})
    assert refused.status_code == 403
    assert 'data-testid="staff-player"' not in refused.content.decode()
    assert client_for(buyer).get(url).status_code == 404  # a participant, but not staff
    assert not AuditEntry.objects.filter(action="moderation.recording_opened").exists()


def test_after_30_days_the_page_says_it_is_gone(reported, reviewer):
    assert reported.ended_at is not None
    with time_machine.travel(reported.ended_at + timedelta(days=30, seconds=1), tick=False):
        response = client_for(reviewer).post(
            f"/moderation/calls/{reported.pk}/recording/", {"reason": "late look"}
        )
    assert response.status_code == 410
    assert "deleted 30 days after the call ended" in response.content.decode()


def test_a_tampered_stream_link_is_404(reported, reviewer):
    assert client_for(reviewer).get("/moderation/recordings/not-a-token/").status_code == 404


def test_a_report_needs_a_chosen_reason_and_details(start_call, buyer):
    call = start_call()
    client = client_for(buyer)
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert '<option value="" selected>Choose what happened</option>' in page
    url = f"/moderation/calls/{call.pk}/report/"
    response = client.post(url, {"reason": "", "details": ""})
    follow = client.get(response.url).content.decode()
    assert "What happened?: This field is required." in follow
    assert "Details: This field is required." in follow
    assert not Report.objects.exists()
    client.post(f"/moderation/calls/{call.pk}/report/", {"reason": "threats", "details": "x"})
    again = client.post(
        f"/moderation/calls/{call.pk}/report/", {"reason": "threats", "details": "y"}
    )
    assert (
        "You have already reported this; support is looking into it."
        in client.get(again.url).content.decode()
    )
    assert Report.objects.count() == 1


def test_a_call_case_links_its_recording_for_reviewers_only_and_it_opens_concealed(
    reported, reviewer, support_agent
):
    from moderation.models import Case

    case = Case.objects.get(call=reported)
    page = f"/admin/moderation/case/{case.pk}/change/"
    as_reviewer = client_for(reviewer).get(page).content.decode()
    assert 'data-testid="case-recording"' in as_reviewer
    as_agent = client_for(support_agent).get(page).content.decode()
    assert 'data-testid="case-recording"' not in as_agent
    assert "Only trust-and-safety reviewers open recordings." in as_agent
    opened = client_for(reviewer).post(
        f"/moderation/calls/{reported.pk}/recording/", {"reason": "the case's report"}
    )
    html = opened.content.decode()
    # M-10: blurred and muted until the reviewer reveals it (static/js/reveal.js).
    assert 'data-concealed data-testid="concealed-media"' in html
    assert "muted" in html.split('data-testid="staff-player"')[0].rsplit("<", 1)[1]
    assert "js/reveal.js" in html
