"""Demo data for `make run`: the documented cast and their marketplace (README).

Idempotent, and refuses to run in production mode: it creates accounts with a published
password. It lives in the wiring package because it spans every app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from calls import demo as calls_demo
from marketplace import demo as marketplace_demo
from moderation import demo as moderation_demo


class Command(BaseCommand):
    help = "Create or refresh the demo cast and their marketplace. Refuses to run in production."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG=true: it creates accounts with a "
                "published password."
            )
        with transaction.atomic():
            cast = {member.email: accounts_demo.upsert(member) for member in accounts_demo.CAST}
            created = marketplace_demo.seed(cast)
            calls_created = calls_demo.seed(cast)
            moderation_created = moderation_demo.seed(cast)
        self.stdout.write(
            self.style.SUCCESS(f"Demo cast ready (password: {accounts_demo.DEMO_PASSWORD}).")
        )
        for member in accounts_demo.CAST:
            self.stdout.write(f"  {member.email:<24} {member.description}")
        self.stdout.write("Marketplace demo data " + ("created." if created else "already there."))
        self.stdout.write("Demo calls " + ("created." if calls_created else "already there."))
        self.stdout.write(
            "Demo sanctions " + ("created." if moderation_created else "already there.")
        )
