from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts import audit
from accounts.models import User
from core.errors import NotAllowed
from marketplace import images, permissions
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
    cover: UploadedFile[bytes] | None = None,
) -> Gig:
    """Offer a gig; the acting user is its seller. A cover is checked before anything is
    written (`invalid_image`)."""
    permissions.may_create_gig(actor).enforce()
    prepared = images.prepare_cover(cover) if cover is not None else None
    with _stored(prepared) as files, transaction.atomic():
        gig = Gig.objects.create(
            seller=actor,
            title=title,
            description=description,
            base_price_cents=base_price_cents,
            **files,
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
    cover: UploadedFile[bytes] | None = None,
    remove_cover: bool = False,
) -> Gig:
    """Edit or pause a gig. Orders copied their prices, so changing extras never touches them.
    A new cover replaces the old one (whose files go once the change is committed)."""
    prepared = images.prepare_cover(cover) if cover is not None else None
    with _stored(prepared) as files, transaction.atomic():
        gig = Gig.objects.select_for_update().get(pk=gig.pk)
        if gig.seller_id != actor.pk:
            raise NotAllowed(NOT_OWNER)
        # Pausing stays possible while restricted; changing what is offered does not.
        if any(v is not None for v in (title, description, base_price_cents, extras, cover)) or (
            status == GigStatus.ACTIVE or remove_cover
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
        if files or (remove_cover and gig.cover):
            old = [str(f.name) for f in (gig.cover, gig.cover_thumbnail) if f]
            gig.cover = files.get("cover", "")
            gig.cover_thumbnail = files.get("cover_thumbnail", "")
            changed += ["cover", "cover_thumbnail"]
            transaction.on_commit(lambda: _delete(old))
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


@contextmanager
def _stored(cover: images.Cover | None) -> Iterator[dict[str, str]]:
    """Writes a prepared cover to storage for the gig's fields; if the change then fails, the
    files are removed again, so a refused change leaves nothing behind."""
    if cover is None:
        yield {}
        return
    names = {
        "cover": default_storage.save(f"gigs/covers/{cover.full.name}", cover.full),
        "cover_thumbnail": default_storage.save(
            f"gigs/thumbnails/{cover.thumbnail.name}", cover.thumbnail
        ),
    }
    try:
        yield names
    except BaseException:
        _delete(list(names.values()))
        raise


def _delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
