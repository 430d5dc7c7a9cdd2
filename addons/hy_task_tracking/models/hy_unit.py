from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .hy_write_guard import MANAGER, OFFICE
from .status_category import OVERDUE_CATEGORIES


class HyUnit(models.Model):
    """An executing unit (department, district, city) or a follow-up division of the Office."""

    _name = "hy.unit"
    _description = "Unit"
    _inherit = ["hy.write.guard", "mail.thread"]
    _parent_store = True
    _order = "unit_type, sequence, name"
    _rec_names_search = ["name", "code"]
    # Who may write what (hy.write.guard): the Office keeps the list of units; only its
    # managers change who belongs to a unit (membership opens the unit's tasks).
    _hy_create_fields = {
        **dict.fromkeys(
            (
                "name",
                "code",
                "sequence",
                "unit_type",
                "parent_id",
                "partner_id",
                "email",
                "head_user_id",
                "connected",
            ),
            OFFICE,
        ),
        "user_ids": MANAGER,
    }
    _hy_write_fields = {**_hy_create_fields, "active": OFFICE}
    _hy_unlink_roles = MANAGER

    name = fields.Char(required=True, translate=False, tracking=True)
    code = fields.Char(
        required=True, index=True, tracking=True, help="Short unique code, e.g. SNV or UBND-KC."
    )
    sequence = fields.Integer(default=10)
    unit_type = fields.Selection(
        [
            ("office_division", "Follow-up division of the Office"),
            ("department", "Department / agency"),
            ("district", "District / town / city"),
            ("other", "Other"),
        ],
        required=True,
        default="department",
        index=True,
        tracking=True,
    )
    parent_id = fields.Many2one("hy.unit", string="Parent Unit", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("hy.unit", "parent_id", string="Sub-units")
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        ondelete="restrict",
        help="The unit's contact: its address and email receive notifications.",
    )
    email = fields.Char(related="partner_id.email", readonly=False)
    user_ids = fields.Many2many(
        "res.users",
        "hy_unit_res_users_rel",
        "unit_id",
        "user_id",
        string="Members",
        help="Internal or portal users who work the unit's tasks.",
    )
    head_user_id = fields.Many2one(
        "res.users",
        string="Head of Unit",
        help="Receives the unit's weekly summary. The head of a follow-up division of the "
        "Office is reminded of the tasks it follows that have no follow-up officer.",
    )
    connected = fields.Boolean(
        default=True,
        tracking=True,
        help="Unchecked when the unit does not use the software: the Office records "
        "progress and results on its behalf (Art. 6.1.b).",
    )
    active = fields.Boolean(default=True, tracking=True)
    lead_task_ids = fields.One2many("hy.task", "lead_unit_id", string="Tasks Led")
    task_count = fields.Integer(compute="_compute_task_counts", string="Tasks")
    overdue_task_count = fields.Integer(compute="_compute_task_counts", string="Overdue Tasks")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The unit code must be unique."),
    ]

    @api.depends("lead_task_ids.progress_status", "lead_task_ids.state")
    def _compute_task_counts(self):
        # One grouped query for all units, read as the current user so counts respect rules.
        # The status shown (progress_status): overdue never counts a task with the Office.
        groups = self.env["hy.task"]._read_group(
            [("lead_unit_id", "in", self.ids), ("state", "not in", ("draft", "cancelled"))],
            ["lead_unit_id", "progress_status"],
            ["__count"],
        )
        totals, overdue = {}, {}
        for unit, category, count in groups:
            totals[unit.id] = totals.get(unit.id, 0) + count
            if category in OVERDUE_CATEGORIES:
                overdue[unit.id] = overdue.get(unit.id, 0) + count
        for unit in self:
            unit.task_count = totals.get(unit.id, 0)
            unit.overdue_task_count = overdue.get(unit.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        units = super().create(vals_list)
        if any(vals.get("user_ids") for vals in vals_list):
            # The task rules are built from each user's units (security/hy_task_security.xml).
            self.env.registry.clear_cache()
            self.env["hy.classified.access.log"]._log_membership_changes(
                set(), units._hy_memberships()
            )
        return units

    def write(self, vals):
        before = self._hy_memberships() if "user_ids" in vals else None
        res = super().write(vals)
        if {"user_ids", "active"} & set(vals):
            # The task rules are built from each user's units (security/hy_task_security.xml).
            self.env.registry.clear_cache()
        if before is not None:
            self.env["hy.classified.access.log"]._log_membership_changes(
                before, self._hy_memberships()
            )
        return res

    def _hy_memberships(self):
        """{(unit id, user id)} of these units, archived users included: for the access log."""
        # Every member is logged, whoever changes the members.
        units = self.sudo().with_context(active_test=False)  # sudo: see the comment above
        return {(unit.id, user.id) for unit in units for user in unit.user_ids}

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("A unit cannot be its own parent."))

    @api.depends("code")
    def _compute_display_name(self):
        for unit in self:
            unit.display_name = unit.name or unit.code or ""

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hy_task_tracking.hy_task_action")
        action["domain"] = [("lead_unit_id", "=", self.id)]
        action["context"] = {"default_lead_unit_id": self.id}
        return action
