from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.permissions import may_log_in


class StandingAwareBackend(ModelBackend):
    """E-mail login that refuses banned accounts.

    Django asks `user_can_authenticate` both when logging in and when loading the user of an
    existing session on every request, so a ban ends open sessions on their next request.
    """

    def user_can_authenticate(self, user: Any) -> bool:
        return may_log_in(user)
