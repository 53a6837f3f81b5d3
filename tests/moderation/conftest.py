"""Moderation's tests use the calls tests' cast (an eligible seller, a call to start)."""

from tests.calls.conftest import eligible_seller, invited, start_call  # noqa: F401
