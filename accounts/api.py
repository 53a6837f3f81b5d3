from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts import services
from accounts.models import User
from accounts.serializers import (
    ErrorSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    ValidationErrorSerializer,
)


class LoginThrottle(AnonRateThrottle):
    """Slows password guessing: per client address, whatever account is tried."""

    scope = "login"
    rate = "20/min"


class ObtainTokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(
                ValidationErrorSerializer,
                description="Missing fields (`invalid`) or wrong credentials "
                "(`invalid_credentials`).",
            ),
            403: OpenApiResponse(ErrorSerializer, description="`account_banned`."),
            429: OpenApiResponse(ErrorSerializer, description="Too many attempts."),
        },
        auth=[],
        summary="Exchange e-mail and password for an API token",
    )
    def post(self, request: Request) -> Response:
        incoming = TokenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = services.authenticate_user(
            request=request._request,
            email=incoming.validated_data["email"],
            password=incoming.validated_data["password"],
        )
        token = services.obtain_api_token(user)
        return Response(TokenResponseSerializer({"token": token.key}).data)


class MeView(APIView):
    @extend_schema(
        operation_id="me_retrieve",
        responses={
            200: MeSerializer,
            401: OpenApiResponse(ErrorSerializer, description="Not authenticated."),
            403: OpenApiResponse(ErrorSerializer, description="`account_banned`."),
        },
        summary="The authenticated user",
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated let only users in
        return Response(MeSerializer(user).data)
