"""The audit log's registry of actions, `target_user` on every entry that concerns a user, and
"everything that concerns user X"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import audit, selectors
from accounts.audit import AuditAction
from accounts.models import AuditEntry
from marketplace import services
from marketplace.audit import GIG_UPDATED
from tests.clients import client_for
from tests.factories import make_available_funds, make_gig

pytestmark = pytest.mark.django_db


def test_only_declared_actions_are_recorded(buyer):
    with pytest.raises(ValueError, match="not a declared audit action"):
        audit.record(AuditAction("made.up", "Made up"), actor=None, target_user=buyer)
    assert not AuditEntry.objects.filter(action="made.up").exists()


def test_every_stored_action_has_a_label(buyer, seller):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    services.cancel_order(order, actor=seller)
    for name in AuditEntry.objects.values_list("action", flat=True).distinct():
        assert name in audit.ACTIONS, name
    assert audit.label_of("marketplace.order_cancelled") == "Order cancelled"


def test_order_transitions_concern_the_other_party(buyer, seller):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    services.deliver_order(order, actor=seller)
    entries = dict(
        AuditEntry.objects.filter(object_id=str(order.id)).values_list("action", "target_user")
    )
    assert entries == {
        "marketplace.order_placed": seller.pk,
        "marketplace.order_delivered": buyer.pk,
    }


def test_gig_updates_and_withdrawal_outcomes_concern_the_seller(
    seller, django_capture_on_commit_callbacks
):
    gig = make_gig(seller)
    services.update_gig(gig, actor=seller, title="Better title")
    make_available_funds(seller, 3000)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_funds(actor=seller, amount_cents=3000, idempotency_key="w")
    for action in (
        "marketplace.gig_updated",
        "marketplace.withdrawal_requested",
        "marketplace.withdrawal_paid",
    ):
        assert AuditEntry.objects.get(action=action).target_user == seller


def test_everything_that_concerns_a_user_newest_first(buyer, seller, outsider, reviewer):
    order = services.place_order(make_gig(seller), actor=buyer, extra_ids=[])
    services.cancel_order(order, actor=seller)
    services.place_order(make_gig(outsider, title="Other"), actor=reviewer, extra_ids=[])
    trail = list(selectors.audit_trail_of(buyer))
    # What they did (placing) and what was done to them (the seller's cancellation), not the
    # other users' order.
    assert [entry.action for entry in trail] == [
        "marketplace.order_cancelled",
        "marketplace.order_placed",
    ]
    assert all(buyer.pk in (entry.actor_id, entry.target_user_id) for entry in trail)
    assert trail == sorted(trail, key=lambda e: (e.at, e.id), reverse=True)


def test_the_admin_shows_labels_and_filters_by_the_registry(reviewer, buyer):
    audit.record(audit.PROFILE_UPDATED, actor=buyer, target_user=buyer)
    audit.record(audit.BUYER_TIER_CHANGED, actor=None, target_user=buyer)
    page = client_for(reviewer).get("/admin/accounts/auditentry/").content.decode()
    assert '<td class="field-action_label">Profile updated</td>' in page
    assert '<td class="field-action_label">Buyer tier changed</td>' in page
    filtered = client_for(reviewer).get(
        "/admin/accounts/auditentry/?action=accounts.profile_updated"
    )
    rows = filtered.content.decode()
    assert '<td class="field-action_label">Profile updated</td>' in rows
    assert '<td class="field-action_label">Buyer tier changed</td>' not in rows
    assert "Staff role granted" in rows  # one of the filter's choices, by its label
    assert timezone.now() - AuditEntry.objects.latest("at").at < timedelta(minutes=1)


def test_the_trail_pages_back_by_keyset_without_repeating(buyer, seller):
    for i in range(7):
        audit.record(audit.PROFILE_UPDATED, actor=buyer, target_user=buyer, data={"i": i})
        audit.record(GIG_UPDATED, actor=buyer, target_user=seller, data={"i": i})
    audit.record(audit.PROFILE_UPDATED, actor=seller, target_user=seller)  # not about the buyer
    first = selectors.audit_trail_of(buyer, limit=5)
    rest = selectors.audit_trail_of(buyer, limit=50, before=first[-1])
    trail = first + rest
    assert len(trail) == 14
    assert len({entry.pk for entry in trail}) == 14
    assert trail == sorted(trail, key=lambda e: (e.at, e.id), reverse=True)


def test_every_entry_of_a_full_journey_names_the_user_it_concerns(
    buyer, seller, reviewer, django_capture_on_commit_callbacks
):
    gig = make_gig(seller, extras={"Express": "10.00"})
    services.update_gig(gig, actor=seller, title="Renamed")
    order = services.place_order(gig, actor=buyer, extra_ids=[])
    order = services.deliver_order(order, actor=seller)
    order = services.request_revision(order, actor=buyer)
    order = services.deliver_order(order, actor=seller)
    services.tip_order(order, actor=buyer, amount_cents=200)
    services.accept_order(order, actor=buyer)
    other = services.place_order(gig, actor=buyer, extra_ids=[])
    services.cancel_order(services.deliver_order(other, actor=seller), actor=reviewer)
    make_available_funds(seller, 1000)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_funds(actor=seller, amount_cents=1000, idempotency_key="all")
        services.refund_credit_to_card(buyer, actor=reviewer, reason="test")
    assert AuditEntry.objects.count() > 12
    assert list(AuditEntry.objects.filter(target_user=None).values_list("action", flat=True)) == []
