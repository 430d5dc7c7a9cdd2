from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import create_index

from odoo.addons.hy_task_tracking.models.hy_task import EFFECTIVENESS_LEVELS, QUALITY_LEVELS

from .report_figures import REPORT_CATEGORIES


class HyReportEntry(models.Model):
    """One task counted by a report period, with what it counted as (the snapshot's detail).

    Written only by ``hy.report.period._build_snapshot`` in one INSERT ... SELECT from the task
    ledger as of the last day of the period, so that the figures of a line and the tasks
    behind each figure come from the same rows, and stay what they were when the period was
    approved whatever happens to the tasks afterwards.
    """

    _name = "hy.report.entry"
    _description = "Task Counted in a Report"
    # hy.write.guard with nothing declared: only the period's snapshot writes entries, in SQL.
    _inherit = ["hy.classified.mixin", "hy.write.guard"]
    _log_access = False
    _order = "period_id, unit_id, id"

    period_id = fields.Many2one(
        "hy.report.period", required=True, index=True, ondelete="cascade", readonly=True
    )
    unit_id = fields.Many2one("hy.unit", required=True, ondelete="restrict", readonly=True)
    task_id = fields.Many2one(
        "hy.task", required=True, index=True, ondelete="cascade", readonly=True
    )
    directive_id = fields.Many2one("hy.directive", ondelete="cascade", readonly=True)
    counted = fields.Boolean(
        readonly=True,
        help="Counted for the unit (it led the task on the last day of the period). The other "
        "entries are the tasks the unit transferred to another unit within the period.",
    )
    status_category = fields.Selection(REPORT_CATEGORIES, readonly=True)
    deadline = fields.Date(
        readonly=True, help="The deadline in force on the last day of the period."
    )
    date_done = fields.Date(
        readonly=True,
        help="The completion date known on the last day of the period.",
    )
    has_deadline = fields.Boolean(readonly=True)
    is_classified = fields.Boolean(readonly=True)
    is_returned = fields.Boolean(string="Returned", readonly=True)
    is_transferred_in = fields.Boolean(string="Transferred In", readonly=True)
    is_transferred_out = fields.Boolean(string="Transferred Out", readonly=True)
    is_extended = fields.Boolean(string="Deadline Extended", readonly=True)
    delay_days = fields.Integer(
        string="Delay (working days)",
        readonly=True,
        help="Working days between the deadline and the completion date of a task done late "
        "(calendar days in reports computed before working days were counted).",
    )
    # The Office's evaluation on the last day of the period, of open tasks too (Art. 7.1.g).
    # Reports computed before 18.0.1.4.0 kept the quality of confirmed results only.
    quality = fields.Selection(QUALITY_LEVELS, readonly=True)
    effectiveness = fields.Selection(EFFECTIVENESS_LEVELS, readonly=True)
    unit_days = fields.Integer(
        string="Working Days with the Unit",
        readonly=True,
        help="Working days of the period, up to its as-of day, that the task was open with the "
        "unit it counts for: assigned or in progress, not waiting for the Office.",
    )
    office_days = fields.Integer(
        string="Working Days with the Office",
        readonly=True,
        help="Working days of the period, up to its as-of day, that the task waited for the "
        "Office: returned, a result to confirm, an extension request to decide.",
    )
    # Urged within the period while this entry's unit led the task (the task ledger's urges,
    # each counted for the unit it named): an entry of its own, not counted, when the unit
    # neither counts the task nor transferred it within the period.
    urge_count = fields.Integer(
        string="Urged in the Period",
        readonly=True,
        help="Times the task was urged within the period while the unit led it.",
    )
    last_urge_date = fields.Date(
        string="Last Urged",
        readonly=True,
        help="The last day within the period the task was urged while the unit led it.",
    )

    def init(self):
        create_index(
            self.env.cr, "hy_report_entry_period_unit_idx", self._table, ["period_id", "unit_id"]
        )

    def write(self, vals):
        self._hy_check_fields("write", vals)
        if self and vals:
            raise UserError(_("The tasks counted by a report cannot be changed."))
        return super().write(vals)
