"""18.0.1.6.0, before the data files: the nightly overdue job keeps its records under the
name that says what it runs (ir_cron_overdue_reminders, was ir_cron_recompute_timeliness; its
server action follows), so that loading the data updates them instead of creating a second
job."""

RENAMES = [
    ("ir_cron_recompute_timeliness", "ir_cron_overdue_reminders"),
    (
        "ir_cron_recompute_timeliness_ir_actions_server",
        "ir_cron_overdue_reminders_ir_actions_server",
    ),
]


def migrate(cr, version):
    for old, new in RENAMES:
        cr.execute(
            "UPDATE ir_model_data SET name = %s WHERE module = 'hy_task_tracking' AND name = %s"
            " AND NOT EXISTS (SELECT 1 FROM ir_model_data"
            "                  WHERE module = 'hy_task_tracking' AND name = %s)",
            (new, old, new),
        )
