from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts import audit
from accounts.models import User
from core.errors import NotAllowed
from marketplace import permissions
from marketplace.audit import GIG_CREATED, GIG_UPDATED
from marketplace.errors import NOT_OWNER
from marketplace.models import Gig, GigExtra, GigStatus


@dataclass(frozen=True)
class ExtraInput:
    name: str
    price_cents: int


def create_gig(
    *,
    actor: User,
    title: str,
    description: str,
    base_price_cents: int,
    extras: list[ExtraInput] | None = None,
) -> Gig:
    """Offer a gig; the acting user is its seller."""
    permissions.may_create_gig(actor).enforce()
    with transaction.atomic():
        gig = Gig.objects.create(
            seller=actor, title=title, description=description, base_price_cents=base_price_cents
        )
        GigExtra.objects.bulk_create(
            GigExtra(gig=gig, name=e.name, price_cents=e.price_cents) for e in extras or []
        )
        audit.record(GIG_CREATED, actor=actor, target_user=actor, obj=gig)
    return gig


def update_gig(
    gig: Gig,
    *,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    base_price_cents: int | None = None,
    status: GigStatus | None = None,
    extras: list[ExtraInput] | None = None,
) -> Gig:
    """Edit or pause a gig. Orders copied their prices, so changing extras never touches them."""
    with transaction.atomic():
        gig = Gig.objects.select_for_update().get(pk=gig.pk)
        if gig.seller_id != actor.pk:
            raise NotAllowed(NOT_OWNER)
        # Pausing stays possible while restricted; changing what is offered does not.
        if any(v is not None for v in (title, description, base_price_cents, extras)) or (
            status == GigStatus.ACTIVE
        ):
            permissions.may_create_gig(actor).enforce()
        changed = []
        for field, value in (
            ("title", title),
            ("description", description),
            ("base_price_cents", base_price_cents),
            ("status", status),
        ):
            if value is not None and getattr(gig, field) != value:
                setattr(gig, field, value)
                changed.append(field)
        if changed:
            gig.save(update_fields=[*changed, "updated_at"])
        if extras is not None:
            gig.extras.all().delete()
            GigExtra.objects.bulk_create(
                GigExtra(gig=gig, name=e.name, price_cents=e.price_cents) for e in extras
            )
            changed.append("extras")
        if changed:
            audit.record(
                GIG_UPDATED,
                actor=actor,
                target_user=actor,  # only the seller changes a gig
                obj=gig,
                data={"changed": changed},
            )
    return gig
