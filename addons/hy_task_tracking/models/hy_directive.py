from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

SECURITY_LEVELS = [
    ("normal", "Normal"),
    ("confidential", "Confidential (Mật)"),
    ("secret", "Secret (Tối mật)"),
    ("top_secret", "Top secret (Tuyệt mật)"),
]
AUTHORITIES = [
    ("government", "Government"),
    ("prime_minister", "Prime Minister"),
    ("province", "Provincial People's Committee"),
    ("province_chairman", "Chairman of the Provincial People's Committee"),
]


class HyDirective(models.Model):
    """A directive document (văn bản giao nhiệm vụ): the source of assigned tasks (Art. 7)."""

    _name = "hy.directive"
    _description = "Directive Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "issue_date desc, id desc"
    _rec_names_search = ["number", "name"]

    name = fields.Char(
        string="Document Name", required=True, tracking=True, help="E.g. Quyết định, Chỉ thị."
    )
    number = fields.Char(
        string="Number / Symbol",
        required=True,
        index=True,
        tracking=True,
        help="E.g. 23/2018/QĐ-TTg",
    )
    issue_date = fields.Date(required=True, index=True, tracking=True)
    issue_year = fields.Integer(compute="_compute_issue_year", store=True, index=True)
    signer = fields.Char(required=True, tracking=True)
    summary = fields.Text(
        string="Summary (Trích yếu)", help="Never filled for classified documents (Art. 7.2.a)."
    )
    authority = fields.Selection(
        AUTHORITIES, string="Issuing Authority", required=True, index=True, tracking=True
    )
    submitting_unit_id = fields.Many2one("hy.unit", index=True, tracking=True, ondelete="restrict")
    followup_unit_id = fields.Many2one(
        "hy.unit",
        string="Follow-up Division",
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("unit_type", "=", "office_division")],
    )
    security_level = fields.Selection(
        SECURITY_LEVELS, required=True, default="normal", index=True, tracking=True
    )
    is_classified = fields.Boolean(compute="_compute_is_classified", store=True, index=True)
    document_file = fields.Binary(attachment=True)
    document_filename = fields.Char()
    task_ids = fields.One2many("hy.task", "directive_id", string="Tasks")
    task_total = fields.Integer(
        compute="_compute_task_total",
        store=True,
        string="Total Tasks",
        help="Every task of the document, whoever may see them (Art. 7.2.đ allows this figure).",
    )
    task_count = fields.Integer(compute="_compute_task_stats", string="Number of Tasks")
    task_done_count = fields.Integer(compute="_compute_task_stats", string="Tasks Done")
    task_overdue_count = fields.Integer(compute="_compute_task_stats", string="Tasks Overdue")
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        (
            "number_authority_year_unique",
            "unique(number, authority, issue_year)",
            "A directive with this number already exists for this authority and year.",
        ),
        (
            "classified_without_summary",
            "CHECK(security_level = 'normal' OR summary IS NULL)",
            "A classified directive cannot hold a summary.",
        ),
    ]

    @api.depends("issue_date")
    def _compute_issue_year(self):
        for directive in self:
            directive.issue_year = directive.issue_date.year if directive.issue_date else 0

    @api.depends("security_level")
    def _compute_is_classified(self):
        for directive in self:
            directive.is_classified = directive.security_level != "normal"

    @api.depends("task_ids")
    def _compute_task_total(self):
        # Stored computes run as superuser: the total counts tasks the user may not see.
        for directive in self:
            directive.task_total = len(directive.with_context(active_test=False).task_ids)

    def _compute_task_stats(self):
        groups = self.env["hy.task"]._read_group(
            [("directive_id", "in", self.ids), ("state", "!=", "cancelled")],
            ["directive_id", "status_category"],
            ["__count"],
        )
        stats = {}
        for directive, category, count in groups:
            total, done, overdue = stats.get(directive.id, (0, 0, 0))
            stats[directive.id] = (
                total + count,
                done + (count if category in ("done_on_time", "done_late") else 0),
                overdue
                + (count if category in ("in_progress_overdue", "not_started_overdue") else 0),
            )
        for directive in self:
            (
                directive.task_count,
                directive.task_done_count,
                directive.task_overdue_count,
            ) = stats.get(directive.id, (0, 0, 0))

    @api.depends("name", "number")
    def _compute_display_name(self):
        for directive in self:
            directive.display_name = " ".join(filter(None, [directive.name, directive.number]))

    @api.constrains("security_level", "summary", "document_file")
    def _check_classified_content(self):
        # Holds under sudo(): a networked system must never store classified content.
        for directive in self.sudo():
            if directive.security_level == "normal":
                continue
            if directive.summary:
                raise ValidationError(
                    _("Directive %s is classified: it cannot hold a summary.", directive.number)
                )
            if directive.document_file:
                raise ValidationError(
                    _(
                        "Directive %s is classified: its document file cannot be stored.",
                        directive.number,
                    )
                )
            if directive.task_ids.filtered(lambda t: t.name or t.result):
                raise ValidationError(
                    _(
                        "Directive %s cannot be classified while its tasks hold content or "
                        "results.",
                        directive.number,
                    )
                )

    @api.onchange("security_level")
    def _onchange_security_level(self):
        if self.security_level != "normal":
            self.summary = False
            self.document_file = False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_tasks(self):
        if self.filtered("task_ids"):
            raise UserError(
                _("A directive with assigned tasks cannot be deleted: archive it instead.")
            )

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals and not vals["active"]:
            # Archiving a directive archives its tasks with it, so lists stay consistent.
            self.with_context(active_test=False).task_ids.filtered("active").write(
                {"active": False}
            )
        return res

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hy_task_tracking.hy_task_action")
        action["domain"] = [("directive_id", "=", self.id)]
        action["context"] = {
            "default_directive_id": self.id,
            "default_followup_unit_id": self.followup_unit_id.id,
        }
        return action
