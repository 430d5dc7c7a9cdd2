from odoo import api, models

from odoo.addons.mail.tools.parser import parse_res_ids

from ..models.classified import CLASSIFIED_MODELS


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    @api.model_create_multi
    def create(self, vals_list):
        composers = super().create(vals_list)
        # The subject and record name are computed as superuser from the records: the user
        # must be able to read them first, or the composer names another unit's task.
        for composer in composers:
            composer._hy_check_records_readable(composer.model, composer._evaluate_res_ids())
        return composers

    def onchange(self, values, field_names, fields_spec):
        # The full composer's first onchange computes the same subject from the context's
        # default_model / default_res_ids (or active_ids).
        context = self.env.context
        model = values.get("model") or context.get("default_model") or context.get("active_model")
        if model in CLASSIFIED_MODELS and not self.env.su:
            res_ids = (
                values.get("res_ids")
                or context.get("default_res_ids")
                or context.get("active_ids")
                or ([context["default_res_id"]] if context.get("default_res_id") else [])
            )
            self._hy_check_records_readable(model, parse_res_ids(res_ids, self.env))
        return super().onchange(values, field_names, fields_spec)

    @api.model
    def _hy_check_records_readable(self, model, res_ids):
        """A record of ours the user cannot read is answered as one that does not exist."""
        if self.env.su or model not in CLASSIFIED_MODELS or not res_ids:
            return
        records = self.env[model].browse(res_ids)
        if len(records.exists()) != len(set(records.ids)) or not records.has_access("read"):
            raise self.env["ir.rule"]._make_access_error("read", records)
