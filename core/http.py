"""What a page answers when a service refused the request: the page itself (with the refusal
shown on it) under the refusal's status, and `Retry-After` when waiting helps — the same status
and header the API sends for the same refusal."""

from __future__ import annotations

from django.http import HttpResponse

from core.errors import DomainError


def refused(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    if error is not None:
        response.status_code = error.status_code
        if error.retry_after is not None:
            response["Retry-After"] = str(error.retry_after)
    return response
