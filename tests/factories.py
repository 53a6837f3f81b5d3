from __future__ import annotations

import factory
from factory.declarations import Sequence

from accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = Sequence(lambda n: f"user{n}@example.test")
    display_name = Sequence(lambda n: f"User {n}")
    password = factory.django.Password(PASSWORD)


def make_gig(
    seller: User,
    *,
    price: str = "50.00",
    extras: dict[str, str] | None = None,
    title: str = "Logo design",
):
    """A gig through the real service (prices in dollars for readability)."""
    from decimal import Decimal

    from marketplace import money, services
    from marketplace.services.gigs import ExtraInput

    return services.create_gig(
        seller=seller,
        title=title,
        description="I design logos.",
        base_price_cents=money.to_cents(Decimal(price)),
        extras=[ExtraInput(n, money.to_cents(Decimal(p))) for n, p in (extras or {}).items()],
    )
