"""What a member sees of moderation about themselves (M-8): their standing and warnings on the
account page and in `GET /api/me/` — never a review's end date (M-9)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.serializers import me_field
from accounts.slots import ACCOUNT_PAGE
from core.slots import fill_slot
from moderation import selectors
from moderation.serializers import OwnWarningSerializer


def _standing_panel(reader: User) -> dict[str, Any]:
    return {
        "warnings": list(selectors.warnings_of(reader)),
        "statements": list(selectors.statements_of(reader)[:10]),
        "under_review": selectors.open_review_of(reader) is not None,
    }


fill_slot(
    ACCOUNT_PAGE,
    name="standing",
    template="moderation/_standing.html",
    context=_standing_panel,
)


@extend_schema_field(OwnWarningSerializer(many=True))
class OwnWarningsField(serializers.Field[Any, Any, Any, User]):
    """The member's warnings, newest first, each with the rule it reminds them of."""

    def __init__(self) -> None:
        super().__init__(source="*", read_only=True)

    def to_representation(self, user: User) -> Any:
        return OwnWarningSerializer(selectors.warnings_of(user), many=True).data


me_field("warnings", OwnWarningsField)
