import os

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from .hy_write_guard import UNIT_OR_OFFICE

# A unit reports progress on what it is working on: neither before the Office assigns the
# task, nor once it is returned, reported done or cancelled.
UPDATE_STATES = ("assigned", "in_progress")

# What a unit may attach to a progress update: office documents, scans and archives of them.
# Anything a browser would run (HTML, SVG, scripts) or a workstation would execute is refused.
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
    ".rtf",
    ".txt",
    ".csv",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
    ".rar",
}
# Content a browser would render or run, whatever the name of the file says.
FORBIDDEN_MIMETYPES = {
    "text/html",
    "application/xhtml+xml",
    "application/xml",
    "text/xml",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
}
# Types whose content is recognised for certain: the name must not lie about them.
EXPECTED_MIMETYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}
EXPECTED_MIMETYPES[".jpeg"] = EXPECTED_MIMETYPES[".jpg"]
MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILES = 5


def unit_role(task, user):
    """How ``user`` takes part in ``task``: ("lead" or "support", the unit), or (False, None).

    A member of both the lead unit and a coordinating unit acts as the lead unit.
    """
    unit_ids = set(user.sudo().hy_unit_ids.ids)
    if task.lead_unit_id.id in unit_ids:
        return "lead", task.lead_unit_id
    support = task.support_unit_ids.filtered(lambda unit: unit.id in unit_ids)
    if support:
        return "support", support[:1]
    return False, None


class HyTaskUpdate(models.Model):
    """A progress update posted by the lead unit or a coordinating unit (Art. 6.2.b)."""

    _name = "hy.task.update"
    _description = "Task Progress Update"
    _inherit = ["hy.classified.mixin", "hy.write.guard"]
    _order = "date desc, id desc"
    # Who may write what (hy.write.guard): a unit (or the Office) posts what it did; who, for
    # which unit, when, and the files (checked and stored by _post_update) are the server's.
    # An update is never changed nor deleted.
    # The backend's dialog names the files just uploaded: create() accepts only those.
    _hy_create_fields = dict.fromkeys(
        ("task_id", "progress", "note", "submission_key", "attachment_ids"), UNIT_OR_OFFICE
    )
    _hy_server_create_fields = frozenset(
        {"note", "role", "unit_id", "author_id", "date", "attachment_ids"}
    )

    task_id = fields.Many2one(
        "hy.task", required=True, readonly=True, index=True, ondelete="cascade"
    )
    unit_id = fields.Many2one(
        "hy.unit", readonly=True, index=True, help="The unit on whose behalf the update was posted."
    )
    role = fields.Selection(
        [("lead", "Lead unit"), ("support", "Coordinating unit"), ("office", "Provincial Office")],
        readonly=True,
    )
    author_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    progress = fields.Integer(readonly=True, help="Percentage of the work done, 0 to 100.")
    note = fields.Text(readonly=True, help="Never filled for tasks of classified directives.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "hy_task_update_ir_attachment_rel",
        "update_id",
        "attachment_id",
        string="Attachments",
        readonly=True,
    )
    submission_key = fields.Char(
        readonly=True,
        copy=False,
        help="One-time key of the form that posted the update: the same form submitted twice "
        "records one update.",
    )

    _sql_constraints = [
        (
            "progress_range",
            "CHECK(progress >= 0 AND progress <= 100)",
            "Progress is a percentage between 0 and 100.",
        ),
        (
            "submission_key_unique",
            "UNIQUE(task_id, submission_key)",
            "This update has already been recorded.",
        ),
    ]

    @api.constrains("note", "attachment_ids", "task_id")
    def _check_classified(self):
        # Holds under sudo() too: a classified task only records how far the work is.
        for update in self.sudo():
            if update.task_id.is_classified and (update.note or update.attachment_ids):
                raise ValidationError(
                    _(
                        "Task %s belongs to a classified directive: only the percentage of "
                        "progress can be recorded. Send the details through the classified "
                        "channel.",
                        update.task_id.reference,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        # Files uploaded in the backend's dialog: checked like the portal's, then attached.
        uploads = {}
        if not self.env.su:
            for index, vals in enumerate(vals_list):
                if "attachment_ids" in vals:
                    uploads[index] = self._backend_uploads(vals.pop("attachment_ids"))
        if not all(vals.get("task_id") for vals in vals_list):
            raise ValidationError(_("Choose the task the progress update is about."))
        tasks = self.env["hy.task"].browse({vals.get("task_id") for vals in vals_list})
        tasks.check_access("read")
        for vals in vals_list:
            task = tasks.browse(vals.get("task_id"))
            role, unit = self._poster_role(task)
            if task.state not in UPDATE_STATES:
                raise UserError(
                    _(
                        "Task %s is not being worked on: progress cannot be reported on it.",
                        task.reference,
                    )
                )
            progress = vals.get("progress") or 0
            if not 0 <= progress <= 100:
                raise ValidationError(_("Progress is a percentage between 0 and 100."))
            note = (vals.get("note") or "").strip()
            if not task.is_classified and not note:
                raise UserError(_("Please describe the progress made."))
            vals.update(
                {
                    "note": note or False,
                    "role": role,
                    "unit_id": unit.id,
                    "author_id": self.env.uid,
                    "date": fields.Datetime.now(),
                }
            )
        updates = super().create(vals_list)
        for index, update in enumerate(updates):
            if uploads.get(index):
                update._attach_uploads(uploads[index])
            update._apply_to_task()
        return updates

    @api.model
    def _backend_uploads(self, commands):
        """The files the user just uploaded in the backend's update dialog, from the
        many2many commands of ``attachment_ids``; refuses any other attachment and any file
        the portal would refuse."""
        ids = set()
        for command in commands or ():
            if command[0] == Command.SET:
                ids |= set(command[2])
            elif command[0] == Command.LINK:
                ids.add(command[1])
            else:
                raise AccessError(_("Only files uploaded with the update can be attached."))
        # Another user's file must be refused with our message, not Odoo's access error: read
        # as superuser, then checked below to be the caller's own upload, attached to nothing.
        attachments = (
            self.env["ir.attachment"].sudo().browse(sorted(ids)).exists()  # sudo: checked below
        )
        if len(attachments) != len(ids) or any(
            att.create_uid != self.env.user or att.res_model != self._name or att.res_id
            for att in attachments
        ):
            raise AccessError(_("Only files uploaded with the update can be attached."))
        if len(attachments) > MAX_FILES:
            raise ValidationError(_("Attach at most %s files to one update.", MAX_FILES))
        for att in attachments:
            self._check_upload(att.name, att.raw)
        return attachments

    def _attach_uploads(self, attachments):
        """Attach the checked ``attachments`` to this update and its task, as the portal does."""
        self.ensure_one()
        if self.task_id.is_classified:
            raise ValidationError(_("No file may be attached to a task of a classified directive."))
        # sudo: the files are the user's own uploads checked by _backend_uploads; they belong
        # to the task, so that whoever reads the task (and only they) may read them.
        attachments.write({"res_model": "hy.task", "res_id": self.task_id.id})
        self.sudo().attachment_ids = attachments  # sudo: server-set field, files checked
        attachments.generate_access_token()

    def write(self, vals):
        # An update is a record of what a unit said at a date: it is never rewritten.
        if not self.env.su:
            raise AccessError(_("A progress update cannot be changed once posted."))
        return super().write(vals)

    @api.model
    def _poster_role(self, task):
        """(role, unit) in which the current user posts on ``task``, or an AccessError."""
        role, unit = unit_role(task, self.env.user)
        if not role and (
            self.env.su or self.env.user.has_group("hy_task_tracking.group_office_officer")
        ):
            role, unit = "office", task.lead_unit_id
        if not role:
            raise AccessError(_("You can only report progress on the tasks of your units."))
        return role, unit

    def _apply_to_task(self):
        """The lead unit's figure becomes the task's progress; the Office reads the chatter."""
        self.ensure_one()
        task = self.task_id
        if self.role in ("lead", "office"):
            vals = {"progress": self.progress}
            if task.state == "assigned" and self.role == "lead":
                # Reporting progress is starting the work: the task is accepted.
                vals["state"] = "in_progress"
            # sudo: the poster's role and the task's status were checked in create().
            task.sudo().write(vals)  # sudo: role and status checked in create()
        if task.is_classified:
            return  # no text may be stored on a classified task: the tracked progress is all
        body = plaintext2html(
            _(
                "Progress update from %(unit)s: %(progress)s%%\n%(note)s",
                unit=self.unit_id.name or self.env.user.name,
                progress=self.progress,
                note=self.note,
            )
        )
        # A log note, with the files, for the Office in the backend chatter. Logged rather than
        # posted: a portal user may not post internal notes, and the role and the task were
        # checked in create().
        task._message_log(body=body, attachment_ids=[Command.set(self.attachment_ids.ids)])

    @api.model
    def _check_upload(self, name, content):
        """Refuse a file that is too big, empty, or of a type a unit has no reason to send."""
        extension = os.path.splitext(name or "")[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                _(
                    "The file %(name)s cannot be attached: only these types are accepted: "
                    "%(types)s.",
                    name=name,
                    types=", ".join(sorted(e.lstrip(".") for e in ALLOWED_EXTENSIONS)),
                )
            )
        if not content:
            raise ValidationError(_("The file %s is empty.", name))
        if len(content) > MAX_FILE_SIZE:
            raise ValidationError(
                _(
                    "The file %(name)s is larger than %(size)s MB.",
                    name=name,
                    size=MAX_FILE_SIZE // (1024 * 1024),
                )
            )
        mimetype = guess_mimetype(content, default="application/octet-stream")
        expected = EXPECTED_MIMETYPES.get(extension, mimetype)
        if mimetype in FORBIDDEN_MIMETYPES or mimetype != expected:
            raise ValidationError(
                _("The content of the file %s is not an accepted document type.", name)
            )
        return mimetype

    @api.model
    def _post_update(self, task, progress, note, files=(), submission_key=None):
        """Record one update with its files; ``files`` is a list of (name, bytes).

        Returns the update, or an empty recordset when ``submission_key`` was already used
        on this task (the same form submitted twice).
        """
        if submission_key and self.search_count(
            [("task_id", "=", task.id), ("submission_key", "=", submission_key)], limit=1
        ):
            return self.browse()
        files = [(name, content) for name, content in files if name or content]
        if files and task.is_classified:
            raise ValidationError(_("No file may be attached to a task of a classified directive."))
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %s files to one update.", MAX_FILES))
        mimetypes = [self._check_upload(name, content) for name, content in files]
        task.check_access("read")
        # As the user: whoever may not post on the task is refused before any file is stored.
        self._poster_role(task)
        attachments = self.env["ir.attachment"]
        if files:
            # sudo: portal users may not create attachments at all. The task was checked just
            # above, it is not classified and the files are of accepted types; they belong to
            # the task, so that whoever reads the task (and only they) may read them.
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": name,
                            "raw": content,
                            "mimetype": mimetype,
                            "res_model": "hy.task",
                            "res_id": task.id,
                        }
                        for (name, content), mimetype in zip(files, mimetypes, strict=True)
                    ]
                )
            )
        # sudo: the files are the ones stored just above (hy.write.guard refuses any other
        # attachment_ids to the caller); the poster's role is the user's own (sudo keeps it),
        # checked above and again in create().
        update = (
            self.sudo()  # sudo: role and status checked in create()
            .create(
                {
                    "task_id": task.id,
                    "progress": progress,
                    "note": note,
                    "attachment_ids": [(6, 0, attachments.ids)],
                    "submission_key": submission_key or False,
                }
            )
            .with_env(self.env)
        )
        # Download links for unit members who read the task (portal users cannot read
        # ir.attachment directly): a token per file.
        attachments.generate_access_token()
        return update
