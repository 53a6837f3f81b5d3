"""Demo marketplace for the cast (README): gigs, orders in every state with extras and tips,
conversations and balances, all through the real services. Created once: re-running finds the
demo seller's gigs and leaves everything as it is."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.models import User
from core import clock
from marketplace import services
from marketplace.models import Gig, Order
from marketplace.services.gigs import ExtraInput


def _cover(top: str, bottom: str) -> SimpleUploadedFile:
    """A simple picture for a demo gig: two colours and a circle (drawn, not downloaded)."""
    image = Image.new("RGB", (1200, 900), top)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 900), fill=bottom)
    draw.ellipse((450, 230, 750, 530), fill="white")
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def _order(gig: Gig, buyer: User, extras: list[str]) -> Order:
    ids = [e.id for e in gig.extras.all() if e.name in extras]
    return services.place_order(gig, actor=buyer, extra_ids=ids)


def seed(cast: dict[str, User]) -> bool:
    lena, noah = cast["seller@demo.test"], cast["newseller@demo.test"]
    bea, paul = cast["buyer@demo.test"], cast["pro@demo.test"]
    if Gig.objects.filter(seller=lena).exists():
        return False

    logo = services.create_gig(
        actor=lena,
        title="A logo that fits your brand",
        description="Three concepts, two revisions, vector files.",
        base_price_cents=6000,
        extras=[ExtraInput("Express delivery", 2500), ExtraInput("Source files", 1500)],
        cover=_cover("#1d4ed8", "#f4b400"),
    )
    guide = services.create_gig(
        actor=lena,
        title="Brand style guide",
        description="Colours, type and usage rules in a 12-page guide.",
        base_price_cents=12000,
        extras=[ExtraInput("Social media kit", 4000)],
        cover=_cover("#1b6b3a", "#e8ecf0"),
    )
    icon = services.create_gig(
        actor=noah,
        title="A quick app icon",
        description="One icon in all the sizes the stores need.",
        base_price_cents=2000,
    )

    # Completed with an extra and a tip, then cleared: Lena has an available balance.
    first = _order(logo, bea, ["Express delivery"])
    services.send_message(first.conversation, actor=bea, body="Hi Lena! Blue and gold, please.")
    services.send_message(first.conversation, actor=lena, body="Got it, first drafts tomorrow.")
    first = services.deliver_order(first, actor=lena)
    first = services.tip_order(first, actor=bea, amount_cents=1000)
    services.accept_order(first, actor=bea)
    services.clear_pending_earnings(now=clock.now() + timedelta(days=15))

    # Completed with two extras: pending until the clearing period is over.
    second = _order(guide, paul, ["Social media kit"])
    second = services.deliver_order(second, actor=lena)
    services.accept_order(second, actor=paul)

    # One in every other state.
    services.deliver_order(_order(logo, paul, ["Source files"]), actor=lena)  # delivered
    _order(logo, bea, [])  # active
    # Cancelled, one bought from Noah (Bea holds $20 credit) and one sold by Lena (Paul $120).
    services.cancel_order(_order(icon, bea, []), actor=bea)
    services.cancel_order(_order(guide, paul, []), actor=paul)
    return True
