from odoo import _, api, models
from odoo.exceptions import ValidationError

from .classified import CLASSIFIED_MODELS, classified_records, html_has_text, record_id


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_model_name(vals.get("model"))
            if vals.get("res_id"):
                # Stored as the ORM would store it, so that the guard checks that record.
                vals["res_id"] = record_id(vals["res_id"])
            self._check_no_classified_content(
                vals.get("model"),
                vals.get("res_id"),
                vals.get("body"),
                vals.get("attachment_ids"),
                vals.get("subject"),
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_model_name(vals.get("model"))
        if vals.get("res_id"):
            vals = dict(vals, res_id=record_id(vals["res_id"]))
        if {"body", "attachment_ids", "model", "res_id", "subject"} & set(vals):
            for message in self:
                self._check_no_classified_content(
                    vals.get("model", message.model),
                    vals.get("res_id", message.res_id),
                    vals.get("body", message.body),
                    vals.get("attachment_ids"),
                    vals.get("subject", message.subject),
                )
        return super().write(vals)

    @api.model
    def _check_model_name(self, model):
        # "HY.TASK" or "hy.task " is no model: refused before Odoo's access check fails on it
        # with a server error, and before it slips past the classified guard.
        if model and (not isinstance(model, str) or model not in self.env):
            raise ValidationError(_("%s is not a model of the software.", model))

    @api.model
    def _check_no_classified_content(self, model, res_id, body, attachment_ids, subject=None):
        """Chatter on a classified record holds tracked metadata only: no text (in the body,
        its attributes or the subject), no files."""
        if model not in CLASSIFIED_MODELS or not res_id:
            return
        has_text = html_has_text(body) or bool(subject and str(subject).strip())
        if not has_text and not attachment_ids:
            return
        if not self.env.su:
            # Answer an unreadable record with the access error every other path gives,
            # before anything reveals that it is classified.
            self.env[model].browse(res_id).check_access("read")
        if classified_records(self.env, model, [res_id]):
            raise ValidationError(
                _(
                    "This record belongs to a classified directive: messages and attachments "
                    "cannot be stored in the software. Use the classified channel instead."
                )
            )

    @api.model
    def _message_fetch(
        self, domain, search_term=None, before=None, after=None, around=None, limit=30
    ):
        # The chatter of a classified record is a read of that record: logged once a fetch.
        res = super()._message_fetch(
            domain,
            search_term=search_term,
            before=before,
            after=after,
            around=around,
            limit=limit,
        )
        self._log_classified_threads(res["messages"])
        return res

    def _log_classified_threads(self, messages):
        """Log one read of each classified record whose messages are in ``messages``."""
        # sudo: which records the messages belong to, whoever reads them.
        by_model = {}
        for message in messages.sudo():  # sudo: the classification decides, whoever posts
            if message.model in CLASSIFIED_MODELS and message.res_id:
                by_model.setdefault(message.model, set()).add(message.res_id)
        for model, res_ids in by_model.items():
            records = self.env[model].browse(res_ids).exists()
            if hasattr(records, "_hy_log_classified"):
                records._hy_log_classified("read", "chatter")
