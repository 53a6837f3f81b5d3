"""Reports and flags filed before the queue existed join cases: every open one becomes part of
its target's unresolved case (one per target, as the service keeps it). Staff see cases."""

from typing import Any

from django.db import migrations

from core.db import grant_permissions
from moderation import triage


def gather(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("moderation", "Case")
    Report = apps.get_model("moderation", "Report")
    Flag = apps.get_model("moderation", "Flag")
    cases: dict[tuple[str, Any], Any] = {}

    def case_for(target_type: str, target: Any, subject_id: Any, reason: str, at: Any) -> Any:
        key = (target_type, target)
        if key not in cases:
            fields = {"message": {"message_id": target}, "call": {"call_id": target}}.get(
                target_type, {}
            )
            cases[key] = Case(
                target_type=target_type,
                subject_id=subject_id,
                reason=reason,
                created_at=at,
                **fields,
            )
        return cases[key]

    items: list[tuple[Any, Any]] = []
    for report in Report.objects.filter(status="open", case__isnull=True).order_by("created_at"):
        target = report.call_id if report.target_type == "call" else report.message_id
        if report.target_type == "user":
            target = report.reported_user_id
        case = case_for(
            report.target_type, target, report.reported_user_id, report.reason, report.created_at
        )
        case.reports_count += 1
        items.append((report, case))
    for flag in Flag.objects.filter(status="open", case__isnull=True).order_by("created_at"):
        target_type, target = (
            ("call", flag.call_id) if flag.call_id else ("message", flag.message_id)
        )
        rules = flag.finding.split(",")
        case = case_for(
            target_type,
            target,
            flag.flagged_user_id,
            triage.reason_of_rules(rules),
            flag.created_at,
        )
        case.flags_count += 1
        case.sensitive = case.sensitive or triage.is_sensitive(rules)
        items.append((flag, case))
    for case in cases.values():
        case.priority = triage.priority(
            sensitive=case.sensitive,
            repeat_target=False,
            items=case.reports_count + case.flags_count,
        )
        case.rank = triage.rank(case.priority, case.created_at)
        case.save()
    for item, case in items:
        item.case_id = case.pk
        item.save(update_fields=["case"])


class Migration(migrations.Migration):
    dependencies = [("moderation", "0006_cases")]

    operations = [
        migrations.RunPython(gather, migrations.RunPython.noop),
        grant_permissions(
            {
                "Support agent": ["moderation.view_case"],
                "Trust & safety reviewer": ["moderation.view_case"],
            }
        ),
    ]
