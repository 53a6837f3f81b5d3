from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.jobs import UnknownJobError, run_job
from core.jobs import JOBS


class Command(BaseCommand):
    help = "Run one scheduled job now, in this process, exactly as Celery beat would run it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="the job's name (see --list)")
        parser.add_argument("--list", action="store_true", help="list the scheduled jobs")

    def handle(self, *args: Any, name: str | None, list: bool, **options: Any) -> None:
        if list:
            for job in sorted(JOBS, key=lambda job: job.name):
                self.stdout.write(f"{job.name}\t{job.task}\tevery {job.every}\t{job.description}")
            return
        if not name:
            raise CommandError("Name a job, or use --list to see them.")
        try:
            result = run_job(name)
        except UnknownJobError:
            raise CommandError(
                f"Unknown job {name!r}. Known jobs: {', '.join(JOBS.names())}."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{name}: {result}"))
