from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from . import task_rules
from .hy_write_guard import OFFICE
from .status_category import DONE_CATEGORIES, OVERDUE_CATEGORIES

SECURITY_LEVELS = [
    ("normal", "Normal"),
    ("confidential", "Confidential (Mật)"),
    ("secret", "Secret (Tối mật)"),
    ("top_secret", "Top secret (Tuyệt mật)"),
]
# The kinds of administrative documents (Decree 30/2020/NĐ-CP, Appendix III) that assign tasks.
# Each label is used by no other string of the module: a .po file holds one translation per
# source string, and a shared "Directive" (the task's directive) would name the type wrongly.
DOCUMENT_TYPES = [
    ("resolution", "Resolution"),
    ("decision", "Decision document"),
    ("directive", "Executive directive"),
    ("programme", "Programme"),
    ("plan", "Plan"),
    ("scheme", "Scheme"),
    ("regulation", "Regulation"),
    ("rules", "Rules"),
    ("guidance", "Guidance"),
    ("notice", "Notice"),
    ("official_letter", "Official Letter"),
    ("dispatch", "Official Dispatch"),
    ("other", "Other Document"),
]
# The Vietnamese names (what the documents are called), recognised in names, files and the API.
DOCUMENT_TYPE_NAMES = {
    "resolution": "Nghị quyết",
    "decision": "Quyết định",
    "directive": "Chỉ thị",
    "programme": "Chương trình",
    "plan": "Kế hoạch",
    "scheme": "Đề án",
    "regulation": "Quy định",
    "rules": "Quy chế",
    "guidance": "Hướng dẫn",
    "notice": "Thông báo",
    "official_letter": "Công văn",
    "dispatch": "Công điện",
    "other": "Văn bản",
}
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
    _inherit = ["hy.write.guard", "hy.classified.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "issue_date desc, id desc"
    _rec_names_search = ["number", "name"]
    # Who may write what (hy.write.guard): the Office records directives and their tasks.
    _hy_create_fields = dict.fromkeys(
        (
            "document_type",
            "name",
            "number",
            "issue_date",
            "signer",
            "summary",
            "authority",
            "submitting_unit_id",
            "followup_unit_id",
            "security_level",
            "document_file",
            "document_filename",
            "task_ids",
            "task_total",
        ),
        OFFICE,
    )
    _hy_write_fields = {**_hy_create_fields, "active": OFFICE}
    _hy_unlink_roles = OFFICE

    document_type = fields.Selection(
        DOCUMENT_TYPES,
        string="Type of Document",
        required=True,
        default="decision",
        index=True,
        tracking=True,
    )
    name = fields.Char(
        string="Document Name",
        required=True,
        tracking=True,
        help="E.g. Quyết định, Chỉ thị. A classified document is named by its type only.",
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
    # Not stored: it shows "Assign All" while the lines are still being typed.
    draft_task_count = fields.Integer(compute="_compute_draft_task_count", string="Draft Tasks")
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        (
            "number_authority_year_unique",
            "unique(number, authority, issue_year)",
            "A directive with this number of this authority and year is already recorded.",
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

    @api.depends("task_ids.progress_status", "task_ids.state")
    def _compute_task_stats(self):
        # Done counts confirmed results only: reported is not done (progress_status).
        groups = self.env["hy.task"]._read_group(
            [("directive_id", "in", self.ids), ("state", "!=", "cancelled")],
            ["directive_id", "progress_status"],
            ["__count"],
        )
        stats = {}
        for directive, category, count in groups:
            total, done, overdue = stats.get(directive.id, (0, 0, 0))
            stats[directive.id] = (
                total + count,
                done + (count if category in DONE_CATEGORIES else 0),
                overdue + (count if category in OVERDUE_CATEGORIES else 0),
            )
        for directive in self:
            (
                directive.task_count,
                directive.task_done_count,
                directive.task_overdue_count,
            ) = stats.get(directive.id, (0, 0, 0))

    @api.depends("task_ids.state")
    def _compute_draft_task_count(self):
        for directive in self:
            directive.draft_task_count = len(
                directive.task_ids.filtered(lambda task: task.state == "draft")
            )

    @api.depends("name", "number")
    def _compute_display_name(self):
        for directive in self:
            directive.display_name = " ".join(filter(None, [directive.name, directive.number]))

    @api.model
    def _type_from_name(self, name):
        """The document type that ``name`` names (its Vietnamese or English name, or its key),
        else None."""
        text = " ".join((name or "").split()).casefold()
        if not text:
            return None
        for key, label in DOCUMENT_TYPES:
            if text in (key, label.casefold(), DOCUMENT_TYPE_NAMES[key].casefold()):
                return key
        return None

    @api.model
    def _type_name(self, document_type):
        """What a document of ``document_type`` is called: its Vietnamese name."""
        return DOCUMENT_TYPE_NAMES[document_type]

    @api.onchange("document_type", "security_level")
    def _onchange_document_type(self):
        if self.document_type and (
            self.security_level != "normal" or not self.name or self._type_from_name(self.name)
        ):
            self.name = self._type_name(self.document_type)

    @api.constrains(
        "security_level", "summary", "document_file", "document_filename", "name", "document_type"
    )
    def _check_classified_content(self):
        # Holds under sudo(): a networked system must never store classified content.
        # The rules and their words are in task_rules: the API and the import check them too.
        for directive in self.sudo():
            if directive.security_level == "normal":
                continue
            message = (
                task_rules.classified_directive_name(
                    self.env,
                    True,
                    directive.name,
                    self._type_from_name(directive.name),
                    directive.document_type,
                )
                or task_rules.classified_summary(self.env, True, directive.summary)
                or task_rules.classified_document_file(
                    self.env, True, directive.document_file, directive.document_filename
                )
            )
            if message:
                raise ValidationError(task_rules.for_directive(self.env, directive.number, message))
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
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        for vals in vals_list:
            classified = vals.get("security_level", "normal") != "normal"
            message = task_rules.classified_summary(
                self.env, classified, vals.get("summary")
            ) or task_rules.classified_document_file(
                self.env, classified, vals.get("document_file"), vals.get("document_filename")
            )
            if message:
                raise ValidationError(message)
            self._set_type_and_name(vals, classified)
        return super().create(vals_list)

    @api.model
    def _set_type_and_name(self, vals, classified):
        """The type from the name when only the name is given, the name from the type when
        only the type is; a classified directive's name is its type's name, nothing else."""
        named = self._type_from_name(vals.get("name"))
        if not vals.get("document_type"):
            vals["document_type"] = named or ("other" if vals.get("name") else "decision")
        if classified:
            message = task_rules.classified_directive_name(
                self.env, classified, vals.get("name"), named, vals["document_type"]
            )
            if message:
                raise ValidationError(message)
            vals["name"] = self._type_name(vals["document_type"])
        elif not vals.get("name"):
            vals["name"] = self._type_name(vals["document_type"])

    def write(self, vals):
        self._hy_check_fields("write", vals)
        if vals.get("security_level", "normal") != "normal":
            self._check_can_become_classified(vals)
        if {"name", "document_type", "security_level"} & set(vals):
            if len(self) > 1:  # each directive's name follows its own type
                for directive in self:
                    directive.write(vals)
                return True
            if vals.get("security_level", self.security_level) != "normal":
                merged = {"document_type": self.document_type, **vals}
                merged.setdefault("name", self.name)
                if "document_type" in vals and "name" not in vals:
                    merged["name"] = False  # the name follows the new type
                self._set_type_and_name(merged, True)
                vals = dict(vals, name=merged["name"], document_type=merged["document_type"])
        # The tasks' authority and classification follow the directive: their ledger too.
        tasks = self.env["hy.task"]
        if {"authority", "security_level"} & set(vals):
            # sudo: every task follows its directive, also those outside the user's units.
            tasks = self.with_context(active_test=False).sudo().task_ids  # all tasks, see above
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

    def action_assign_tasks(self):
        """Office: send every draft task of the directive to its lead unit in one step
        (hy.task.action_assign checks the Office, the states and the lead units)."""
        # The Office first: a unit user must not learn whether drafts exist.
        self.env["hy.task"]._check_office()
        tasks = self.task_ids.filtered(lambda task: task.state == "draft")
        if not tasks:
            raise UserError(
                _(
                    "Directive %s has no draft task to assign.",
                    ", ".join(self.mapped("number")),
                )
            )
        return tasks.action_assign()

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hy_task_tracking.hy_task_action")
        action["domain"] = [("directive_id", "=", self.id)]
        action["context"] = {
            "default_directive_id": self.id,
            "default_followup_unit_id": self.followup_unit_id.id,
        }
        return action
