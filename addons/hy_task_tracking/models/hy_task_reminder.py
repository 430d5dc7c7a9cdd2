from odoo import fields, models


class HyTaskReminder(models.Model):
    """Ledger of the reminders already sent, so that a rerun of a cron never repeats one."""

    _name = "hy.task.reminder"
    # hy.write.guard with nothing declared: only the reminder jobs record reminders.
    _inherit = ["hy.write.guard"]
    _description = "Task Reminder Sent"
    _log_access = False

    task_id = fields.Many2one("hy.task", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(
        [("due_soon", "Due soon"), ("overdue", "Overdue"), ("stale", "Without update")],
        required=True,
    )
    channel = fields.Selection(
        [("activity", "Activity for the Office"), ("mail", "Mail to the unit")],
        required=True,
        default="activity",
        help="Each way a reminder reaches someone is recorded on its own, so that a job "
        "stopped between the two finishes the second on its next run, without repeating "
        "the first.",
    )
    threshold = fields.Integer(help="Days before the deadline, for due-soon reminders.")
    about_date = fields.Date(
        help="The deadline (or last update) the reminder was about: a new one resets it."
    )
    date = fields.Date(required=True, default=fields.Date.today)

    _sql_constraints = [
        (
            "reminder_unique",
            "unique(task_id, kind, channel, threshold, about_date)",
            "This reminder was already sent.",
        )
    ]
