from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import BuyerTier, Language, SellerLevel, Standing, User
from accounts.validators import validate_timezone
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_new_user_logs_in_with_email_and_has_the_documented_defaults():
    user = User.objects.create_user(
        email="Ann@Example.TEST", password="s3cret-pass!", display_name="Ann"
    )
    assert user.email == "ann@example.test"
    assert user.check_password("s3cret-pass!")
    assert user.timezone == "UTC"
    assert user.language == Language.ENGLISH
    assert user.seller_level == SellerLevel.NEW
    assert user.buyer_tier == BuyerTier.STANDARD
    assert user.standing == Standing.ACTIVE
    assert not user.has_seller_level
    assert not user.is_premium_buyer


def test_email_is_unique_whatever_its_case_even_when_written_around_the_manager():
    UserFactory.create(email="dup@example.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email="DUP@example.test", display_name="Other").save()


def test_login_lookup_is_case_insensitive(client):
    UserFactory.create(email="case@example.test")
    assert client.login(email="CASE@Example.test", password=PASSWORD)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC"])
def test_iana_time_zones_are_accepted(zone):
    validate_timezone(zone)


@pytest.mark.parametrize(
    "zone", ["Berlin", "CEST", "Europe/Atlantis", "", "+02:00", "../etc/passwd"]
)
def test_anything_but_an_iana_time_zone_is_rejected(zone):
    with pytest.raises(ValidationError) as error:
        validate_timezone(zone)
    assert error.value.code == "invalid_timezone"


def test_an_invalid_time_zone_cannot_be_saved_through_the_manager():
    with pytest.raises(ValidationError):
        User.objects.create_user(
            email="tz@example.test",
            password="x-pass-123!",
            display_name="T",
            timezone="Mars/Olympus",
        )
    assert not User.objects.filter(email="tz@example.test").exists()


def test_the_database_refuses_an_unknown_standing():
    user = UserFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(standing="suspended")


@pytest.mark.parametrize(
    ("level", "has_level"),
    [
        (SellerLevel.NEW, False),
        (SellerLevel.LEVEL_1, True),
        (SellerLevel.LEVEL_2, True),
        (SellerLevel.TOP_RATED, True),
    ],
)
def test_a_seller_with_a_level_means_level_one_or_higher(level, has_level):
    assert UserFactory.create(seller_level=level).has_seller_level is has_level


@pytest.mark.parametrize(
    ("tier", "premium"),
    [(BuyerTier.STANDARD, False), (BuyerTier.PRO, True), (BuyerTier.SELECT, True)],
)
def test_pro_and_select_buyers_are_premium(tier, premium):
    assert UserFactory.create(buyer_tier=tier).is_premium_buyer is premium
