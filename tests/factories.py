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
