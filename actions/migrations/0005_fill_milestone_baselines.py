"""Give every existing milestone its baseline and its re-plans, recovered from its change history.

The baseline is the due date of the milestone's first history record (when it was first
planned), or its current due date when it has no history. Each later history record that moved
the due date becomes a `MilestoneReplan` (with the record's change reason, if it had one), and
`replan_count` counts them. Running it twice changes nothing: milestones that already have a
baseline are left alone.
"""

from django.db import migrations

# Change reasons that say where a change came from, not why the date moved.
GENERIC_REASONS = {"", "Voortgangsrapportage"}


def fill_baselines(apps, schema_editor):
    Milestone = apps.get_model("actions", "Milestone")
    HistoricalMilestone = apps.get_model("actions", "HistoricalMilestone")
    MilestoneReplan = apps.get_model("actions", "MilestoneReplan")
    for milestone in Milestone.objects.filter(baseline_due_date__isnull=True).iterator():
        records = HistoricalMilestone.objects.filter(id=milestone.pk).order_by(
            "history_date", "history_id"
        )
        baseline = None
        previous = None
        replans = []
        for record in records.values(
            "due_date", "history_date", "history_user_id", "history_change_reason"
        ):
            if baseline is None:
                baseline = record["due_date"]
            elif record["due_date"] != previous:
                reason = record["history_change_reason"] or ""
                replans.append(
                    MilestoneReplan(
                        milestone_id=milestone.pk,
                        previous_due_date=previous,
                        new_due_date=record["due_date"],
                        reason="" if reason in GENERIC_REASONS else reason,
                        by_id=record["history_user_id"],
                        at=record["history_date"],
                    )
                )
            previous = record["due_date"]
        MilestoneReplan.objects.bulk_create(replans)
        Milestone.objects.filter(pk=milestone.pk).update(
            baseline_due_date=baseline or milestone.due_date, replan_count=len(replans)
        )


class Migration(migrations.Migration):
    dependencies = [("actions", "0004_milestone_baseline_and_replans")]

    operations = [migrations.RunPython(fill_baselines, migrations.RunPython.noop)]
