"""Staff roles see held balances, refunds to card and the notices sent; reviewers may cancel any
order (a sanction's cancellation refunds the buyer)."""

from django.db import migrations

import core.db

VIEW = [
    "marketplace.view_balancehold",
    "marketplace.view_cardrefund",
    "core.view_notification",
]


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_seams_money_and_message_kinds"),
        ("core", "0001_notifications"),
        ("accounts", "0004_api_tokens_and_audit_trail"),
    ]

    operations = [
        core.db.grant_permissions(
            {
                "Support agent": VIEW,
                "Trust & safety reviewer": [*VIEW, "marketplace.cancel_any_order"],
            }
        )
    ]
