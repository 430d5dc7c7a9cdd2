from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.hy_task_tracking.models.hy_write_guard import OFFICE

from .report_figures import FROZEN_STATES, SNAPSHOT_FIELDS


class HyReportLine(models.Model):
    """The figures of one unit in one report period: a snapshot, frozen once approved."""

    _name = "hy.report.line"
    _inherit = ["hy.write.guard", "hy.report.figures"]
    _description = "Task Report Line"
    _order = "period_id, sequence, id"
    # Who may write what (hy.write.guard): the Office evaluates each unit; the figures, the
    # score and the rank come only from computing the period (its snapshot, as superuser).
    _hy_write_fields = {"evaluation": OFFICE}

    period_id = fields.Many2one(
        "hy.report.period", required=True, index=True, ondelete="cascade", readonly=True
    )
    unit_id = fields.Many2one(
        "hy.unit", required=True, index=True, ondelete="restrict", readonly=True
    )
    sequence = fields.Integer(readonly=True, help="Ranked units first, by rank.")
    state = fields.Selection(related="period_id.state", string="Report Status")
    turns_counted = fields.Boolean(related="period_id.turns_counted")
    urges_counted = fields.Boolean(related="period_id.urges_counted")
    score = fields.Float(
        digits=(5, 2),
        readonly=True,
        help="(Weight of completion × completion points + weight of quality × quality points) "
        "/ (sum of the two weights).",
    )
    rank = fields.Integer(
        readonly=True,
        help="0: not ranked (nothing rated in the period: nothing due, nothing done).",
    )
    evaluation = fields.Text(help="The Office's evaluation of the unit in this period.")

    _sql_constraints = [
        ("period_unit_unique", "unique(period_id, unit_id)", "One line per unit in a report."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        if not self.env.context.get("hy_report_snapshot"):
            raise UserError(_("The lines of a report come only from computing its figures."))
        return super().create(vals_list)

    def write(self, vals):
        self._hy_check_fields("write", vals)
        frozen = self.filtered(lambda line: line.period_id.state in FROZEN_STATES)
        if frozen:
            raise UserError(
                _(
                    "Report %s is approved: its figures and evaluations can no longer change.",
                    frozen[0].period_id.display_name,
                )
            )
        if set(vals) & {*SNAPSHOT_FIELDS, "period_id", "unit_id", "sequence"}:
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
