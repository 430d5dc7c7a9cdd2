from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

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
    # The mixin comes first: its overrides of mail.thread must run before it.
    _inherit = ["hy.classified.mixin", "mail.thread", "mail.activity.mixin"]
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

    @api.depends("task_ids.status_category", "task_ids.state")
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

    def _check_can_become_classified(self, vals):
        """Refuse to classify a directive while the software holds any of its content.

        Purging is not done here on purpose: content that reached a networked system must be
        handled by the security officer, not silently erased.
        """
        # sudo: the check must see every trace, including those the user cannot read.
        directives = (
            self.sudo().with_context(active_test=False).filtered(lambda d: not d.is_classified)
        )
        for directive in directives:
            tasks = directive.task_ids
            found = []
            if vals.get("summary", directive.summary):
                found.append(_("its summary"))
            if vals.get("document_file", directive.document_file):
                found.append(_("its document file"))
            if tasks.filtered(lambda t: t.name or t.result or t.return_reason or t.quality_comment):
                found.append(_("the content or results of its tasks"))
            if tasks.extension_ids.filtered("reason") or tasks.transfer_ids.filtered("reason"):
                found.append(_("reasons given for extensions or transfers"))
            domain = [
                "|",
                "&", ("model", "=", "hy.directive"), ("res_id", "=", directive.id),
                "&", ("model", "=", "hy.task"), ("res_id", "in", tasks.ids),
            ]  # fmt: skip
            messages = self.env["mail.message"].sudo().search(domain)
            # Comments and mails carry content; notifications are the software's own log lines.
            if messages.filtered(
                lambda m: (
                    m.attachment_ids
                    or (m.message_type != "notification" and not is_html_empty(m.body))
                )
            ):
                found.append(_("messages in its chatter"))
            attachment_domain = [
                "|",
                "&", ("res_model", "=", "hy.directive"), ("res_id", "=", directive.id),
                "&", ("res_model", "=", "hy.task"), ("res_id", "in", tasks.ids),
            ]  # fmt: skip
            if self.env["ir.attachment"].sudo().search_count(attachment_domain, limit=1):
                found.append(_("attached files"))
            if found:
                raise ValidationError(
                    _(
                        "Directive %(number)s cannot become classified while the software "
                        "holds %(content)s. Ask the security officer to remove them first.",
                        number=directive.number,
                        content=", ".join(found),
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("security_level", "normal") != "normal" and (
                vals.get("summary") or vals.get("document_file")
            ):
                raise ValidationError(
                    _("A classified directive cannot hold a summary or a document file.")
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("security_level", "normal") != "normal":
            self._check_can_become_classified(vals)
        # The tasks' authority and classification follow the directive: their ledger too.
        tasks = self.env["hy.task"]
        if {"authority", "security_level"} & set(vals):
            tasks = self.with_context(active_test=False).sudo().task_ids
        Ledger = self.env["hy.task.ledger"]
        before = Ledger._snapshot(tasks) if tasks else None
        res = super().write(vals)
        if before:
            Ledger._record_changes(tasks, before)
        if "security_level" in vals:
            self.env["hy.classified.access.log"]._log(
                self.filtered("is_classified"), "write", _("security level set")
            )
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
