"""Running Celery tasks after commit, by name.

Services enqueue their side effects with `enqueue_after_commit("app.tasks.name", id)`. By name,
because a task module imports the services it calls; a service importing its tasks module back
would be an import cycle. The task takes the id, loads the row and calls one service, and is safe
to run twice because the service checks the row's state under its lock.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task_name: str, *args: Any) -> None:
    """Queue `task_name(*args)` once the current transaction commits (at once outside one):
    a rolled-back write never leaves a task behind, and a task never sees uncommitted rows.

    Only the fast path: every such task's row stays due until its work is done (`core.retry`),
    so if the broker cannot take the task now, the committed request still succeeds and a
    scheduled sweep does the work once the broker is back. An unknown name is a bug, not an
    outage: it fails here, inside the transaction, instead of leaving every task to the sweep."""
    task = current_app.tasks[task_name]
    transaction.on_commit(lambda: _send(task, args))


def send_now(task_name: str, *args: Any) -> bool:
    """Queue `task_name(*args)` now, from code that runs after its commit (an on-commit
    callback of its own); False when the broker refused it, which is logged, not raised."""
    return _send(current_app.tasks[task_name], args)


def _send(task: Task[Any, Any], args: tuple[Any, ...]) -> bool:
    try:
        task.delay(*args)
    except Exception:  # the broker's errors vary by transport; none may fail the request
        logger.warning("could not queue %s%r; its sweep will do it", task.name, args, exc_info=True)
        return False
    return True
