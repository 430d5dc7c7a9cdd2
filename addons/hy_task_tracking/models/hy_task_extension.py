from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from . import task_rules
from .hy_task import DEADLINE_RULES, OPEN_STATES
from .hy_time import hy_today
from .hy_write_guard import UNIT_OR_OFFICE


class HyTaskExtension(models.Model):
    """A request to move a task's deadline, and the Office's decision on it."""

    _name = "hy.task.extension"
    _description = "Deadline Extension"
    _inherit = ["hy.classified.mixin", "hy.write.guard"]
    _order = "create_date desc, id desc"
    # Who may write what (hy.write.guard): the lead unit or the Office asks; the decision,
    # who asked and the deadline it replaces are set by this model's own methods.
    _hy_create_fields = dict.fromkeys(
        ("task_id", "new_deadline", "extension_rule", "extension_days", "reason"), UNIT_OR_OFFICE
    )
    _hy_server_create_fields = frozenset({"previous_deadline", "state", "requested_by_id"})

    task_id = fields.Many2one("hy.task", required=True, index=True, ondelete="cascade")
    lead_unit_id = fields.Many2one(related="task_id.lead_unit_id", store=True, index=True)
    requested_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    previous_deadline = fields.Date(readonly=True)
    new_deadline = fields.Date(string="Proposed Deadline", required=True)
    extension_rule = fields.Selection(
        DEADLINE_RULES,
        string="Extension Given As",
        required=True,
        default="date",
        help="On a date: the proposed deadline is the date entered. Working days or days: it "
        "is that many (working) days after the current deadline, in the Office's calendar.",
    )
    extension_days = fields.Integer(string="Days of Extension")
    reason = fields.Text(required=True)
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("closed", "Closed without decision"),
        ],
        default="requested",
        required=True,
        readonly=True,
        index=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Date(readonly=True)
    refuse_reason = fields.Text(
        string="Reason of the Decision",
        readonly=True,
        help="Why the request was refused, or closed without decision (the task was reported "
        "done, cancelled or transferred while it waited).",
    )

    @api.constrains("new_deadline", "previous_deadline", "task_id")
    def _check_new_deadline(self):
        for extension in self:
            floor = max(filter(None, [extension.previous_deadline, hy_today()]))
            if extension.state == "requested" and extension.new_deadline <= floor:
                raise ValidationError(
                    _("The proposed deadline must be after the current deadline and today.")
                )
            broken = task_rules.deadline_after_last(self.env, extension.new_deadline)
            if broken:
                raise ValidationError(broken)

    @api.constrains("extension_rule", "extension_days")
    def _check_extension_days(self):
        for extension in self:
            if extension.extension_rule != "date" and extension.extension_days <= 0:
                raise ValidationError(_("Give the number of days of the extension (at least 1)."))

    @api.onchange("extension_rule", "extension_days", "task_id")
    def _onchange_extension_days(self):
        if self.extension_rule != "date" and self.task_id.deadline and self.extension_days > 0:
            self.new_deadline = self._new_deadlines(
                [(self.task_id.deadline, self.extension_rule, self.extension_days)]
            )[0]

    @api.model
    def _new_deadlines(self, requests):
        """[(current deadline, rule, days)] -> the proposed deadlines, the calendar loaded once."""
        if not requests:
            return []
        dates = [deadline for deadline, _rule, _days in requests]
        working_days = self.env["resource.calendar"]._hy_working_days(min(dates), max(dates))
        return [
            working_days.deadline(rule, max(days, 0), deadline) for deadline, rule, days in requests
        ]

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        if not all(vals.get("task_id") for vals in vals_list):
            raise ValidationError(_("Choose the task whose deadline is to be extended."))
        tasks = self.env["hy.task"].browse([vals.get("task_id") for vals in vals_list])
        # Only whoever may write the task (its lead unit or the Office) may ask.
        tasks.check_access("write")
        for vals in vals_list:
            task = tasks.browse(vals.get("task_id"))
            in_days = vals.get("extension_rule", "date") != "date"
            self._check_request(
                task,
                None if in_days else (vals.get("new_deadline") or False),
                vals.get("reason"),
            )
            if task.is_classified:
                # The reason of a classified task goes on paper (Art. 7.3).
                vals["reason"] = _("Sent through the classified channel")
            vals["previous_deadline"] = task.deadline
            vals["state"] = "requested"
            if vals.get("extension_rule", "date") == "date":
                vals.pop("extension_days", None)
            # Nobody asks in another's name; data files (demo, migrations), run as the
            # superuser, name the real requester instead of OdooBot.
            if not (self.env.su and vals.get("requested_by_id")):
                vals["requested_by_id"] = self.env.uid
        # "N working days more": counted from the current deadline, whatever was proposed.
        in_days = [vals for vals in vals_list if vals.get("extension_rule", "date") != "date"]
        requests = [
            (vals["previous_deadline"], vals["extension_rule"], vals.get("extension_days") or 0)
            for vals in in_days
        ]
        for vals, new_deadline in zip(in_days, self._new_deadlines(requests), strict=True):
            vals["new_deadline"] = new_deadline
        # Asking hands the task to the Office (hy.task.with_office): the ledger records it.
        Ledger = self.env["hy.task.ledger"]
        before = Ledger._snapshot(tasks)
        extensions = super().create(vals_list)
        Ledger._record_changes(tasks, before)
        for extension in extensions.filtered(lambda e: not e.task_id.is_classified):
            extension.task_id.message_post(
                body=_(
                    "Deadline extension requested to %(date)s. Reason: %(reason)s",
                    date=extension.new_deadline.strftime("%d/%m/%Y"),
                    reason=extension.reason,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return extensions

    @api.model
    def _check_request(self, task, new_deadline, reason):
        """The rules of a request, whatever its path (the dialog, the portal, the API): an
        open task with a deadline and no request pending (UserError otherwise), a proposed
        date after the current deadline and today, a reason unless the task is classified
        (ValidationError otherwise). ``new_deadline`` None: given in days, counted later."""
        if task.state not in OPEN_STATES:
            raise UserError(
                _("Task %s is not open: its deadline cannot be extended.", task.reference)
            )
        if not task.deadline:
            raise ValidationError(_("This task has no deadline to extend."))
        if task.extension_pending:
            raise UserError(
                _(
                    "Task %s already has an extension request waiting for a decision.",
                    task.reference,
                )
            )
        if new_deadline is not None:
            new_deadline = fields.Date.to_date(new_deadline)
            if not new_deadline or new_deadline <= task.deadline:
                raise ValidationError(
                    _(
                        "The proposed deadline must be after the current deadline (%s).",
                        format_date(self.env, task.deadline),
                    )
                )
            if new_deadline <= hy_today():
                raise ValidationError(_("The proposed deadline must be after today."))
        if not task.is_classified and not (reason or "").strip():
            raise ValidationError(_("Please give the reason for the extension."))

    def _check_decision(self):
        self.env["hy.task"]._check_office()
        self.check_access("write")
        if any(extension.state != "requested" for extension in self):
            raise UserError(_("This extension request has already been decided."))

    def action_approve(self):
        self._check_decision()
        Ledger = self.env["hy.task.ledger"]
        for extension in self:
            # sudo: the decision is this method's, checked in _check_decision.
            task = extension.task_id.sudo()  # sudo: the decision, checked in _check_decision
            task.with_context(hy_ledger_extension_id=extension.id).write(
                {"deadline": extension.new_deadline}
            )
            # Deciding gives the turn back to the unit: the ledger records that apart.
            before = Ledger._snapshot(task)
            extension.sudo().write(  # sudo: the decision, checked in _check_decision
                {"state": "approved", "decided_by_id": self.env.uid, "decision_date": hy_today()}
            )
            Ledger._record_changes(task, before)
            if extension.task_id.is_classified:
                continue  # the tracked deadline says it all; no text on classified records
            extension.task_id.message_post(
                body=_(
                    "Deadline extended from %(old)s to %(new)s.",
                    old=extension.previous_deadline.strftime("%d/%m/%Y"),
                    new=extension.new_deadline.strftime("%d/%m/%Y"),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_refuse(self, reason=None):
        self._check_decision()
        Ledger = self.env["hy.task.ledger"]
        before = Ledger._snapshot(self.task_id)
        # sudo: the decision is this method's, checked in _check_decision.
        self.sudo().write(  # sudo: the decision, checked in _check_decision
            {
                "state": "refused",
                "decided_by_id": self.env.uid,
                "decision_date": hy_today(),
                "refuse_reason": reason if not any(self.mapped("task_id.is_classified")) else False,
            }
        )
        # A classified task holds no message: its tracked metadata says the request was refused.
        for extension in self.filtered(lambda e: not e.task_id.is_classified):
            extension.task_id.message_post(
                body=_(
                    "Deadline extension to %s refused.", extension.new_deadline.strftime("%d/%m/%Y")
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        # The task comes back to the unit with its deadline as it stands: the ledger records it.
        Ledger._record_changes(self.task_id, before)
        return True

    def _close_without_decision(self, reason):
        """Close requests the task's own progress made moot (reported done, cancelled,
        transferred), with ``reason`` for the requester. Called by the workflow's methods,
        after their own checks."""
        pending = self.filtered(lambda e: e.state == "requested")
        if not pending:
            return
        Ledger = self.env["hy.task.ledger"]
        before = Ledger._snapshot(pending.task_id)
        # sudo: the workflow closes the request its own change made moot (checked by it).
        pending.sudo().write(  # sudo: see above
            {
                "state": "closed",
                "decided_by_id": self.env.uid,
                "decision_date": hy_today(),
            }
        )
        # A classified task holds no text: its state "closed" says it all (Art. 7.2).
        pending.filtered(lambda e: not e.task_id.is_classified).sudo().write(  # sudo: above
            {"refuse_reason": reason}
        )
        Ledger._record_changes(pending.task_id, before)
        for extension in pending.filtered(lambda e: not e.task_id.is_classified):
            extension.task_id.message_post(
                body=_(
                    "The request to extend the deadline to %(date)s is closed: %(reason)s",
                    date=extension.new_deadline.strftime("%d/%m/%Y"),
                    reason=reason,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=extension.requested_by_id.partner_id.ids,
            )
