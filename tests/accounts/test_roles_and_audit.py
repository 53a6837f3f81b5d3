from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts import audit, roles
from accounts.models import AuditEntry
from core.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_roles_migration_creates_both_staff_groups_with_their_permissions():
    assert codenames(roles.SUPPORT_AGENT) == set(roles.ROLES[roles.SUPPORT_AGENT])
    assert codenames(roles.REVIEWER) == set(roles.ROLES[roles.REVIEWER])
    assert "marketplace.view_ledgerentry" in codenames(roles.SUPPORT_AGENT)
    assert "marketplace.change_order" not in codenames(roles.SUPPORT_AGENT)


def test_a_support_agent_can_neither_decide_a_review_nor_see_its_end_date(support_agent):
    assert support_agent.is_staff
    assert support_agent.has_perm("accounts.issue_warning")
    assert not support_agent.has_perm("accounts.decide_review")
    assert not support_agent.has_perm("accounts.view_review_deadline")
    assert not support_agent.has_perm("accounts.ban_user")
    assert not support_agent.has_perm("accounts.access_call_recording")


def test_a_reviewer_can_do_what_a_support_agent_can_and_decide_and_ban(reviewer):
    for permission in roles.SUPPORT_AGENT_PERMISSIONS:
        assert reviewer.has_perm(permission)
    for permission in (
        "accounts.decide_review",
        "accounts.ban_user",
        "accounts.access_call_recording",
    ):
        assert reviewer.has_perm(permission)


def test_an_ordinary_user_has_no_staff_permission(buyer):
    assert not buyer.is_staff
    assert not buyer.has_perm("accounts.issue_warning")


def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(buyer):
    entry = audit.record(audit.PROFILE_UPDATED, actor=None, target_user=buyer, reason="why")
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "why"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on Postgres only")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE accounts_auditentry SET reason = 'rewritten'", "DELETE FROM accounts_auditentry"],
)
def test_postgres_itself_refuses_to_rewrite_the_audit_log(buyer, statement):
    audit.record(audit.PROFILE_UPDATED, actor=None, target_user=buyer, reason="why")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEntry.objects.get().reason == "why"
