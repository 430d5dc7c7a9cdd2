import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date, plaintext2html

from . import task_rules
from .hy_task_update import MAX_FILES
from .hy_time import hy_today
from .hy_write_guard import OFFICER

_logger = logging.getLogger(__name__)

INFO_REQUEST_STATES = [
    ("open", "Awaiting Answer"),
    ("answered", "Answered"),
    ("cancelled", "Cancelled"),
]
# The Office asks while the unit holds the task: assigned, in progress, or reported done and
# not yet confirmed (the Office may want the documents behind a result). A returned task is
# the Office's to decide, a confirmed or cancelled one is closed.
REQUEST_STATES = ("assigned", "in_progress", "done")
# The reminders of the nightly job (kinds of hy.task.reminder): the last working day before
# the answer date, and the first working day after it.
REMINDER_BEFORE = "info_request_before"
REMINDER_AFTER = "info_request_after"


class HyTaskInfoRequest(models.Model):
    """The Office asks the lead unit of a task for information or documents by a date
    (Art. 10.6); the unit answers in the portal. On classified tasks neither the question
    nor the answer holds text or files: only that it was asked, by when, and answered."""

    _name = "hy.task.info.request"
    _description = "Request for Information on a Task"
    # The mixin comes before mail.thread: its overrides of mail.thread must run first.
    _inherit = ["hy.write.guard", "hy.classified.mixin", "mail.thread"]
    _order = "state, due_date, id desc"
    # Who may write what (hy.write.guard): an Office officer asks, and moves the answer date
    # while the request is open. The unit asked, who asked and when, the state and the whole
    # answer are set by this model's own methods (_hy_answer for the unit, action_cancel for
    # the Office), after their checks: no plain write answers or closes a request.
    _hy_create_fields = dict.fromkeys(("task_id", "question", "due_date"), OFFICER)
    _hy_write_fields = {"due_date": OFFICER}
    _hy_server_create_fields = frozenset({"unit_id", "requested_by_id", "request_date", "state"})

    task_id = fields.Many2one("hy.task", required=True, index=True, ondelete="restrict")
    unit_id = fields.Many2one(
        "hy.unit", string="Unit Asked", readonly=True, index=True, ondelete="restrict"
    )
    is_classified = fields.Boolean(related="task_id.is_classified")
    question = fields.Text(
        string="Information Requested", help="Never kept for tasks of classified directives."
    )
    due_date = fields.Date(
        string="Answer By",
        required=True,
        tracking=True,
        default=lambda self: self._default_due_date(),
        help="By default the settings' number of working days from today.",
    )
    state = fields.Selection(
        INFO_REQUEST_STATES,
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    requested_by_id = fields.Many2one("res.users", readonly=True)
    request_date = fields.Date(readonly=True)
    answer = fields.Text(readonly=True, help="Never kept for tasks of classified directives.")
    attachment_ids = fields.Many2many("ir.attachment", string="Documents", readonly=True)
    answered_by_id = fields.Many2one("res.users", readonly=True)
    answered_date = fields.Date(readonly=True)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Still awaiting its answer after the answer date.",
    )

    # ------------------------------------------------------------------ fields

    @api.model
    def _default_due_date(self):
        """Today (in Hà Nội) plus the settings' working days to answer."""
        today = hy_today()
        days = self.env["hy.settings"]._hy_param("info_request_days")
        return self.env["resource.calendar"]._hy_working_days(today, today).add(today, days)

    @api.depends("task_id.reference", "due_date")
    def _compute_display_name(self):
        for request in self:
            # sudo: the reference is metadata, shown also to a unit that no longer leads it.
            reference = request.sudo().task_id.reference or _("New")  # sudo: see above
            request.display_name = (
                _(
                    "%(task)s: answer by %(date)s",
                    task=reference,
                    date=format_date(self.env, request.due_date),
                )
                if request.due_date
                else reference
            )

    @api.depends("state", "due_date")
    def _compute_is_overdue(self):
        today = hy_today()
        for request in self:
            request.is_overdue = bool(
                request.state == "open" and request.due_date and request.due_date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue requests."))
        overdue = [("state", "=", "open"), ("due_date", "<", hy_today())]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    @api.constrains("question", "answer", "attachment_ids", "task_id")
    def _check_classified(self):
        # Holds under sudo() too: a classified task records only that it was asked and answered.
        for request in self.sudo():  # sudo: the rule holds whoever reads
            if request.task_id.is_classified and (
                request.question or request.answer or request.attachment_ids
            ):
                raise ValidationError(
                    _(
                        "Task %s belongs to a classified directive: no question, answer or "
                        "document can be recorded in the software. Send them through the "
                        "classified channel.",
                        request.task_id.reference,
                    )
                )

    # ------------------------------------------------------------------ asking

    @api.model
    def _check_request(self, task, question, due_date):
        """The rules of a request, whatever its path: an Office officer, an active task that
        its connected lead unit holds, a question (stripped text) unless the task is
        classified (none then), an answer date from today on."""
        self.env["hy.task"]._check_office()
        if not task.active or task.state not in REQUEST_STATES or task.confirmed:
            raise UserError(
                _(
                    "Task %s is not with its unit (assigned, in progress or reported and not "
                    "confirmed): no information can be requested on it.",
                    task.reference,
                )
            )
        unit = task.lead_unit_id
        if not unit:
            raise UserError(_("Task %s has no lead unit to ask.", task.reference))
        if not unit.connected:
            raise UserError(
                _(
                    "%s does not use the software and cannot answer in it: ask by phone or on "
                    "paper.",
                    unit.name,
                )
            )
        if task.is_classified and question:
            raise ValidationError(
                _(
                    "Task %s belongs to a classified directive: the question cannot be "
                    "recorded in the software. Send it through the classified channel; the "
                    "request only records the answer date.",
                    task.reference,
                )
            )
        if not task.is_classified and not question:
            raise ValidationError(
                _("Please write what information or documents the unit must send.")
            )
        self._check_due_date(due_date)

    @api.model
    def _check_due_date(self, due_date):
        due_date = fields.Date.to_date(due_date)
        if not due_date:
            raise ValidationError(_("Please give the date by which the unit must answer."))
        if due_date < hy_today():
            raise ValidationError(_("The answer date cannot be before today."))
        # A year like 9999 would make the working-day arithmetic overflow later.
        broken = task_rules.deadline_after_last(self.env, due_date)
        if broken:
            raise ValidationError(broken)

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        if not all(vals.get("task_id") for vals in vals_list):
            raise ValidationError(_("Choose the task the information is about."))
        tasks = self.env["hy.task"].browse({vals["task_id"] for vals in vals_list})
        # The Office asks about tasks it may read: clearance decides for classified ones.
        tasks.check_access("read")
        today = hy_today()
        for vals in vals_list:
            task = tasks.browse(vals["task_id"])
            vals.setdefault("due_date", self._default_due_date())
            question = vals.get("question") or ""
            question = question.strip() if isinstance(question, str) else str(question)
            self._check_request(task, question, vals["due_date"])
            vals.update(
                {
                    "question": False if task.is_classified else question,
                    "unit_id": task.lead_unit_id.id,
                    "request_date": today,
                    "state": "open",
                }
            )
            # Nobody asks in another's name; data files, run as superuser, may name the officer.
            if not (self.env.su and vals.get("requested_by_id")):
                vals["requested_by_id"] = self.env.uid
        requests = super().create(vals_list)
        requests._hy_after_request()
        return requests

    def _hy_after_request(self):
        """What asking sets off: the ledger entry, the unit's mail, the task's chatter."""
        Ledger = self.env["hy.task.ledger"]
        for request in self:
            task = request.task_id
            Ledger._record_events(
                task,
                "info_request",
                request.due_date.isoformat(),
                refs={task.id: {"info_request_id": request.id}},
            )
            request._hy_mail_unit()
            if not request.is_classified:
                # An internal note: the unit is told by mail and sees the request on its page.
                task.message_post(
                    body=plaintext2html(
                        _(
                            "Information requested from %(unit)s, to answer by %(date)s:\n"
                            "%(question)s",
                            unit=request.unit_id.name,
                            date=request.due_date.strftime("%d/%m/%Y"),
                            question=request.question,
                        )
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            # A classified task holds no message: its ledger and the request's tracked
            # metadata record that it was asked, by whom and by when.

    def _hy_unit_partners(self, unit):
        """Who in ``unit`` a mail reaches: its members and its own address."""
        return (unit.user_ids.partner_id | unit.partner_id).filtered("email")

    def _hy_mail_unit(self):
        """The request, by mail to the members of the unit asked (nothing of a classified
        task but that an answer is expected, and by when)."""
        self.ensure_one()
        Digest = self.env["hy.digest"]
        unit = self.unit_id.sudo()  # sudo: the unit's members, whom the Office mails
        lang = Digest._mail_lang(unit.user_ids[:1].lang)
        subject = self.with_context(lang=lang).env._(
            "[Task tracking] %(unit)s: information requested by %(date)s",
            unit=unit.name,
            date=self.due_date.strftime("%d/%m/%Y"),
        )
        return Digest._queue(
            self._hy_unit_partners(unit),
            subject,
            "hy_task_tracking.mail_info_request",
            {"unit": unit, "requests": self.sudo(), "kind": "new"},  # sudo: read to be mailed
            lang=lang,
        )

    # ------------------------------------------------------------------ the Office

    def write(self, vals):
        if "due_date" in vals and not self.env.su:
            # Who may move the date first (hy.write.guard), then which requests and to when.
            self._hy_check_fields("write", set(vals))
            self.check_access("write")
            if any(request.state != "open" for request in self):
                raise UserError(_("Only the answer date of an open request can be changed."))
            self._check_due_date(vals["due_date"])
        return super().write(vals)

    def action_cancel(self):
        """The Office withdraws open requests (tracked on the request and noted on the task)."""
        self.env["hy.task"]._check_office()
        self.check_access("write")
        if any(request.state != "open" for request in self):
            raise UserError(_("Only a request awaiting its answer can be cancelled."))
        self.sudo().write({"state": "cancelled"})  # sudo: workflow field, checked above
        for request in self.filtered(lambda r: not r.is_classified):
            request.task_id.message_post(
                body=plaintext2html(
                    _(
                        "Request for information of %(date)s to %(unit)s cancelled.",
                        date=request.request_date.strftime("%d/%m/%Y"),
                        unit=request.unit_id.name,
                    )
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_answer_in_portal(self):
        """Internal unit users answer on the task's page, as portal members do."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/my/hy_tasks/{self.task_id.id}#hy_task_info_requests",
            "target": "self",
        }

    # ------------------------------------------------------------------ the unit's answer

    def _hy_answer(self, answer=None, files=()):
        """Answer this request as a member of the unit asked: the text and ``files`` (a list
        of (name, bytes), checked as the progress updates' files are). The only way a request
        gets an answer: who answered and when are the server's. A classified task's request
        takes neither text nor file: it is only marked answered (sent by the classified
        channel). Raises AccessError for anyone else, UserError once answered or cancelled."""
        self.ensure_one()
        self.check_access("read")
        if self.unit_id.id not in self.env.user.sudo().hy_unit_ids.ids:  # sudo: own memberships
            raise AccessError(_("Only the unit asked can answer this request."))
        # Two answers posted at once: the second waits here for the first, then sees it.
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT state FROM hy_task_info_request WHERE id = %s FOR UPDATE", self.id)
        )
        state = self.env.cr.fetchone()[0]
        self.invalidate_recordset(["state"])
        if state == "answered":
            raise UserError(_("This request was already answered."))
        if state == "cancelled":
            raise UserError(_("The Office cancelled this request: it needs no answer."))
        request = self.sudo()  # sudo: the answer's fields are the workflow's, checked here
        text = (answer or "").strip()
        files = [(name, content) for name, content in files or () if name or content]
        if request.is_classified:
            if text or files:
                raise ValidationError(
                    _(
                        "Task %s belongs to a classified directive: the answer and its "
                        "documents go through the classified channel. Only mark the request "
                        "answered here.",
                        request.task_id.reference,
                    )
                )
        elif not text and not files:
            raise ValidationError(_("Please write the answer or attach the documents requested."))
        mimetypes = self._hy_check_files(files)
        attachments = self.env["ir.attachment"]
        if files:
            # sudo: portal users may not create attachments; the files were checked above and
            # belong to the request: whoever reads the request (and only they) reads them.
            attachments = attachments.sudo().create(  # sudo: see above
                [
                    {
                        "name": name,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for (name, content), mimetype in zip(files, mimetypes, strict=True)
                ]
            )
            # Download links for the unit's members, who cannot read attachments themselves.
            attachments.generate_access_token()
        today = hy_today()
        request.write(
            {
                "state": "answered",
                "answer": text or False,
                "attachment_ids": [(6, 0, attachments.ids)],
                "answered_by_id": self.env.uid,
                "answered_date": today,
            }
        )
        task = request.task_id
        self.env["hy.task.ledger"]._record_events(
            task, "info_answer", today.isoformat(), refs={task.id: {"info_request_id": self.id}}
        )
        request._hy_notify_office()
        return True

    @api.model
    def _hy_check_files(self, files):
        """The files of an answer, checked as those of a progress update: their mimetypes."""
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %s files to one answer.", MAX_FILES))
        Update = self.env["hy.task.update"]
        return [Update._check_upload(name, content) for name, content in files]

    def _hy_notify_office(self):
        """The follow-up officer (or whoever the Office reminders reach) gets an activity on
        the task; the task's chatter notes the answer (never on a classified task)."""
        self.ensure_one()
        task = self.task_id.sudo()  # sudo: the Office's people and the task's chatter
        recipients = task._office_recipients()[task.id]
        if recipients:
            activity_type = self.env.ref("hy_task_tracking.mail_activity_type_info_answer")
            self.env["mail.activity"].sudo().with_context(  # sudo: an activity for the Office
                mail_activity_quick_update=True
            ).create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id("hy.task"),
                        "res_id": task.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "date_deadline": hy_today(),
                        "automated": True,
                        "summary": False
                        if self.is_classified
                        else _("Information received from %s", self.unit_id.name),
                    }
                    for user in recipients
                ]
            )
        if self.is_classified:
            return
        body = plaintext2html(
            _(
                "Information provided by %(unit)s (request of %(date)s):\n%(answer)s",
                unit=self.unit_id.name,
                date=self.request_date.strftime("%d/%m/%Y"),
                answer=self.answer or "",
            )
        )
        if self.attachment_ids:
            body += Markup("<p>%s</p>") % _(
                "%s document(s) attached to the request.", len(self.attachment_ids)
            )
        # A log note: the unit's member may not post internal notes; the answer was checked.
        task._message_log(body=body)

    # ------------------------------------------------------------------ reminders

    @api.model
    def _cron_reminders(self):
        """Daily: the unit is reminded by mail of each open request on the last working day
        before its answer date, and on the first working day after it, each once (recorded
        in hy.task.reminder, about the answer date: a new date reminds again). One mail per
        unit and kind; a unit whose mail fails stops nothing but itself."""
        today = hy_today()
        requests = self.sudo().search(  # sudo: the job reminds every unit
            [
                ("state", "=", "open"),
                ("task_id.active", "=", True),
                ("task_id.state", "in", REQUEST_STATES),
                ("task_id.confirmed", "=", False),
            ]
        )
        # A task transferred since: its former unit no longer works it (the Office cancels).
        requests = requests.filtered(lambda r: r.unit_id == r.task_id.lead_unit_id)
        if not requests:
            return requests
        due_dates = requests.mapped("due_date")
        working_days = self.env["resource.calendar"]._hy_working_days(
            min(due_dates + [today]), max(due_dates + [today])
        )
        tasks = requests.task_id
        sent = {
            REMINDER_BEFORE: tasks._already_reminded(REMINDER_BEFORE, "mail"),
            REMINDER_AFTER: tasks._already_reminded(REMINDER_AFTER, "mail"),
        }
        wanted = {}  # {(unit, kind): requests}
        for request in requests:
            due = request.due_date
            key = (request.task_id.id, request.id, due)
            before_day = self._last_working_day_before(working_days, due)
            if (
                before_day
                and before_day <= today <= due
                and (request.request_date or today) < before_day
                and key not in sent[REMINDER_BEFORE]
            ):
                wanted.setdefault((request.unit_id, REMINDER_BEFORE), self.browse())
                wanted[request.unit_id, REMINDER_BEFORE] |= request
            if today >= working_days.add(due, 1) and key not in sent[REMINDER_AFTER]:
                wanted.setdefault((request.unit_id, REMINDER_AFTER), self.browse())
                wanted[request.unit_id, REMINDER_AFTER] |= request
        reminded = self.browse()
        for (unit, kind), batch in wanted.items():
            try:
                with self.env.cr.savepoint():
                    batch._hy_remind_unit(unit, kind)
                reminded |= batch
            except Exception:
                _logger.exception(
                    "Reminder of requests for information to %s failed", unit.display_name
                )
        return reminded

    @api.model
    def _last_working_day_before(self, working_days, day):
        """The last working day before ``day`` (within two months), or False."""
        for back in range(1, 62):
            candidate = day - timedelta(days=back)
            if working_days.is_working(candidate):
                return candidate
        return False

    def _hy_remind_unit(self, unit, kind):
        """One mail to ``unit`` about these requests, and their rows in the reminders' ledger."""
        Digest = self.env["hy.digest"]
        lang = Digest._mail_lang(unit.user_ids[:1].lang)
        env = self.with_context(lang=lang).env
        subject = (
            env._(
                "[Task tracking] %(unit)s: %(count)s request(s) for information to answer soon",
                unit=unit.name,
                count=len(self),
            )
            if kind == REMINDER_BEFORE
            else env._(
                "[Task tracking] %(unit)s: %(count)s request(s) for information past their date",
                unit=unit.name,
                count=len(self),
            )
        )
        Digest._queue(
            self._hy_unit_partners(unit),
            subject,
            "hy_task_tracking.mail_info_request",
            {"unit": unit, "requests": self, "kind": kind},
            lang=lang,
        )
        today = hy_today()
        self.env["hy.task.reminder"].sudo().create(  # sudo: the job's own ledger
            [
                {
                    "task_id": request.task_id.id,
                    "kind": kind,
                    "channel": "mail",
                    # One row per request: two requests on a task may share their date.
                    "threshold": request.id,
                    "about_date": request.due_date,
                    "date": today,
                }
                for request in self
            ]
        )
