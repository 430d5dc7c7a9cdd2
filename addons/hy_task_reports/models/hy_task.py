from odoo import fields, models


class HyTask(models.Model):
    _inherit = "hy.task"

    # No column: lets the reports open "the tasks behind a figure" with a plain domain.
    hy_report_entry_ids = fields.One2many(
        "hy.report.entry", "task_id", string="Counted in Reports", readonly=True
    )
