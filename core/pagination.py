"""Keyset (cursor) pagination for the big lists, shared by the API and the web pages.

No page ever counts the table: a page is "the next N rows after this position" on an indexed
ordering, so page 1 and page 10,000 cost the same. DRF's CursorPagination does the keyset work;
the pages reuse it through `page_of` so there is one implementation of the cursor format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.views import APIView

T = TypeVar("T")


class NewestFirst(CursorPagination):
    page_size = 20
    ordering: str | tuple[str, ...] = "-id"

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        # A cursor is opaque but not signed: a hand-made one with a position of the wrong type
        # ("abc" for an id, a date past year 9999 in UTC) fails when Django converts it. That is
        # a bad cursor (404), not a 500.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, OverflowError, ValidationError) as error:
            raise NotFound(self.invalid_cursor_message) from error


class NoticesNewestFirst(NewestFirst):
    ordering = ("-created_at", "-id")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_url: str | None
    previous_url: str | None


def _relative(link: str | None) -> str | None:
    """DRF builds absolute links; a page links to itself with only the query string changed."""
    return f"?{urlsplit(link).query}" if link else None


def page_of(request: HttpRequest, queryset: QuerySet[Any], pagination: NewestFirst) -> Page[Any]:
    """One page of `queryset` for a web page, in the paginator's order; a bad cursor is a 404."""
    try:
        items = pagination.paginate_queryset(queryset, Request(request))
    except NotFound as error:
        raise Http404(str(error.detail)) from error
    return Page(
        items=list(items or []),
        next_url=_relative(pagination.get_next_link()),
        previous_url=_relative(pagination.get_previous_link()),
    )
