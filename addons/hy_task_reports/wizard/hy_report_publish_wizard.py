from odoo import _, api, fields, models

from odoo.addons.hy_task_tracking.models.hy_write_guard import MANAGER


class HyReportPublishWizard(models.TransientModel):
    """Asks before publishing a second report of the same kind and period (Art. 18.2): the
    public page would show two sets of figures for one period."""

    _name = "hy.report.publish.wizard"
    _description = "Publish a Second Report of the Same Period"
    _inherit = ["hy.write.guard"]
    # Who may write what (hy.write.guard): the Office's leadership, who alone publishes;
    # action_publish checks it again when the report is published.
    _hy_create_fields = dict.fromkeys(("period_id", "twin_id"), MANAGER)
    _hy_write_fields = _hy_create_fields

    period_id = fields.Many2one(
        "hy.report.period", string="Report to Publish", required=True, ondelete="cascade"
    )
    twin_id = fields.Many2one(
        "hy.report.period", string="Published Report", required=True, ondelete="cascade"
    )
    twin_name = fields.Char(related="twin_id.name", string="Published Report Title")
    message = fields.Char(compute="_compute_message")

    @api.depends("twin_id")
    def _compute_message(self):
        for wizard in self:
            wizard.message = _(
                "Report %(name)s of the same kind and period is already published.",
                name=wizard.twin_id.name,
            )

    @api.model
    def _published_twin(self, period):
        """Another published report (not a revision of ``period``) of the same kind over the
        same dates, or of the same kind and year for a 6-month or annual report."""
        same_period = [("date_from", "=", period.date_from), ("date_to", "=", period.date_to)]
        if period.kind != "ad_hoc":
            same_period = ["|", ("year", "=", period.year), *same_period]
        return period.search(
            [
                ("state", "=", "published"),
                ("kind", "=", period.kind),
                ("root_revision_id", "!=", period.root_revision_id.id),
                *same_period,
            ],
            limit=1,
        )

    @api.model
    def _open_for(self, period, twin):
        wizard = self.create({"period_id": period.id, "twin_id": twin.id})
        return {
            "type": "ir.actions.act_window",
            "name": _("Publish the Report"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_publish_anyway(self):
        self.ensure_one()
        self.period_id.with_context(hy_publish_confirmed=True).action_publish()
        return {"type": "ir.actions.act_window_close"}
