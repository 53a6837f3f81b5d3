"""API authentication: django-rest-knox tokens (hashed, one per device, expiring) that also
answer to standing — a banned user's token stops working on the next request."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions, status

from accounts import services
from accounts.errors import ACCOUNT_BANNED
from accounts.models import ApiToken
from accounts.permissions import may_log_in
from core import clock


class AccountBannedError(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = ACCOUNT_BANNED.message
    default_code = ACCOUNT_BANNED.name


# What a token can look like (knox: our prefix and hex digits); anything else is refused
# before it reaches the database, which cannot compare text holding NUL.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_]{1,128}")


class StandingAwareTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`. Refuses expired tokens and users who may not log in; a ban
    also deletes the tokens, but the check here does not depend on that."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        try:
            text = token.decode("ascii")
        except UnicodeDecodeError:
            text = ""
        if not TOKEN_SHAPE.fullmatch(text):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        result: tuple[Any, ApiToken] = super().authenticate_credentials(token)
        return result

    def _cleanup_token(self, auth_token: ApiToken) -> bool:
        # knox would also delete the user's other expired tokens on every request (a query
        # each time); the `clear_expired_api_tokens` job removes them instead.
        return auth_token.expiry is not None and auth_token.expiry < clock.now()

    def validate_user(self, auth_token: ApiToken) -> tuple[Any, ApiToken]:
        user = auth_token.user
        if user.is_active and not may_log_in(user):
            raise AccountBannedError()
        if not may_log_in(user):
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        services.note_api_token_use(auth_token)
        return user, auth_token


class StandingAwareTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the schema documents the token (`Authorization: Token <token>`)."""

    target_class = StandingAwareTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 - the scheme word
        )
        return definition
