from odoo import models


class PortalWizardUser(models.TransientModel):
    """Granting portal access to a contact of a unit makes the new user a member of that unit.

    The Office opens the unit's contact (hy.unit.partner_id), runs Odoo's standard
    Action > Grant portal access on it or on its child contacts, and the portal users it
    creates see their unit's tasks at once. Revoking the access removes them from the unit.
    """

    _inherit = "portal.wizard.user"

    def _hy_units(self):
        """Units whose contact is this partner or the company it works for."""
        partner = self.partner_id
        partners = partner | partner.parent_id | partner.commercial_partner_id
        return self.env["hy.unit"].search([("partner_id", "in", partners.ids)])

    def _hy_may_change_members(self):
        return self.env.su or self.env.user.has_group("hy_task_tracking.group_office_manager")

    def action_grant_access(self):
        res = super().action_grant_access()
        units = self._hy_units()
        user = self.with_context(active_test=False).partner_id.user_ids[:1]
        # Membership is the Office managers' decision (hy.unit.user_ids): whoever else grants
        # the access, a manager adds the member.
        if units and user and self._hy_may_change_members():
            units.write({"user_ids": [(4, user.id)]})
        return res

    def action_revoke_access(self):
        user = self.with_context(active_test=False).partner_id.user_ids[:1]
        units = self._hy_units().filtered(lambda unit: user in unit.user_ids)
        res = super().action_revoke_access()
        if units and self._hy_may_change_members():
            units.write({"user_ids": [(3, user.id)]})
        return res
