from odoo.http import request

from odoo.addons.portal.controllers.web import Home


class HyHome(Home):
    def _login_redirect(self, uid, redirect=None):
        # A unit's portal member comes for its tasks: open them rather than the /my page.
        if not redirect:
            user = request.env["res.users"].browse(uid)
            if user.share and user.sudo().hy_unit_ids:  # sudo: own units, read at login
                redirect = "/my/hy_tasks"
        return super()._login_redirect(uid, redirect=redirect)
