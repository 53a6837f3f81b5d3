"""Reads about users that staff tools need."""

from __future__ import annotations

import heapq
from itertools import islice

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import ApiToken, AuditEntry, User
from core import clock


def audit_trail_of(
    user: User, *, limit: int = 50, before: AuditEntry | None = None
) -> list[AuditEntry]:
    """Everything the audit log holds that concerns `user` — what was done to them and what
    they did — newest first, `limit` entries at a time; `before` continues after the last
    entry shown (the moderation workspace's history).

    Two index walks ((target_user, -at, -id) and (actor, -at, -id)), each stopping after
    `limit` rows, merged here: the cost is the same for a user with ten entries or a million,
    where one OR query would collect and sort all of them."""

    def newest(side: Q) -> list[AuditEntry]:
        entries = AuditEntry.objects.filter(side)
        if before is not None:
            entries = entries.filter(Q(at__lt=before.at) | Q(at=before.at, id__lt=before.id))
        return list(entries.select_related("actor", "target_user").order_by("-at", "-id")[:limit])

    done_to = newest(Q(target_user=user))
    done_by = newest(Q(actor=user) & ~Q(target_user=user))
    merged = heapq.merge(done_to, done_by, key=lambda entry: (entry.at, entry.id), reverse=True)
    return list(islice(merged, limit))


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
