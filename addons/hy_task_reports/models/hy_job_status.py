from odoo import fields, models


class HyJobStatus(models.Model):
    """The jobs of this module on the task tracker's runner: the report reminder, and the
    files of approved reports."""

    _inherit = "hy.job.status"

    # Uninstalling the module takes its job's status with it.
    job = fields.Selection(
        selection_add=[
            ("report_deadline", "Report reminders"),
            ("report_files", "Files of approved reports"),
        ],
        ondelete={"report_deadline": "cascade", "report_files": "cascade"},
    )
