import base64
import calendar
from collections import Counter
from datetime import date

from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .hy_task import OPEN_STATES
from .hy_time import hy_today
from .hy_write_guard import OFFICER
from .status_category import OVERDUE_CATEGORIES

DISPATCH_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("cancelled", "Cancelled"),
]
# The dispatch as a document (hy_task_tracking/report, PDF): rendered once, when it is sent.
REPORT_XMLID = "hy_task_tracking.hy_urge_dispatch_action_report"
# The month ("2026-07") whose monthly batch of drafts was prepared: once a month, whatever
# the reruns of the daily job.
MONTHLY_DONE_PARAM = "hy_task_tracking.urge_monthly_done"
OFFICER_GROUP = "hy_task_tracking.group_office_officer"
MANAGER_GROUP = "hy_task_tracking.group_office_manager"


class HyUrgeDispatch(models.Model):
    """An urging dispatch (công văn đôn đốc): a document of the Office, numbered in its yearly
    register, asking one unit to carry out its late tasks and to report by a date.

    Prepared by an Office officer (from a unit, a selection of tasks or the overdue list, or
    by the monthly job), checked and sent by an Office manager: sending numbers it, renders
    its PDF once, records the urge in the ledger of each task and tells the unit. Classified
    tasks are listed as counts per directive level only, never by content or reference.
    """

    _name = "hy.urge.dispatch"
    _description = "Urging Dispatch"
    _inherit = ["mail.thread", "hy.write.guard"]
    _order = "date desc, id desc"
    _rec_name = "display_name"
    # Who may write what (hy.write.guard): an officer prepares the wording of a draft; the
    # number, date, state and who sent it are the workflow's (action_send). A dispatch once
    # sent or cancelled changes no more (write()); none is ever deleted.
    _hy_create_fields = dict.fromkeys(
        (
            "unit_id",
            "line_ids",
            "reply_date",
            "subject",
            "intro",
            "closing",
            "place",
            "signer_title",
            "signer_name",
            "copy_to",
        ),
        OFFICER,
    )
    _hy_write_fields = _hy_create_fields

    number = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Number and notation in the Office's register of the year, given when it is sent.",
    )
    state = fields.Selection(
        DISPATCH_STATES, default="draft", required=True, readonly=True, tracking=True, index=True
    )
    origin = fields.Selection(
        [("manual", "Prepared by an officer"), ("monthly", "Monthly batch")],
        default="manual",
        required=True,
        readonly=True,
    )
    unit_id = fields.Many2one(
        "hy.unit",
        string="Unit Urged",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=[("unit_type", "!=", "office_division")],
    )
    line_ids = fields.One2many("hy.urge.dispatch.line", "dispatch_id", string="Tasks Urged")
    date = fields.Date(
        string="Issue Date", readonly=True, copy=False, help="Set when the dispatch is sent."
    )
    reply_date = fields.Date(
        string="Report By",
        required=True,
        tracking=True,
        help="The unit reports on the tasks by this date.",
    )
    subject = fields.Char(required=True)
    intro = fields.Text(string="Opening", help="The paragraph before the list of tasks.")
    closing = fields.Text(help="The paragraph after the list of tasks.")
    place = fields.Char(help="Place of issue, as in the dispatch's header line.")
    signer_title = fields.Char(help="e.g. KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG")
    signer_name = fields.Char()
    copy_to = fields.Text(string="Copies To", help="The 'Nơi nhận' besides the unit urged.")
    sent_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    sent_date = fields.Datetime(readonly=True, copy=False)
    pdf_file = fields.Binary(string="Dispatch (PDF)", attachment=True, readonly=True, copy=False)
    pdf_filename = fields.Char(readonly=True, copy=False)
    task_count = fields.Integer(compute="_compute_task_count", string="Tasks")
    active = fields.Boolean(default=True)

    # ------------------------------------------------------------------ defaults

    @api.model
    def _hy_default_reply_date(self):
        """Today (in Hà Nội) plus the settings' working days."""
        today = hy_today()
        days = self.env["hy.settings"]._hy_param("urge_reply_days")
        return self.env["resource.calendar"]._hy_working_days(today, today).add(today, days)

    @api.model
    def _hy_default_values(self, unit=None):
        """The wording of a new dispatch to ``unit``: from the settings, and in the
        document's language (the regulation's words come from the translations)."""
        settings = self.env["hy.settings"]
        env = self.with_context(lang=self._document_lang()).env
        unit_name = unit.name if unit else env._("your unit")
        return {
            "reply_date": self._hy_default_reply_date(),
            "subject": env._("On urging the completion of overdue tasks"),
            # The same words as the document's own, when a draft has no opening.
            "intro": env._(
                "Pursuant to the regulation on monitoring, urging and inspecting the "
                "implementation of the tasks assigned by the Provincial People's Committee and "
                "its Chairman, the Provincial Office has reviewed the tasks assigned to "
                "%(unit)s. The following tasks are overdue:",
                unit=unit_name,
            ),
            # After the document's sentence asking for the report by the reply date.
            "closing": env._(
                "The Provincial Office informs %(unit)s for prompt implementation.",
                unit=unit_name,
            ),
            "place": settings._hy_param("urge_place"),
            "signer_title": settings._hy_param("urge_signer_title"),
            "signer_name": settings._hy_param("urge_signer_name") or False,
            "copy_to": env._(
                "The Chairman and Vice-Chairmen of the Provincial People's Committee (to "
                "report);\nThe Office's leadership;\nFiled: Records, General Affairs."
            ),
        }

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        unit = self.env["hy.unit"].browse(values.get("unit_id") or [])
        for name, value in self._hy_default_values(unit).items():
            if name in fields_list and not values.get(name):
                values[name] = value
        return values

    # ------------------------------------------------------------------ computes

    @api.depends("line_ids")
    def _compute_task_count(self):
        for dispatch in self:
            dispatch.task_count = len(dispatch.line_ids)

    @api.depends("number", "unit_id", "state")
    def _compute_display_name(self):
        for dispatch in self:
            dispatch.display_name = dispatch.number or self.env._(
                "Draft dispatch to %(unit)s", unit=dispatch.unit_id.name or ""
            )

    # ------------------------------------------------------------------ constraints

    @api.constrains("unit_id", "line_ids")
    def _check_unit_of_tasks(self):
        for dispatch in self.sudo().filtered(lambda d: d.state == "draft"):  # sudo: all lines
            others = dispatch.line_ids.task_id.lead_unit_id - dispatch.unit_id
            if others:
                raise ValidationError(
                    self.env._(
                        "An urging dispatch lists the tasks of the unit it urges only: "
                        "%(unit)s does not lead some of its tasks.",
                        unit=dispatch.unit_id.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    def unlink(self):
        # Refused before mail.thread takes the messages away (nobody deletes a dispatch).
        self._hy_check_unlink()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_never_sent(self):
        # A dispatch sent or cancelled is a record of the Office's register, whoever deletes.
        if any(dispatch.state != "draft" for dispatch in self):
            raise UserError(self.env._("Urging dispatches sent or cancelled are never deleted."))

    def write(self, vals):
        # Who may set which field first (an access error), then: a dispatch sent or cancelled
        # is a record of the register, left as it was.
        self._hy_check_fields("write", set(vals) - self._hy_server_write_fields)
        if not self.env.su and any(dispatch.state != "draft" for dispatch in self):
            raise UserError(
                self.env._("An urging dispatch that was sent or cancelled cannot be changed.")
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_send(self):
        """Send the drafts of ``self``: number them in the register of the year, freeze their
        lines, render the documents, record the urge on each task and tell each unit."""
        # Superuser mode is never reached through RPC: the demo data sends one.
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the Office managers can send urging dispatches."))
        self.check_access("write")
        not_draft = self.filtered(lambda d: d.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Only drafts can be sent: %(dispatches)s.",
                    dispatches=", ".join(not_draft.mapped("display_name")),
                )
            )
        # The checks above are done: the register, the lines of every level and the urges on
        # the tasks are the workflow's to write, whatever the manager's clearance.
        dispatches = self.sudo().sorted("id")  # sudo: see the comment above
        dropped = dispatches._hy_drop_stale_lines()
        dispatches._hy_freeze_lines()
        today = hy_today()
        now = fields.Datetime.now()
        Sequence = self.env["ir.sequence"].sudo()  # sudo: the register is the Office's
        notation = self.env["hy.settings"]._hy_param("urge_notation")
        for dispatch in dispatches:
            number = Sequence.next_by_code("hy.urge.dispatch", sequence_date=today)
            dispatch.write(
                {
                    "number": f"{number}/{notation}" if notation else number,
                    "state": "sent",
                    "date": today,
                    "sent_by_id": self.env.uid,
                    "sent_date": now,
                }
            )
        mail_files = dispatches._hy_render_documents()
        tasks = dispatches.line_ids.task_id
        tasks._hy_record_urge(
            "dispatch", {line.task_id.id: line.dispatch_id.id for line in dispatches.line_ids}
        )
        dispatches._hy_post_sent(dropped)
        dispatches._hy_mail_units(mail_files)
        dispatches._hy_schedule_reply_followups()
        return True

    def action_cancel(self):
        """Cancel drafts: their tasks may be urged again. Sent dispatches stay as sent."""
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only the Office can cancel urging dispatches."))
        self.check_access("write")
        if any(dispatch.state != "draft" for dispatch in self):
            raise UserError(self.env._("Only drafts can be cancelled: a sent dispatch stays."))
        self.sudo().write({"state": "cancelled"})  # sudo: the workflow's field, checked above
        return True

    def action_print_pdf(self):
        """The document: the PDF kept when it was sent, or a preview of a draft."""
        self.ensure_one()
        if self.pdf_file:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/hy.urge.dispatch/{self.id}/pdf_file/"
                f"{self.pdf_filename or 'dispatch.pdf'}?download=true",
                "target": "self",
            }
        report = self.env.ref(REPORT_XMLID)
        return report.with_context(lang=self._document_lang()).report_action(self)

    def _hy_action_open(self):
        """The dispatches of ``self``: the form of one, else the list."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hy_task_tracking.hy_urge_dispatch_action"
        )
        if len(self) == 1:
            action.update(res_id=self.id, view_mode="form", views=[(False, "form")])
        else:
            action.update(domain=[("id", "in", self.ids)], context={})
        return action

    # ------------------------------------------------------------------ preparing

    @api.model
    def _hy_refusals(self, tasks, except_lines=None):
        """{reason: count} of the tasks of ``tasks`` that cannot be put in a new draft (or
        stay in the draft lines ``except_lines``)."""
        tasks = tasks.sudo().with_context(active_test=False)  # sudo: their state, as is
        tasks.fetch(["state", "active", "with_office", "lead_unit_id"])
        busy = self._hy_tasks_in_drafts(tasks, except_lines)
        env = self.env
        reasons = Counter()
        for task in tasks:
            if not task.active:
                reasons[env._("archived")] += 1
            elif task.state not in OPEN_STATES or not task.lead_unit_id:
                reasons[env._("not open (a draft, reported done or cancelled)")] += 1
            elif task.with_office:
                reasons[env._("waiting for the Office's own decision")] += 1
            elif task in busy:
                reasons[env._("already in a draft urging dispatch")] += 1
        return reasons

    @api.model
    def _hy_tasks_in_drafts(self, tasks, except_lines=None):
        """The tasks of ``tasks`` listed in a draft dispatch (other than in the lines
        ``except_lines``), in one query."""
        domain = [("task_id", "in", tasks.ids), ("dispatch_id.state", "=", "draft")]
        if except_lines:
            domain.append(("id", "not in", except_lines.ids))
        lines = (
            self.env["hy.urge.dispatch.line"]
            .sudo()  # sudo: every draft counts, whatever the reader's clearance
            .search_fetch(domain, ["task_id"])
        )
        return lines.task_id

    @api.model
    def _hy_prepare_for_tasks(self, tasks, origin="manual"):
        """One draft per lead unit of ``tasks``; refused (UserError) when some of them are
        not open, archived, with the Office, or already in a draft. Returns the drafts."""
        if not self.env.su and not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only the Office prepares urging dispatches."))
        if not tasks:
            raise UserError(self.env._("Select the tasks to urge."))
        reasons = self._hy_refusals(tasks)
        if reasons:
            raise UserError(
                self.env._(
                    "%(count)s of the %(total)s tasks cannot be urged: %(reasons)s. Leave them "
                    "out and try again.",
                    count=sum(reasons.values()),
                    total=len(tasks),
                    reasons="; ".join(f"{count} {why}" for why, count in reasons.items()),
                )
            )
        by_unit = tasks.sorted(lambda t: (t.deadline or date.max, t.id)).grouped("lead_unit_id")
        vals_list = []
        for unit, unit_tasks in by_unit.items():
            vals = self._hy_default_values(unit)
            vals.update(
                unit_id=unit.id,
                line_ids=[
                    fields.Command.create({"task_id": task.id, "sequence": index})
                    for index, task in enumerate(unit_tasks, start=1)
                ],
            )
            vals_list.append(vals)
        if origin == "manual":
            return self.create(vals_list)
        for vals in vals_list:
            vals["origin"] = origin
        return self.sudo().create(vals_list)  # sudo: the monthly job names its own origin

    # ------------------------------------------------------------------ sending

    def _hy_drop_stale_lines(self):
        """Take out the tasks no longer to urge (done, cancelled, archived, with the Office,
        now led by another unit) and refuse a dispatch left without any: {dispatch: count}."""
        lines = self.line_ids
        lines.task_id.with_context(active_test=False).fetch(
            ["state", "active", "with_office", "lead_unit_id"]
        )
        stale = lines.filtered(
            lambda line: (
                not line.task_id.active
                or line.task_id.state not in OPEN_STATES
                or line.task_id.with_office
                or line.task_id.lead_unit_id != line.dispatch_id.unit_id
            )
        )
        for dispatch in self:
            if not dispatch.unit_id.active:
                raise UserError(
                    self.env._(
                        "%(unit)s is archived: cancel the draft addressed to it.",
                        unit=dispatch.unit_id.display_name,
                    )
                )
            if not dispatch.line_ids - stale:
                raise UserError(
                    self.env._(
                        "The draft to %(unit)s lists no task still to urge: cancel it, or "
                        "prepare a new one.",
                        unit=dispatch.unit_id.display_name,
                    )
                )
        dropped = Counter(line.dispatch_id.id for line in stale)
        stale.unlink()
        return dropped

    def _hy_freeze_lines(self):
        """Each line keeps the deadline and working days late of the day it is sent, in one
        statement (the tasks' working days are computed for all of them at once)."""
        lines = self.line_ids
        tasks = lines.task_id
        tasks.mapped("working_days_overdue")
        rows = [
            (line.id, line.task_id.deadline, line.task_id.working_days_overdue) for line in lines
        ]
        if not rows:
            return
        self.env.flush_all()
        execute_values(
            self.env.cr._obj,
            "UPDATE hy_urge_dispatch_line AS line SET deadline = v.deadline::date, "
            "working_days_overdue = v.late FROM (VALUES %s) AS v(id, deadline, late) "
            "WHERE line.id = v.id",
            rows,
        )
        lines.invalidate_recordset(["deadline", "working_days_overdue"])

    def _hy_render_documents(self):
        """Render each dispatch's document: the PDF kept on it, and the mail edition (without
        the counts of classified tasks) attached to the unit's mail. {dispatch id: attachment}.
        """
        Report = self.env["ir.actions.report"].with_context(lang=self._document_lang())
        mail_files = {}
        attachments = []
        for dispatch in self:
            content, _kind = Report._render_qweb_pdf(REPORT_XMLID, dispatch.ids)
            mail_content, _kind = Report.with_context(hy_mail_edition=True)._render_qweb_pdf(
                REPORT_XMLID, dispatch.ids
            )
            filename = dispatch._hy_filename()
            dispatch.write({"pdf_file": base64.b64encode(content), "pdf_filename": filename})
            attachments.append(
                {
                    "name": filename,
                    "raw": mail_content,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": dispatch.id,
                    "description": self.env._("Mail edition, without classified tasks"),
                }
            )
        Attachment = self.env["ir.attachment"].sudo()  # sudo: the mail edition, on the dispatch
        for attachment in Attachment.create(attachments):
            mail_files[attachment.res_id] = attachment
        return mail_files

    def _hy_filename(self):
        """CV-05-VP-TH.pdf: the number, its slash made a dash."""
        return "CV-{}.pdf".format((self.number or "draft").replace("/", "-").replace(" ", ""))

    def _hy_post_sent(self, dropped):
        """One line in each dispatch's chatter: to whom, how many tasks, reply by when."""
        for dispatch in self:
            body = self.env._(
                "Sent to %(unit)s: %(count)s task(s) urged, report by %(date)s.",
                unit=dispatch.unit_id.display_name,
                count=len(dispatch.line_ids),
                date=dispatch.reply_date.strftime("%d/%m/%Y"),
            )
            if dropped.get(dispatch.id):
                body += " " + self.env._(
                    "%(count)s task(s) no longer to urge were taken out of the draft.",
                    count=dropped[dispatch.id],
                )
            dispatch.message_post(body=body, message_type="notification")

    def _hy_mail_units(self, mail_files):
        """The mail to each unit: its address and its members, with the mail edition."""
        Digest = self.env["hy.digest"]
        for dispatch in self:
            unit = dispatch.unit_id
            members = unit.user_ids.filtered("active")
            partners = members.partner_id | unit.partner_id
            lang = Digest._mail_lang(members[:1].lang)
            env = self.with_context(lang=lang).env
            subject = env._(
                "[Task tracking] Urging dispatch %(number)s to %(unit)s",
                number=dispatch.number,
                unit=unit.name,
            )
            mail = Digest._queue(
                partners,
                subject,
                "hy_task_tracking.mail_urge_dispatch",
                {"dispatch": dispatch, "unit": unit},
                lang=lang,
            )
            attachment = mail_files.get(dispatch.id)
            if mail and attachment:
                mail.attachment_ids = [fields.Command.link(attachment.id)]

    def _hy_schedule_reply_followups(self):
        """An activity on each task urged, for whoever in the Office follows it, on the
        reply date: to check that the unit reported. In one batch."""
        lines = self.line_ids
        tasks = lines.task_id
        recipients = tasks._office_recipients()
        activity_type = self.env.ref("hy_task_tracking.mail_activity_type_urge_reply")
        model_id = self.env["ir.model"]._get_id("hy.task")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": line.task_id.id,
                "activity_type_id": activity_type.id,
                "user_id": user.id,
                "date_deadline": line.dispatch_id.reply_date,
                "automated": True,
                "summary": False
                if line.task_id.is_classified
                else self.env._("Report due on urging dispatch %s", line.dispatch_id.number),
            }
            for line in lines
            for user in recipients[line.task_id.id]
        ]
        # quick_update: no mail per activity; the officer sees them in the activity menu.
        self.env["mail.activity"].sudo().with_context(  # sudo: the workflow's reminders
            mail_activity_quick_update=True
        ).create(vals_list)

    # ------------------------------------------------------------------ monthly batch

    @api.model
    def _hy_monthly_day(self, today):
        """The day of ``today``'s month on which the batch is prepared, or 0 for none."""
        day = self.env["hy.settings"]._hy_param("urge_monthly_day")
        if day <= 0:
            return 0
        return min(day, calendar.monthrange(today.year, today.month)[1])

    @api.model
    def _cron_prepare_monthly_dispatches(self):
        """Daily: on the settings' day of the month (or the first run after it, should the
        server have been down that night), one draft per unit with overdue tasks, once a
        month; the Office managers are told how many to check. Nothing is sent."""
        return self.env["hy.job.status"]._run("urge_monthly", self._monthly_job).result

    def _monthly_job(self, run):
        run.result = self.browse()
        today = hy_today()
        day = self._hy_monthly_day(today)
        month = today.strftime("%Y-%m")
        params = self.env["ir.config_parameter"].sudo()  # sudo: the job's own bookkeeping
        if not day or today.day < day or params.get_param(MONTHLY_DONE_PARAM) == month:
            return
        Task = self.env["hy.task"].sudo()  # sudo: the job prepares for every unit
        tasks = Task.search(
            [
                ("state", "in", OPEN_STATES),
                ("status_category", "in", OVERDUE_CATEGORIES),
                ("with_office", "=", False),
                ("lead_unit_id.active", "=", True),
            ]
        )
        tasks -= self._hy_tasks_in_drafts(tasks)
        prepared = []

        def prepare(unit, unit_tasks):
            Dispatch = self.sudo()  # sudo: the monthly job prepares for every unit
            prepared.append(Dispatch._hy_prepare_for_tasks(unit_tasks, origin="monthly"))

        run.each_group(tasks.grouped("lead_unit_id"), prepare, lambda unit: unit.display_name)
        run.result = self.browse().union(*prepared)
        with run.step(self.env._("the month's mark")):
            params.set_param(MONTHLY_DONE_PARAM, month)
        if run.result:
            with run.step(self.env._("the managers' notice")):
                self._hy_notify_managers(run.result, run.status)

    @api.model
    def _hy_notify_managers(self, dispatches, status):
        """One message to the Office managers: N drafts to check, with a link to them."""
        managers = self.env.ref(MANAGER_GROUP).users.filtered(
            lambda user: user.active and not user.share
        )
        if not managers:
            return
        lang = self.env["hy.digest"]._mail_lang(managers[:1].lang)
        env = self.with_context(lang=lang).env
        url = "/odoo/action-hy_task_tracking.hy_urge_dispatch_action?view_type=list"
        body = Markup('<p>%s <a href="%s">%s</a></p>') % (
            env._(
                "%(count)s urging dispatch(es) of the month were prepared for you to check and "
                "send.",
                count=len(dispatches),
            ),
            url,
            env._("Open the urging dispatches"),
        )
        status.message_post(
            body=body,
            subject=env._("%(count)s urging dispatches to check", count=len(dispatches)),
            partner_ids=managers.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
