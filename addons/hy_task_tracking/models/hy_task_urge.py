from odoo import api, fields, models
from odoo.tools import SQL

from .hy_time import hy_today


# hy.task is split by concern on purpose: its urges and requests for information here.
class HyTask(models.Model):
    """How often and how a task was urged, and the information the Office asked about it."""

    _inherit = "hy.task"  # pylint: disable=consider-merging-classes-inherited

    urge_count = fields.Integer(
        string="Times Urged", readonly=True, copy=False, default=0, help="Urges recorded."
    )
    last_urge_date = fields.Date(string="Last Urged", readonly=True, copy=False)
    urge_entry_ids = fields.One2many(
        "hy.task.ledger",
        "task_id",
        string="Urges",
        domain=[("change", "=", "urge")],
        readonly=True,
        groups="hy_task_tracking.group_office_officer,hy_task_tracking.group_leadership",
    )
    info_request_ids = fields.One2many(
        "hy.task.info.request", "task_id", string="Requests for Information"
    )
    open_info_request_count = fields.Integer(
        string="Open Requests for Information",
        compute="_compute_open_info_requests",
        store=True,
        help="Requests for information the unit has not answered yet.",
    )
    has_open_info_request = fields.Boolean(
        string="Information Requested", compute="_compute_open_info_requests", store=True
    )

    @api.depends("info_request_ids.state")
    def _compute_open_info_requests(self):
        # Stored, computed as superuser: every request counts, whoever reads the task.
        for task in self:
            count = len(task.info_request_ids.filtered(lambda r: r.state == "open"))
            task.open_info_request_count = count
            task.has_open_info_request = bool(count)

    def _hy_record_urge(self, channel, dispatches=None, note=None):
        """Record that the tasks of ``self`` were urged through ``channel`` (a key of
        URGE_CHANNELS): one ledger entry each, and their count and last date.

        ``dispatches``: {task id: dispatch id} when the urge is a dispatch; ``note``: what
        was said (never kept on classified tasks). Called by the workflow only (sending a
        dispatch, recording a call), after its own checks.
        """
        if not self:
            return
        refs = {task_id: {"dispatch_id": d_id} for task_id, d_id in (dispatches or {}).items()}
        self.env["hy.task.ledger"]._record_events(self, "urge", channel, refs=refs, note=note)
        # One UPDATE for the batch: the count is no field of the ledger's snapshot, and a
        # write() per task would run the task's whole write path for a counter.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE hy_task SET urge_count = COALESCE(urge_count, 0) + 1, "
                "last_urge_date = %s WHERE id IN %s",
                hy_today(),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["urge_count", "last_urge_date", "urge_entry_ids"])

    # ------------------------------------------------------------------ urging (issue 27)

    def action_prepare_urge_dispatches(self):
        """The action "Prepare urging dispatches" of the selected tasks: one draft per lead
        unit, then the drafts."""
        dispatches = self.env["hy.urge.dispatch"]._hy_prepare_for_tasks(self)
        return dispatches._hy_action_open()

    def action_open_urge_wizard(self):
        """Record an urge made by phone or in a meeting."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record an Urge"),
            "res_model": "hy.task.urge.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }
