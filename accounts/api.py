from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import ApiToken
from accounts.serializers import (
    ApiTokenSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    me_serializer,
)
from core.rest import errors, request_user
from core.serializers import ErrorSerializer, ValidationErrorSerializer


class ObtainTokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

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
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many attempts from this address (`rate_limited`, with "
                "`Retry-After`); the login page counts against the same limit.",
            ),
            503: OpenApiResponse(
                ErrorSerializer,
                description="Logins are refused while the throttle cannot count them "
                "(`temporarily_unavailable`, with `Retry-After`).",
            ),
        },
        auth=[],
        summary="Exchange e-mail and password for a new token for this device",
    )
    def post(self, request: Request) -> Response:
        incoming = TokenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = services.authenticate_user(
            request=request._request,
            email=incoming.validated_data["email"],
            password=incoming.validated_data["password"],
        )
        token, key = services.create_api_token(
            user, actor=user, name=incoming.validated_data["name"]
        )
        return Response(TokenResponseSerializer({"token": key, "expiry": token.expiry}).data)


class LogoutView(APIView):
    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: None, **errors(401)},
        summary="Revoke the token this request is made with (a session is left alone).",
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        if isinstance(request.auth, ApiToken):
            services.revoke_api_token(request.auth, actor=user, reason="logged out")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    @extend_schema(
        operation_id="auth_tokens_list",
        responses={200: ApiTokenSerializer(many=True), **errors(401)},
        summary="Your API tokens, one per device, newest first.",
    )
    def get(self, request: Request) -> Response:
        tokens = selectors.api_tokens_of(request_user(request))
        return Response(ApiTokenSerializer(tokens, many=True, context={"request": request}).data)


class TokenDetailView(APIView):
    @extend_schema(
        operation_id="auth_tokens_destroy",
        responses={204: None, **errors(401, 404)},
        summary="Revoke one of your tokens (its `id` from the list).",
    )
    def delete(self, request: Request, token_id: str) -> Response:
        user = request_user(request)
        token = selectors.api_token_of(user, token_id)
        services.revoke_api_token(token, actor=user, reason="revoked by its user")
        return Response(status=status.HTTP_204_NO_CONTENT)


# Built when the URLs load, after every app has declared its fields.
Me = me_serializer()


class MeView(APIView):
    @extend_schema(
        operation_id="me_retrieve",
        responses={
            200: Me,
            401: OpenApiResponse(ErrorSerializer, description="Not authenticated."),
            403: OpenApiResponse(ErrorSerializer, description="`account_banned`."),
        },
        summary="The authenticated user",
    )
    def get(self, request: Request) -> Response:
        return Response(Me(request_user(request)).data)
