from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from config.celery import app as celery_app
from config.models import JobRun
from core import clock

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and operators: the database, the cache, the broker and the
    scheduler (how long ago beat last made the worker run its heartbeat), each "ok" or "down".
    503 when any of them is down, so a deployment sees an outage instead of a green light;
    what an outage delays is caught up afterwards (README, operations)."""
    report: dict[str, Any] = {
        "database": _probe(_database),
        "cache": _probe(_cache),
        "broker": _probe(_broker),
    }
    last = None
    if report["database"] == "ok":
        beat = JobRun.objects.filter(name="heartbeat").first()
        last = beat.last_succeeded_at if beat else None
    stale_after = settings.HEARTBEAT_INTERVAL * 3
    report["scheduler"] = {
        "last_heartbeat": last.isoformat() if last else None,
        "healthy": bool(last and clock.now() - last < stale_after),
    }
    healthy = report["scheduler"]["healthy"] and all(
        report[part] == "ok" for part in ("database", "cache", "broker")
    )
    return JsonResponse(report, status=200 if healthy else 503)


def _probe(check: Callable[[], None]) -> str:
    try:
        check()
    except Exception:  # each backend fails in its own way; any failure means "down"
        logger.warning("healthz: %s is down", check.__name__.strip("_"), exc_info=True)
        return "down"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    probe = secrets.token_hex(8)
    cache.set("healthz", probe, timeout=10)
    if cache.get("healthz") != probe:
        raise RuntimeError("the cache did not keep what was written")


def _broker() -> None:
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded file, from MEDIA_ROOT as it is now (SERVE_MEDIA only)."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
