from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .report_figures import SNAPSHOT_FIELDS

FROZEN_STATES = ("approved", "published", "superseded")


class HyReportLine(models.Model):
    """The figures of one unit in one report period: a snapshot, frozen once approved."""

    _name = "hy.report.line"
    _description = "Task Report Line"
    _order = "period_id, sequence, id"

    period_id = fields.Many2one(
        "hy.report.period", required=True, index=True, ondelete="cascade", readonly=True
    )
    unit_id = fields.Many2one(
        "hy.unit", required=True, index=True, ondelete="restrict", readonly=True
    )
    sequence = fields.Integer(readonly=True, help="Ranked units first, by rank.")
    state = fields.Selection(related="period_id.state", string="Report Status")
    assigned_count = fields.Integer(string="Tasks Assigned", readonly=True)
    done_on_time_count = fields.Integer(string="Done on Time", readonly=True)
    done_late_count = fields.Integer(string="Done Late", readonly=True)
    in_progress_on_time_count = fields.Integer(string="In Progress, on Time", readonly=True)
    in_progress_overdue_count = fields.Integer(string="In Progress, Overdue", readonly=True)
    not_started_on_time_count = fields.Integer(string="Not Started, on Time", readonly=True)
    not_started_overdue_count = fields.Integer(string="Not Started, Overdue", readonly=True)
    no_deadline_count = fields.Integer(string="Without Deadline", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    overdue_count = fields.Integer(string="Overdue", readonly=True)
    returned_count = fields.Integer(
        string="Returned",
        readonly=True,
        help="Tasks the unit sent back to the Office, still waiting to be adjusted or "
        "transferred when the figures were computed.",
    )
    transferred_count = fields.Integer(
        string="Transferred In",
        readonly=True,
        help="Tasks that came to the unit by transfer from another unit.",
    )
    classified_count = fields.Integer(
        string="Of Classified Directives",
        readonly=True,
        help="Tasks of classified directives among those counted: reports show only this count.",
    )
    quality_excellent_count = fields.Integer(string="Excellent", readonly=True)
    quality_good_count = fields.Integer(string="Good", readonly=True)
    quality_satisfactory_count = fields.Integer(string="Satisfactory", readonly=True)
    quality_unsatisfactory_count = fields.Integer(string="Unsatisfactory", readonly=True)
    total_delay_days = fields.Integer(string="Total Delay (days)", readonly=True)
    avg_delay_days = fields.Float(
        string="Average Delay (days)",
        digits=(16, 1),
        readonly=True,
        help="Average number of days late of the tasks done late.",
    )
    on_time_rate = fields.Float(
        string="On-time Rate (%)",
        digits=(5, 2),
        readonly=True,
        help="Tasks done on time, as a percentage of the tasks done.",
    )
    quality_score = fields.Float(
        string="Quality Points",
        digits=(5, 2),
        readonly=True,
        help="Average points of the quality evaluations: excellent 100, good 80, "
        "satisfactory 50, unsatisfactory 0.",
    )
    score = fields.Float(digits=(5, 2), readonly=True)
    rank = fields.Integer(readonly=True, help="0: the unit had no task in the period.")
    evaluation = fields.Text(help="The Office's evaluation of the unit in this period.")

    _sql_constraints = [
        ("period_unit_unique", "unique(period_id, unit_id)", "One line per unit in a report."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("hy_report_snapshot"):
            raise UserError(_("The lines of a report come only from computing its figures."))
        return super().create(vals_list)

    def write(self, vals):
        frozen = self.filtered(lambda line: line.period_id.state in FROZEN_STATES)
        if frozen:
            raise UserError(
                _(
                    "Report %s is approved: its figures and evaluations can no longer change.",
                    frozen[0].period_id.display_name,
                )
            )
        if set(vals) & set(SNAPSHOT_FIELDS + ("period_id", "unit_id", "sequence")):
            raise UserError(_("The figures of a report come only from computing them."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if any(line.period_id.state in FROZEN_STATES for line in self):
            raise UserError(_("The lines of an approved report cannot be deleted."))

    def action_open_tasks(self, figure="assigned_count"):
        """The tasks behind one figure of this line (drill-down from the report)."""
        self.ensure_one()
        return self.period_id._tasks_action(
            figure,
            [("period_id", "=", self.period_id.id), ("unit_id", "=", self.unit_id.id)],
            self.unit_id.display_name,
        )
