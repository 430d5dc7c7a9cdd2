"""18.0.1.2.0: the reminder ledger records each channel (activity, mail) on its own.

Until now one row stood for both: an overdue reminder was the Office's activity and the
unit's mail; a due-soon reminder was the unit's mail only. Give each sent reminder the rows
of what was sent, so that no reminder is sent again after the upgrade.
"""


def migrate(cr, version):
    cr.execute("UPDATE hy_task_reminder SET channel = 'mail' WHERE kind = 'due_soon'")
    cr.execute(
        """INSERT INTO hy_task_reminder (task_id, kind, channel, threshold, about_date, date)
           SELECT task_id, kind, 'mail', threshold, about_date, date
             FROM hy_task_reminder
            WHERE kind = 'overdue' AND channel = 'activity'
           ON CONFLICT DO NOTHING"""
    )
