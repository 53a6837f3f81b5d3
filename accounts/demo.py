"""The demo cast (README): accounts in every role, reached through the real services."""

from __future__ import annotations

from dataclasses import dataclass

from accounts import roles, services
from accounts.models import BuyerTier, Language, SellerLevel, User

DEMO_PASSWORD = "demo-pass-2026"


@dataclass(frozen=True)
class CastMember:
    email: str
    display_name: str
    description: str
    timezone: str = "Europe/Berlin"
    language: str = Language.ENGLISH
    seller_level: str = SellerLevel.NEW
    buyer_tier: str = BuyerTier.STANDARD
    role: str | None = None
    superuser: bool = False


CAST = [
    CastMember(
        "seller@demo.test",
        "Lena Leveled",
        "a Level 2 seller",
        seller_level=SellerLevel.LEVEL_2,
        language=Language.GERMAN,
    ),
    CastMember(
        "newseller@demo.test",
        "Noah New",
        "a new seller without a level",
        timezone="America/New_York",
    ),
    CastMember("buyer@demo.test", "Bea Buyer", "a standard buyer", timezone="Europe/London"),
    CastMember(
        "pro@demo.test", "Paul Pro", "a Pro buyer", buyer_tier=BuyerTier.PRO, timezone="Asia/Tokyo"
    ),
    CastMember("support@demo.test", "Sam Support", "a support agent", role=roles.SUPPORT_AGENT),
    CastMember(
        "reviewer@demo.test", "Rita Reviewer", "a trust & safety reviewer", role=roles.REVIEWER
    ),
    CastMember("admin@demo.test", "Ada Admin", "a superuser", superuser=True),
    # Moderation's cast (moderation/demo.py gives them their history through the services).
    CastMember(
        "warned@demo.test",
        "Wanda Warned",
        "a buyer with one warning",
        timezone="Europe/Vienna",
        language=Language.GERMAN,
    ),
    CastMember(
        "restricted@demo.test",
        "Rex Restricted",
        "a Level 1 seller, restricted and under review",
        seller_level=SellerLevel.LEVEL_1,
    ),
    CastMember(
        "repeat@demo.test",
        "Ray Repeat",
        "restored twice, the second time as a repeat offender",
        timezone="America/Chicago",
    ),
    CastMember(
        "banned@demo.test",
        "Bruno Banned",
        "a banned seller whose balance is held (cannot log in)",
        seller_level=SellerLevel.LEVEL_1,
    ),
]


def upsert(member: CastMember) -> User:
    user = User.objects.filter(email=member.email).first()
    if user is None:
        user = services.register_user(
            email=member.email,
            password=DEMO_PASSWORD,
            display_name=member.display_name,
            timezone=member.timezone,
            language=member.language,
        )
    # Re-running puts every member back to the documented state.
    user = services.update_profile(
        user,
        actor=user,
        display_name=member.display_name,
        timezone=member.timezone,
        language=member.language,
    )
    user = services.set_seller_level(user, level=SellerLevel(member.seller_level), actor=None)
    user = services.set_buyer_tier(user, tier=BuyerTier(member.buyer_tier), actor=None)
    if member.role:
        user = services.grant_staff_role(user, role=member.role, actor=None)
    # Demo-only fields with no product workflow behind them: the published password and the
    # superuser flag of the demo admin.
    user.set_password(DEMO_PASSWORD)
    user.is_superuser = member.superuser
    user.is_staff = user.is_staff or member.superuser
    user.save(update_fields=["password", "is_superuser", "is_staff"])
    return user
