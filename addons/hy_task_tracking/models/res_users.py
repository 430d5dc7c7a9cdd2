from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    hy_unit_ids = fields.Many2many(
        "hy.unit",
        "hy_unit_res_users_rel",
        "user_id",
        "unit_id",
        string="Units",
        help="Units whose tasks this user works.",
    )
    hy_digest_optout = fields.Boolean(
        string="No task tracking digests",
        help="Set from the unsubscribe link of the digests.",
    )

    @api.model
    def _hy_security_groups(self):
        categories = self.env.ref(
            "hy_task_tracking.module_category_task_tracking", raise_if_not_found=False
        ) | self.env.ref("hy_task_tracking.module_category_clearance", raise_if_not_found=False)
        # sudo: the list of our groups is not a secret, and logging needs it.
        return self.env["res.groups"].sudo().search([("category_id", "in", categories.ids)])

    def _hy_group_snapshot(self):
        groups = self._hy_security_groups()
        # sudo: membership is compared to log security changes, whoever makes them.
        return {user.id: user.sudo().groups_id & groups for user in self}

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        for user_id, groups in users._hy_group_snapshot().items():
            if groups:
                user = self.browse(user_id)
                self.env["hy.classified.access.log"]._log_security_change(
                    "res.users", user.id, user.login, "+ " + ", ".join(groups.mapped("full_name"))
                )
        return users

    def write(self, vals):
        # Compare memberships rather than parse vals: the user form writes reified fields.
        before = self._hy_group_snapshot()
        res = super().write(vals)
        if "hy_unit_ids" in vals:
            # The task rules are built from each user's units (security/hy_task_security.xml).
            self.env.registry.clear_cache()
        for user_id, groups in self._hy_group_snapshot().items():
            added, removed = groups - before[user_id], before[user_id] - groups
            if added or removed:
                user = self.browse(user_id)
                changes = [f"+ {g.full_name}" for g in added] + [
                    f"- {g.full_name}" for g in removed
                ]
                self.env["hy.classified.access.log"]._log_security_change(
                    "res.users", user.id, user.login, "; ".join(changes)
                )
        return res
