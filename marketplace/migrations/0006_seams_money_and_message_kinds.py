"""The seams for sanctions and calls: held balances, refunds to card, platform cancellations,
message kinds as a registry instead of choices, and a ledger Postgres refuses to rewrite.

The card payments recorded before this migration get their charge reference from their order
(the first payment entry of an order is the order's charge; a tip's charge reference was not
kept, so a tip paid before now is not matched to a refund to card). That is the last UPDATE the
ledger sees: the trigger added at the end refuses any other.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.db


def charge_references(apps, schema_editor):
    LedgerEntry = apps.get_model("marketplace", "LedgerEntry")
    first_payments = (
        LedgerEntry.objects.filter(bucket="external", kind="payment", order__isnull=False)
        .order_by("order_id", "id")
        .values_list("id", "order__payment_reference", "order_id")
    )
    seen = set()
    for entry_id, reference, order_id in first_payments.iterator():
        if order_id in seen or not reference:
            continue
        seen.add(order_id)
        LedgerEntry.objects.filter(pk=entry_id).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0005_notice_titles_and_activity_default"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BalanceHold",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("held", "Held"),
                            ("window_open", "Withdrawal window open"),
                            ("closed", "Closed (remainder unclaimed)"),
                            ("released", "Released"),
                        ],
                        default="held",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "held_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="held"),
                ),
                ("releases_at", models.DateTimeField(verbose_name="window opens")),
                (
                    "window_opened_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="window opened"),
                ),
                (
                    "window_closes_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="window closes"),
                ),
                ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="ended")),
            ],
            options={
                "verbose_name": "held balance",
                "verbose_name_plural": "held balances",
                "ordering": ["-held_at"],
            },
        ),
        migrations.CreateModel(
            name="CardRefund",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("charge_reference", models.CharField(max_length=100)),
                ("amount_cents", models.PositiveBigIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Requested"),
                            ("refunded", "Refunded"),
                            ("failed", "Failed"),
                        ],
                        default="requested",
                        max_length=16,
                    ),
                ),
                ("reason", models.TextField(blank=True)),
                ("refund_reference", models.CharField(blank=True, max_length=100)),
                ("failure", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("settled_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "refund to card",
                "verbose_name_plural": "refunds to card",
                "ordering": ["-created_at"],
            },
        ),
        migrations.AlterModelOptions(
            name="order",
            options={
                "ordering": ["-placed_at", "-id"],
                "permissions": [("cancel_any_order", "Can cancel any order (refunding the buyer)")],
                "verbose_name": "order",
                "verbose_name_plural": "orders",
            },
        ),
        migrations.RemoveConstraint(
            model_name="ledgerentry",
            name="marketplace_ledger_bucket",
        ),
        migrations.RemoveConstraint(
            model_name="ledgerentry",
            name="marketplace_ledger_kind",
        ),
        migrations.RemoveConstraint(
            model_name="message",
            name="marketplace_message_kind",
        ),
        migrations.RemoveConstraint(
            model_name="message",
            name="marketplace_message_sender",
        ),
        migrations.RemoveConstraint(
            model_name="order",
            name="marketplace_order_tip_after_delivery",
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="reference",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="order",
            name="cancellation_reason",
            field=models.TextField(blank=True, verbose_name="why cancelled"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="bucket",
            field=models.CharField(
                choices=[
                    ("pending", "Pending clearance"),
                    ("available", "Available"),
                    ("credit", "Credit"),
                    ("held", "Held"),
                    ("unclaimed", "Unclaimed"),
                    ("external", "External"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("payment", "Payment"),
                    ("earning", "Earning"),
                    ("tip", "Tip"),
                    ("clearing", "Cleared"),
                    ("refund", "Refund"),
                    ("credit_used", "Credit used"),
                    ("withdrawal", "Withdrawal"),
                    ("withdrawal_reversed", "Withdrawal returned"),
                    ("hold", "Held after a ban"),
                    ("release", "Hold released"),
                    ("unclaimed", "Marked unclaimed"),
                    ("card_refund", "Refund to card"),
                    ("card_refund_reversed", "Refund to card returned"),
                ],
                max_length=24,
            ),
        ),
        migrations.AlterField(
            model_name="message",
            name="kind",
            field=models.CharField(default="text", max_length=32),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("tip_cents", 0), ("delivered_at__isnull", False), _connector="OR"
                ),
                name="marketplace_order_tip_after_delivery",
            ),
        ),
        migrations.AddField(
            model_name="balancehold",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="balance_holds",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="hold",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="marketplace.balancehold",
            ),
        ),
        migrations.AddField(
            model_name="withdrawal",
            name="hold",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="withdrawals",
                to="marketplace.balancehold",
            ),
        ),
        migrations.AddField(
            model_name="cardrefund",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="card_refunds",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="card_refund",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="marketplace.cardrefund",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "bucket__in",
                        ["pending", "available", "credit", "held", "unclaimed", "external"],
                    )
                ),
                name="marketplace_ledger_bucket",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "payment",
                            "earning",
                            "tip",
                            "clearing",
                            "refund",
                            "credit_used",
                            "withdrawal",
                            "withdrawal_reversed",
                            "hold",
                            "release",
                            "unclaimed",
                            "card_refund",
                            "card_refund_reversed",
                        ],
                    )
                ),
                name="marketplace_ledger_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind__in", ["earning", "tip", "refund", "credit_used"])),
                fields=("order", "bucket", "kind"),
                name="marketplace_ledger_once_per_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawal__isnull", False)),
                fields=("withdrawal", "bucket", "kind"),
                name="marketplace_ledger_once_per_withdrawal",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("card_refund__isnull", False)),
                fields=("card_refund", "bucket", "kind"),
                name="marketplace_ledger_once_per_card_refund",
            ),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind__in", ["unclaimed", "release"])),
                fields=("hold", "bucket", "kind"),
                name="marketplace_ledger_once_per_hold_end",
            ),
        ),
        migrations.AddIndex(
            model_name="balancehold",
            index=models.Index(
                condition=models.Q(("status", "held")),
                fields=["releases_at"],
                name="marketplace_hold_due",
            ),
        ),
        migrations.AddIndex(
            model_name="balancehold",
            index=models.Index(
                condition=models.Q(("status", "window_open")),
                fields=["window_closes_at"],
                name="marketplace_hold_window_due",
            ),
        ),
        migrations.AddConstraint(
            model_name="balancehold",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["held", "window_open", "closed", "released"])),
                name="marketplace_hold_status",
            ),
        ),
        migrations.AddConstraint(
            model_name="balancehold",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["held", "window_open"])),
                fields=("user",),
                name="marketplace_hold_one_open",
            ),
        ),
        migrations.AddConstraint(
            model_name="cardrefund",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_cents__gt", 0)), name="marketplace_card_refund_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="cardrefund",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["requested", "refunded", "failed"])),
                name="marketplace_card_refund_status",
            ),
        ),
        migrations.RunPython(charge_references, migrations.RunPython.noop),
        core.db.RefuseChanges("ledgerentry"),
    ]
