from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hy_write_guard import OFFICER


class HyUrgeDispatchLine(models.Model):
    """One task urged by a dispatch. The deadline and the working days late are those of the
    day the dispatch was sent (frozen then), so that the document keeps saying what it said."""

    _name = "hy.urge.dispatch.line"
    _description = "Task of an Urging Dispatch"
    _inherit = ["hy.classified.mixin", "hy.write.guard"]
    _order = "dispatch_id, sequence, id"
    # Who may write what (hy.write.guard): an officer lists the tasks of a draft (a line is
    # created through its dispatch, which names itself); the frozen figures are the sending's.
    # Only a draft's lines change (create, write, unlink below).
    _hy_create_fields = {"dispatch_id": OFFICER, "task_id": OFFICER, "sequence": OFFICER}
    _hy_write_fields = {"sequence": OFFICER}
    _hy_unlink_roles = OFFICER

    dispatch_id = fields.Many2one("hy.urge.dispatch", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    task_id = fields.Many2one("hy.task", required=True, index=True, ondelete="restrict")
    directive_id = fields.Many2one(related="task_id.directive_id")
    is_classified = fields.Boolean(related="task_id.is_classified")
    authority = fields.Selection(related="task_id.authority")
    deadline = fields.Date(string="Deadline When Sent", readonly=True)
    working_days_overdue = fields.Integer(string="Working Days Late When Sent", readonly=True)
    task_label = fields.Char(
        string="Classified",
        compute="_compute_shown",
        help="Tasks of classified directives are shown without content or reference.",
    )
    deadline_shown = fields.Date(
        string="Deadline",
        compute="_compute_shown",
        help="The deadline in force for a draft; the one of the day it was sent after.",
    )
    days_late_shown = fields.Integer(
        string="Working Days Late",
        compute="_compute_shown",
        help="Working days late today for a draft; those of the day it was sent after.",
    )

    _sql_constraints = [
        ("task_once", "unique(dispatch_id, task_id)", "A task is listed once in a dispatch."),
    ]

    @api.depends("task_id", "is_classified", "dispatch_id.state", "deadline")
    def _compute_shown(self):
        drafts = self.filtered(lambda line: line.dispatch_id.state == "draft")
        # The working days late of every draft's tasks, computed at once.
        drafts.task_id.mapped("working_days_overdue")
        for line in self:
            line.task_label = self.env._("Classified task") if line.is_classified else False
            if line in drafts:
                line.deadline_shown = line.task_id.deadline
                line.days_late_shown = line.task_id.working_days_overdue
            else:
                line.deadline_shown = line.deadline
                line.days_late_shown = line.working_days_overdue

    @api.constrains("task_id", "dispatch_id")
    def _check_task(self):
        """A draft lists open tasks of its unit, each in one draft at a time."""
        lines = self.sudo().filtered(lambda line: line.dispatch_id.state == "draft")  # sudo: all
        if not lines:
            return
        refusals = self.env["hy.urge.dispatch"]._hy_refusals(lines.task_id, except_lines=lines)
        if refusals:
            raise ValidationError(
                self.env._(
                    "A draft urging dispatch lists open tasks that are in no other draft; "
                    "%(count)s of these are not: %(reasons)s.",
                    count=sum(refusals.values()),
                    reasons="; ".join(f"{count} {why}" for why, count in refusals.items()),
                )
            )
        for line in lines:
            if line.task_id.lead_unit_id != line.dispatch_id.unit_id:
                raise ValidationError(
                    self.env._(
                        "An urging dispatch lists the tasks of the unit it urges only: "
                        "%(unit)s does not lead some of its tasks.",
                        unit=line.dispatch_id.unit_id.display_name,
                    )
                )

    def _hy_check_draft(self, dispatches):
        if not self.env.su and any(dispatch.state != "draft" for dispatch in dispatches):
            raise UserError(
                self.env._("The tasks of an urging dispatch sent or cancelled cannot change.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        dispatch_ids = {vals["dispatch_id"] for vals in vals_list if vals.get("dispatch_id")}
        dispatches = self.env["hy.urge.dispatch"].sudo()  # sudo: their state, whoever writes
        self._hy_check_draft(dispatches.browse(dispatch_ids).exists())
        return super().create(vals_list)

    def write(self, vals):
        self._hy_check_fields("write", set(vals) - self._hy_server_write_fields)
        self._hy_check_draft(self.sudo().dispatch_id)  # sudo: its state, whoever writes
        return super().write(vals)

    def unlink(self):
        self._hy_check_unlink()
        self._hy_check_draft(self.sudo().dispatch_id)  # sudo: its state, whoever deletes
        return super().unlink()
