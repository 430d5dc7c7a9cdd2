from odoo import models


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        res = super().write(vals)
        watched = {"users", "implied_ids", "model_access", "rule_groups", "name"} & set(vals)
        ours = self & self.env["res.users"]._hy_security_groups()
        if watched and ours:
            for group in ours:
                self.env["hy.classified.access.log"]._log_security_change(
                    "res.groups", group.id, group.full_name, ", ".join(sorted(watched))
                )
        return res
