from odoo import fields, models


class HyJobStatus(models.Model):
    """The nightly job of this module on the task tracker's runner: the report reminder."""

    _inherit = "hy.job.status"

    # Uninstalling the module takes its job's status with it.
    job = fields.Selection(
        selection_add=[("report_deadline", "Report reminders")],
        ondelete={"report_deadline": "cascade"},
    )
