from odoo import _, api, fields, models
from odoo.exceptions import AccessError


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

    @api.model
    def _hy_check_membership_manager(self):
        """Membership opens a unit's tasks to its members: only Office managers change it."""
        if not self.env.su and not self.env.user.has_group("hy_task_tracking.group_office_manager"):
            raise AccessError(_("Only Office managers can change the members of a unit."))

    def _hy_memberships(self):
        """{(unit id, user id)} of these users, archived units included: for the access log."""
        # Every membership is logged, whoever changes it.
        users = self.sudo().with_context(active_test=False)  # sudo: see the comment above
        return {(unit.id, user.id) for user in users for unit in user.hy_unit_ids}

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        # Checked on the result: a copy of a user without units carries an empty command.
        memberships = (
            users._hy_memberships() if any("hy_unit_ids" in v for v in vals_list) else None
        )
        if memberships:
            self._hy_check_membership_manager()
            # The task rules are built from each user's units (security/hy_task_security.xml).
            self.env.registry.clear_cache()
            self.env["hy.classified.access.log"]._log_membership_changes(set(), memberships)
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
        memberships = None
        if "hy_unit_ids" in vals:
            self._hy_check_membership_manager()
            memberships = self._hy_memberships()
        res = super().write(vals)
        if memberships is not None:
            # The task rules are built from each user's units (security/hy_task_security.xml).
            self.env.registry.clear_cache()
            self.env["hy.classified.access.log"]._log_membership_changes(
                memberships, self._hy_memberships()
            )
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
