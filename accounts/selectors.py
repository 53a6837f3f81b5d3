"""Reads about users that staff tools need."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import ApiToken, AuditEntry, User
from core import clock


def audit_trail_of(user: User) -> QuerySet[AuditEntry]:
    """Everything the audit log holds that concerns `user`: what was done to them and what they
    did, newest first (the moderation workspace's history). Each side walks its own index."""
    return (
        AuditEntry.objects.filter(Q(target_user=user) | Q(actor=user))
        .select_related("actor", "target_user")
        .order_by("-at", "-id")
    )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's devices; expired tokens no longer work and are not shown."""
    tokens: QuerySet[ApiToken] = ApiToken.objects.filter(user=user)
    return tokens.filter(Q(expiry__isnull=True) | Q(expiry__gt=clock.now()))


def api_token_of(user: User, token_id: str) -> ApiToken:
    """One of the user's own tokens by the id the list shows; anyone else's is 404."""
    token = api_tokens_of(user).filter(token_key=token_id).first()
    if token is None:
        raise Http404
    return token
