"""Running Celery tasks after commit, by name.

Services enqueue their side effects with `enqueue_after_commit("app.tasks.name", id)`. By name,
because a task module imports the services it calls; a service importing its tasks module back
would be an import cycle. The task takes the id, loads the row and calls one service, and is safe
to run twice because the service checks the row's state under its lock.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def enqueue_after_commit(task_name: str, *args: Any) -> None:
    """Queue `task_name(*args)` once the current transaction commits (at once outside one):
    a rolled-back write never leaves a task behind, and a task never sees uncommitted rows."""
    transaction.on_commit(lambda: current_app.tasks[task_name].delay(*args))
