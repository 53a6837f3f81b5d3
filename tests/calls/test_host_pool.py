"""The provider's host pool (issue: Zoom, point 2): meetings spread over the pool's host users,
at most VIDEO_HOST_DAILY_CREATES a host and UTC day, never two overlapping calls on one host,
booked under row locks so concurrent starts never share a host; an exhausted pool is a 503
with Retry-After and nothing written; support sees today's use in the admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from accounts.models import AuditEntry, User
from calls import services
from calls.errors import NoCallCapacity
from calls.models import Call, HostDay
from calls.providers import locmem as provider
from marketplace.models import Message
from marketplace.services.inbox import conversation_between
from tests.calls.conftest import sell
from tests.clients import as_user
from tests.concurrency import at_once, race
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def pool(settings) -> list[str]:
    hosts = ["host-a", "host-b"]
    settings.VIDEO_HOSTS = hosts
    settings.VIDEO_HOST_DAILY_CREATES = 100
    return hosts


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def buyers(n: int) -> list[User]:
    return [UserFactory.create() for _ in range(n)]


def start(seller: User, buyer: User, *, at: datetime | None = None) -> Call:
    conversation = conversation_between(seller, buyer)
    return services.start_call(conversation, actor=seller, scheduled_for=at)


def test_meetings_are_spread_over_the_pool(eligible_seller, pool, frozen):
    first, second = (start(eligible_seller, b) for b in buyers(2))
    assert {first.provider_host_id, second.provider_host_id} == {"host-a", "host-b"}
    sent = [request["host_id"] for request in provider.state.of("create_meeting")]
    assert sent == [first.provider_host_id, second.provider_host_id]
    assert sorted(HostDay.objects.values_list("host", "creates")) == [("host-a", 1), ("host-b", 1)]


def test_a_host_that_created_its_100_meetings_today_is_passed_over(eligible_seller, pool, frozen):
    HostDay.objects.create(host="host-a", day=NOW.date(), creates=100)
    (buyer,) = buyers(1)
    assert start(eligible_seller, buyer).provider_host_id == "host-b"
    assert HostDay.objects.get(host="host-a", day=NOW.date()).creates == 100


def test_a_new_utc_day_gives_every_host_its_100_again(eligible_seller, pool, frozen):
    HostDay.objects.create(host="host-a", day=NOW.date(), creates=100)
    HostDay.objects.create(host="host-b", day=NOW.date(), creates=100)
    (buyer,) = buyers(1)
    with pytest.raises(NoCallCapacity):
        start(eligible_seller, buyer)
    with time_machine.travel(datetime(2026, 12, 8, 0, 0, 1, tzinfo=UTC), tick=False):
        assert start(eligible_seller, buyer).provider_host_id == "host-a"


def test_overlapping_calls_never_share_a_host(eligible_seller, settings, frozen):
    settings.VIDEO_HOSTS = ["host-a"]
    one, two, three = buyers(3)
    first = start(eligible_seller, one)  # 10:00-10:40
    with pytest.raises(NoCallCapacity) as refused:
        start(eligible_seller, two, at=NOW + timedelta(minutes=30))
    assert refused.value.retry_after == 40 * 60  # when the first call's window ends
    later = start(eligible_seller, three, at=first.planned_end_at)  # back to back is fine
    assert later.provider_host_id == first.provider_host_id == "host-a"


def test_a_live_call_holds_its_host_past_its_planned_end(eligible_seller, buyer, settings, frozen):
    settings.VIDEO_HOSTS = ["host-a"]
    call = start(eligible_seller, buyer)
    services.join_call(call, actor=buyer)
    (other,) = buyers(1)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False), pytest.raises(NoCallCapacity):
        start(eligible_seller, other)
    services.end_call(call, actor=buyer)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert start(eligible_seller, other).provider_host_id == "host-a"


def test_an_exhausted_pool_is_503_with_retry_after_and_writes_nothing(
    eligible_seller, buyer, pool, frozen
):
    for host in pool:
        HostDay.objects.create(host=host, day=NOW.date(), creates=100)
    audit_before = AuditEntry.objects.count()
    url = f"/api/conversations/{conversation_between(eligible_seller, buyer).pk}/calls/"
    response = as_user(eligible_seller).post(url, {}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "no_call_capacity"
    assert response["Retry-After"] == "3600"  # midnight UTC is 14 hours away: at most an hour
    assert not Call.objects.exists()
    assert not Message.objects.filter(kind="call_invitation").exists()
    assert AuditEntry.objects.count() == audit_before
    assert provider.state.of("create_meeting") == []
    assert sum(HostDay.objects.values_list("creates", flat=True)) == 200


def test_without_a_pool_the_backend_hosts_everything(eligible_seller, buyer, settings):
    settings.VIDEO_HOSTS = []
    call = start(eligible_seller, buyer)
    assert call.provider_host_id == ""
    assert provider.state.of("create_meeting")[0]["host_id"] is None
    assert not HostDay.objects.exists()


@race
def test_concurrent_starts_never_overbook_the_pool(seller, settings):
    settings.VIDEO_HOSTS = ["host-a", "host-b"]
    people = buyers(5)
    sell(seller, people[0])  # eligible: a recent sale

    def attempt(buyer: User) -> str:
        try:
            return start(seller, buyer).provider_host_id
        except NoCallCapacity:
            return "refused"

    results = at_once(*(lambda b=b: attempt(b) for b in people))
    booked = sorted(r for r in results if r != "refused")
    assert booked == ["host-a", "host-b"]
    assert results.count("refused") == 3
    assert sum(HostDay.objects.values_list("creates", flat=True)) == 2
    assert Call.objects.count() == 2


def test_support_sees_todays_use_of_the_pool(eligible_seller, pool, support_agent, frozen):
    (buyer,) = buyers(1)
    start(eligible_seller, buyer)
    client = Client()
    client.force_login(support_agent)
    page = client.get("/admin/calls/hostday/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="pool-today"' in html
    assert "1 / 100" in html  # the host that took the call
    assert "0 / 100" in html  # the other one, unused today


def test_the_zoom_backend_refuses_to_start_without_its_secrets_and_hosts(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.VIDEO_BACKEND = "calls.providers.zoom.ZoomVideoBackend"
    settings.ZOOM_CLIENT_SECRET = ""
    settings.VIDEO_HOSTS = []
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert "ZOOM_CLIENT_SECRET is not set" in str(refused.value)
    assert "VIDEO_HOSTS lists no host user" in str(refused.value)
    settings.ZOOM_ACCOUNT_ID = settings.ZOOM_CLIENT_ID = "x"
    settings.ZOOM_CLIENT_SECRET = settings.ZOOM_WEBHOOK_SECRET = "y"
    settings.VIDEO_HOSTS = ["host-a"]
    call_command("check")  # configured: no error


def test_a_call_joined_early_holds_its_host_now(eligible_seller, settings, frozen):
    settings.VIDEO_HOSTS = ["host-a"]
    one, two = buyers(2)
    later = start(eligible_seller, one, at=NOW + timedelta(hours=1))  # 11:00-11:40
    services.join_call(later, actor=one)  # joined at 10:00: live now
    with pytest.raises(NoCallCapacity):
        start(eligible_seller, two)  # 10:00-10:40 would share the host with a running call
    tomorrow = start(eligible_seller, two, at=NOW + timedelta(days=1))
    assert tomorrow.provider_host_id == "host-a"  # a live call does not hold tomorrow
