from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty

from .classified import CLASSIFIED_MODELS, classified_records


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_classified_content(
                vals.get("model"), vals.get("res_id"), vals.get("body"), vals.get("attachment_ids")
            )
        return super().create(vals_list)

    def write(self, vals):
        if {"body", "attachment_ids", "model", "res_id"} & set(vals):
            for message in self:
                self._check_no_classified_content(
                    vals.get("model", message.model),
                    vals.get("res_id", message.res_id),
                    vals.get("body", message.body),
                    vals.get("attachment_ids"),
                )
        return super().write(vals)

    @api.model
    def _check_no_classified_content(self, model, res_id, body, attachment_ids):
        """Chatter on a classified record holds tracked metadata only: no text, no files."""
        if model not in CLASSIFIED_MODELS or not res_id:
            return
        has_body = body and not is_html_empty(body)
        if not has_body and not attachment_ids:
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
