"""API infrastructure every app's endpoints use: one exception handler so every error is
`{"detail", "code"}` (plus `reasons` or `fields`), a JSON 404 for unmatched URLs under /api/, the
documented error responses, and the error-code table in the schema."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import page_not_found
from django.views.defaults import server_error as django_server_error
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import CODES, DomainError, NotAllowed
from core.serializers import ErrorSerializer, ValidationErrorSerializer


def _first_code(codes: Any) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, list) and codes:
        return _first_code(codes[0])
    if isinstance(codes, dict) and codes:
        return _first_code(next(iter(codes.values())))
    return "error"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.detail, "code": exc.code}
        if exc.reasons:
            body["reasons"] = [reason.name for reason in exc.reasons]
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return Response(body, status=exc.status_code, headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        response = drf_exception_handler(exc, context)
        if response is None:  # pragma: no cover - DRF always handles its own exceptions
            return None
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"detail": "Invalid input.", "code": "invalid", "fields": fields}
        return response

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = detail if isinstance(detail, str) else str(detail)
        response.data = {"detail": str(message), "code": _first_code(exc.get_codes())}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response.data["code"] = response.data.get("code") or "not_authenticated"
    return response


@csrf_exempt  # it changes nothing; a POST to a wrong URL is a 404, not a CSRF page
def no_such_endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    """The last route under /api/: a URL that matches no endpoint (an id that is not an id:
    `/api/orders/abc/`) answers like any API 404 — also with DEBUG on, where Django would
    otherwise answer its HTML debug page."""
    error = exceptions.NotFound()
    return JsonResponse(
        {"detail": str(error.detail), "code": error.default_code},
        status=status.HTTP_404_NOT_FOUND,
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The root URLconf's `handler404`: a view's Http404 under /api/ is the API's JSON shape too;
    pages keep Django's page."""
    if request.path_info.startswith("/api/"):
        return no_such_endpoint(request)
    return page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The root URLconf's `handler500`: an unexpected error under /api/ is still the API's
    JSON shape (clients parse every answer the same way); pages keep Django's page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on our side.", "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return django_server_error(request)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an endpoint, by status."""
    described = {
        400: OpenApiResponse(ValidationErrorSerializer, description="Invalid input."),
        401: OpenApiResponse(ErrorSerializer, description="Not authenticated."),
        402: OpenApiResponse(
            ErrorSerializer,
            description="The card payment was declined (`payment_failed`); nothing was charged.",
        ),
        403: OpenApiResponse(ErrorSerializer, description="A gate refused (see `code`)."),
        404: OpenApiResponse(ErrorSerializer, description="Not found, or not yours to see."),
        409: OpenApiResponse(ErrorSerializer, description="Not possible in the current state."),
        410: OpenApiResponse(ErrorSerializer, description="Gone for good (see `code`)."),
        429: OpenApiResponse(
            ErrorSerializer, description="Too many requests; `Retry-After` says when to retry."
        ),
        503: OpenApiResponse(
            ErrorSerializer,
            description="Something it needs is briefly unreachable; `Retry-After` says when "
            "to retry.",
        ),
    }
    return {code: described[code] for code in codes}


def request_user(request: HttpRequest | Request) -> Any:
    """The logged-in user of a view that required login (a guard, not a check)."""
    user = request.user
    if not isinstance(user, get_user_model()):
        raise NotAllowed()
    return user


def document_error_codes(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the schema's description ends with every declared
    error code, its status and its meaning, so clients see the registry, not a guess."""
    rows = "\n".join(
        f"| `{code.name}` | {code.status} | {code.message} |"
        for code in sorted(CODES, key=lambda c: (c.status, c.name))
    )
    table = f"\n\n### Error codes\n\n| code | status | meaning |\n|---|---|---|\n{rows}\n"
    result["info"]["description"] = result["info"].get("description", "") + table
    return result
