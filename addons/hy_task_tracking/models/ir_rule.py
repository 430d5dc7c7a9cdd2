from odoo import _, api, models
from odoo.exceptions import AccessError

from .classified import CLASSIFIED_MODELS


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._hy_log_change("create")
        return rules

    def write(self, vals):
        res = super().write(vals)
        self._hy_log_change(", ".join(sorted(vals)))
        return res

    def unlink(self):
        self._hy_log_change("unlink")
        return super().unlink()

    def _hy_log_change(self, what):
        """Changes to the rules that guard our models are security events."""
        # sudo: the log must see the rule's model whoever changes it.
        for rule in self.sudo().filtered(lambda r: r.model_id.model in CLASSIFIED_MODELS):
            self.env["hy.classified.access.log"]._log_security_change(
                "ir.rule", rule.id, rule.name, f"{what}: {rule.domain_force or ''}"
            )

    def _make_access_error(self, operation, records):
        """Never name a record of ours in an access error, not even in debug mode:
        the number of a classified directive is itself protected from uncleared users."""
        if records._name not in CLASSIFIED_MODELS:
            return super()._make_access_error(operation, records)
        description = self.env["ir.model"]._get(records._name).name or records._name
        return AccessError(
            _(
                "You cannot access these %(description)s records, or they do not exist.",
                description=description,
            )
        )
