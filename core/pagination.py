"""Keyset (cursor) pagination for the big lists, shared by the API and the web pages.

No page ever counts the table: a page is "the next N rows after this position" on an indexed
ordering, so page 1 and page 10,000 cost the same. DRF's CursorPagination does the keyset work;
the pages reuse it through `page_of` so there is one implementation of the cursor format.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

T = TypeVar("T")


# One rule for every list: no cursor (or an empty one) is the first page; anything else must be a
# cursor we issued, or the answer is 404 — never a silent first page. DRF's own decoding drops
# characters outside base64 ("%00", "%%%" decode to nothing) and reads nothing as "offset 0".
DRF_CURSOR_KEYS = frozenset({"o", "r", "p"})


def _strict_b64decode(cursor: str, *, altchars: bytes | None = None) -> bytes:
    """The bytes of a base64 cursor; ValueError for any character outside the alphabet."""
    try:
        return base64.b64decode(cursor.encode("ascii"), altchars=altchars, validate=True)
    except UnicodeError as error:
        raise ValueError("not base64") from error


class NewestFirst(CursorPagination):
    page_size = 20
    ordering: str | tuple[str, ...] = "-id"

    def decode_cursor(self, request: Request) -> Any:
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            tokens = parse_qs(_strict_b64decode(encoded).decode("ascii"), keep_blank_values=True)
        except ValueError as error:  # binascii.Error and UnicodeDecodeError are ValueErrors
            raise NotFound(self.invalid_cursor_message) from error
        if not tokens or not tokens.keys() <= DRF_CURSOR_KEYS:
            raise NotFound(self.invalid_cursor_message)
        return super().decode_cursor(request)

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


class Keyset:
    """What this module's own keyset paginators share: the cursor is the position of the page's
    edge (JSON, base64, opaque to clients), links keep the request's other parameters, the API
    answers with DRF's page envelope, and a cursor that is not one is 404 like DRF's."""

    page_size = 20
    invalid_cursor_message = NewestFirst.invalid_cursor_message

    def _position(self, request: HttpRequest | Request) -> dict[str, Any] | None:
        query = request.GET if isinstance(request, HttpRequest) else request.query_params
        cursor = query.get("cursor")
        if not cursor:
            return None
        try:
            fields = json.loads(_strict_b64decode(cursor, altchars=b"-_"))
            if not isinstance(fields, dict):
                raise ValueError("not a position")
            return fields
        except (ValueError, TypeError) as error:
            raise self._invalid() from error

    def _invalid(self) -> Http404:
        # Http404: a page shows its 404, the API's handler answers its JSON 404.
        return Http404(str(self.invalid_cursor_message))

    def _read(self, rows: Callable[[], list[Any]]) -> list[Any]:
        """Run a query whose filter holds a client's position."""
        try:
            return rows()
        except (ValueError, OverflowError, ValidationError) as error:
            raise self._invalid() from error  # a value the database cannot compare with

    @staticmethod
    def _encode(fields: dict[str, Any]) -> str:
        token = json.dumps(fields, separators=(",", ":"))
        return base64.urlsafe_b64encode(token.encode()).decode()

    def _link(self, request: HttpRequest | Request, fields: dict[str, Any]) -> str:
        query = (request.GET if isinstance(request, HttpRequest) else request.query_params).copy()
        query["cursor"] = self._encode(fields)
        return f"?{query.urlencode()}"

    def _assemble(
        self,
        request: HttpRequest | Request,
        rows: list[Any],
        *,
        back: bool,
        started: bool,
        edge: Callable[[Any, bool], dict[str, Any]],
        prefetch: Sequence[str] = (),
    ) -> Page[Any]:
        """The page from up to `page_size + 1` rows read in walking order (`back`: towards the
        start; `started`: from a position, not the list's start), with links to the next and
        previous pages at its edges (`edge(row, back)` is the position a link carries)."""
        more = len(rows) > self.page_size
        items = rows[: self.page_size]
        prefetch_related_objects(items, *prefetch)
        if back:
            items.reverse()
        before = (more if back else started) and items
        after = (started if back else more) and items
        return Page(
            items=items,
            next_url=self._link(request, edge(items[-1], False)) if after else None,
            previous_url=self._link(request, edge(items[0], True)) if before else None,
        )

    def response(self, request: Request, page: Page[Any], data: Any) -> Response:
        """The API's page envelope, with absolute links like DRF's cursor pagination."""

        def absolute(link: str | None) -> str | None:
            return request.build_absolute_uri(request.path + link) if link else None

        return Response(
            {
                "next": absolute(page.next_url),
                "previous": absolute(page.previous_url),
                "results": data,
            }
        )


class MergedNewestFirst(Keyset):
    """Keyset pages, newest first, of a list that is the union of a few querysets, each walking
    its own index (a user's orders: those they buy, by one index, and those they sell, by
    another).

    One OR query over both sides reads every matching row before it can sort them, so its cost
    grows with the user's history; here each side reads at most a page and a row from its
    cursor position, and the sides are merged in Python. The position is `(time, id)`; the
    filter is written so that the time index can start there (`time <= t AND (time < t OR
    id < i)`), so a page deep in the history costs what the first one costs.
    """

    def __init__(self, time_field: str, *, prefetch: Sequence[str] = ()) -> None:
        self.time_field = time_field
        # Fetched once for the merged page, not for each side's page-and-a-row.
        self.prefetch = prefetch

    def page(self, request: HttpRequest | Request, parts: Sequence[QuerySet[Any]]) -> Page[Any]:
        position = self._decode(self._position(request))
        back = position is not None and position[2]
        rows: list[Any] = []
        for part in parts:
            rows.extend(self._read(partial(self._side, part, position)))
        rows.sort(key=self._key, reverse=not back)
        return self._assemble(
            request,
            rows,
            back=back,
            started=position is not None,
            edge=lambda row, back: self._edge(row, back=back),
            prefetch=self.prefetch,
        )

    def _key(self, row: Any) -> tuple[Any, str]:
        return getattr(row, self.time_field), str(row.pk)

    def _side(self, part: QuerySet[Any], position: tuple[datetime, str, bool] | None) -> list[Any]:
        t, n = self.time_field, self.page_size + 1
        if position is None:
            return list(part.order_by(f"-{t}", "-pk")[:n])
        at, pk, back = position
        if back:
            newer = Q(**{f"{t}__gte": at}) & (Q(**{f"{t}__gt": at}) | Q(pk__gt=pk))
            return list(part.filter(newer).order_by(t, "pk")[:n])
        older = Q(**{f"{t}__lte": at}) & (Q(**{f"{t}__lt": at}) | Q(pk__lt=pk))
        return list(part.filter(older).order_by(f"-{t}", "-pk")[:n])

    def _edge(self, row: Any, *, back: bool) -> dict[str, Any]:
        at, pk = self._key(row)
        return {"t": at.isoformat(), "k": pk, "b": back}

    def cursor_for(self, row: Any, *, back: bool = False) -> str:
        """The cursor of the page after `row` (older), or before it (`back`, newer)."""
        return self._encode(self._edge(row, back=back))

    def _decode(self, fields: dict[str, Any] | None) -> tuple[datetime, str, bool] | None:
        if fields is None:
            return None
        try:
            at = datetime.fromisoformat(fields["t"])
            if at.tzinfo is None or not isinstance(fields["k"], str):
                raise ValueError("not a position")
            return at, fields["k"], bool(fields["b"])
        except (ValueError, TypeError, KeyError) as error:
            raise self._invalid() from error


class RowsById(Protocol):
    """Where `OldestFirstById` reads a page: up to `limit` rows in id order after `after` (or,
    `back`, in reverse order before it; from the start when `after` is None)."""

    def rows(self, *, after: int | None, back: bool, limit: int) -> list[Any]: ...


class OldestFirstById(Keyset):
    """Keyset pages in id order, oldest first, for a table whose ids follow time (a
    conversation's messages): a page is the rows after (or, going back, before) one id, read
    from the index in order, nothing counted or offset."""

    page_size = 50

    def page(self, request: HttpRequest | Request, source: RowsById) -> Page[Any]:
        fields = self._position(request)
        if fields is None:
            after, back = None, False
        elif type(fields.get("i")) is int and 0 < fields["i"] < 2**63:
            after, back = fields["i"], bool(fields.get("b"))
        else:
            raise self._invalid()
        rows = source.rows(after=after, back=back, limit=self.page_size + 1)
        return self._assemble(
            request,
            rows,
            back=back,
            started=after is not None,
            edge=lambda row, back: {"i": row.pk, "b": back},
        )


class AscendingByKey(Keyset):
    """Keyset pages in the order of one indexed integer column and the primary key, smallest
    first (the moderation queue's `rank`): a page is the rows after (or, going back, before)
    one `(key, pk)` position, read from a `(key, pk)` index in order. The filter is written so
    the index range starts at the position (`key >= k AND (key > k OR pk > p)`)."""

    def __init__(self, key_field: str, *, prefetch: Sequence[str] = ()) -> None:
        self.key_field = key_field
        self.prefetch = prefetch

    def page(self, request: HttpRequest | Request, rows: QuerySet[Any]) -> Page[Any]:
        position = self._decode(self._position(request))
        back = position is not None and position[2]
        # Built inside `_read`: a position of the wrong type fails as the filter is made.
        found = self._read(lambda: list(self._rows(rows, position)[: self.page_size + 1]))
        return self._assemble(
            request,
            found,
            back=back,
            started=position is not None,
            edge=lambda row, back: {"r": getattr(row, self.key_field), "k": str(row.pk), "b": back},
            prefetch=self.prefetch,
        )

    def _rows(self, rows: QuerySet[Any], position: tuple[int, str, bool] | None) -> QuerySet[Any]:
        k = self.key_field
        if position is None:
            return rows.order_by(k, "pk")
        key, pk, back = position
        if back:
            before = Q(**{f"{k}__lte": key}) & (Q(**{f"{k}__lt": key}) | Q(pk__lt=pk))
            return rows.filter(before).order_by(f"-{k}", "-pk")
        after = Q(**{f"{k}__gte": key}) & (Q(**{f"{k}__gt": key}) | Q(pk__gt=pk))
        return rows.filter(after).order_by(k, "pk")

    def cursor_for(self, row: Any) -> str:
        """The cursor of the page after `row`."""
        return self._encode({"r": getattr(row, self.key_field), "k": str(row.pk), "b": False})

    def _decode(self, fields: dict[str, Any] | None) -> tuple[int, str, bool] | None:
        if fields is None:
            return None
        key, pk = fields.get("r"), fields.get("k")
        if type(key) is not int or not -(2**63) <= key < 2**63 or not isinstance(pk, str):
            raise self._invalid()
        return key, pk, bool(fields.get("b"))
