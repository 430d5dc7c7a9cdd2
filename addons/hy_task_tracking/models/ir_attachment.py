from odoo import _, api, models
from odoo.exceptions import ValidationError

from .classified import CLASSIFIED_MODELS, classified_records, record_id


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("res_id"):
                # Stored as the ORM would store it, so that the guard checks that record.
                vals["res_id"] = record_id(vals["res_id"])
            self._check_not_on_classified(vals.get("res_model"), vals.get("res_id"))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("res_id"):
            vals = dict(vals, res_id=record_id(vals["res_id"]))
        if "res_model" in vals or "res_id" in vals:
            for attachment in self:
                self._check_not_on_classified(
                    vals.get("res_model", attachment.res_model),
                    vals.get("res_id", attachment.res_id),
                )
        return super().write(vals)

    @api.model
    def _check_not_on_classified(self, res_model, res_id):
        # Also covers /mail/attachment/upload, which creates attachments as superuser.
        if res_model not in CLASSIFIED_MODELS or not res_id:
            return
        if not self.env.su:
            # Same answer as any other path for a record the user cannot read.
            self.env[res_model].browse(res_id).check_access("read")
        if classified_records(self.env, res_model, [res_id]):
            raise ValidationError(
                _("No file may be attached to a record of a classified directive.")
            )
