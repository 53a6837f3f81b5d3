from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.models import JobRun
from core import clock


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and operators: the database answers, and when beat last ran a job.

    Reports the scheduler's state but answers 200 regardless: a stalled worker must not take the
    web servers out of rotation.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    beat = JobRun.objects.filter(name="heartbeat").first()
    last = beat.last_succeeded_at if beat else None
    stale_after = settings.HEARTBEAT_INTERVAL * 3
    return JsonResponse(
        {
            "database": "ok",
            "scheduler": {
                "last_heartbeat": last.isoformat() if last else None,
                "healthy": bool(last and clock.now() - last < stale_after),
            },
        }
    )
