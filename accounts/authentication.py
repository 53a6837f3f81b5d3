from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from accounts.errors import AccountBanned
from accounts.permissions import may_log_in


class AccountBannedError(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = AccountBanned.message
    default_code = AccountBanned.code


class StandingAwareTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`; a banned user's token stops working on the next request."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user = token.user
        if user.is_active and not may_log_in(user):
            raise AccountBannedError()
        if not may_log_in(user):
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
