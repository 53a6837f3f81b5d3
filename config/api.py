"""API wiring: one exception handler so every error is `{"detail": ..., "code": ...}`, and a 404
handler so that a URL under /api/ that matches no endpoint is such an error too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.errors import DomainError


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
        return Response({"detail": exc.detail, "code": exc.code}, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        response = drf_exception_handler(exc, context)
        if response is None:  # pragma: no cover - DRF always handles its own exceptions
            return None
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "detail": "Invalid input.",
            "code": "invalid",
            "fields": fields,
        }
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


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The root URLconf's `handler404`. An API URL that matches no route (an id that is not an id:
    `/api/orders/abc/`) answers like any API 404; pages keep Django's page."""
    if request.path_info.startswith("/api/"):
        error = exceptions.NotFound()
        return JsonResponse(
            {"detail": str(error.detail), "code": error.default_code},
            status=status.HTTP_404_NOT_FOUND,
        )
    return page_not_found(request, exception)
