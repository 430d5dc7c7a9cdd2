from odoo import api, fields, models
from odoo.exceptions import UserError

from .hy_task import OPEN_STATES
from .status_category import OVERDUE_CATEGORIES


# hy.unit is split by concern, as hy.task: the urging dispatches of a unit here.
class HyUnit(models.Model):
    """The urging dispatches a unit received, and "Urge" on its overdue tasks."""

    _inherit = "hy.unit"  # pylint: disable=consider-merging-classes-inherited

    urge_dispatch_count = fields.Integer(
        compute="_compute_urge_dispatch_count", string="Urging Dispatches"
    )

    @api.depends_context("uid")
    def _compute_urge_dispatch_count(self):
        # One grouped query, as the user: the record rules decide what each one counts.
        counts = dict(
            self.env["hy.urge.dispatch"]._read_group(
                [("unit_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["unit_id"],
                ["__count"],
            )
        )
        for unit in self:
            unit.urge_dispatch_count = counts.get(unit, 0)

    def action_view_urge_dispatches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hy_task_tracking.hy_urge_dispatch_action"
        )
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {"default_unit_id": self.id}
        return action

    def action_prepare_urge_dispatch(self):
        """The unit's "Urge": a draft of its overdue tasks not in a draft yet; its draft
        when all of them already are."""
        self.ensure_one()
        Dispatch = self.env["hy.urge.dispatch"]
        overdue = self.env["hy.task"].search(
            [
                ("lead_unit_id", "=", self.id),
                ("state", "in", OPEN_STATES),
                ("progress_status", "in", OVERDUE_CATEGORIES),
            ]
        )
        tasks = overdue - Dispatch._hy_tasks_in_drafts(overdue)
        if tasks:
            return Dispatch._hy_prepare_for_tasks(tasks)._hy_action_open()
        drafts = Dispatch.search([("unit_id", "=", self.id), ("state", "=", "draft")])
        if drafts:
            return drafts._hy_action_open()
        raise UserError(self.env._("%s has no overdue task to urge.", self.display_name))
