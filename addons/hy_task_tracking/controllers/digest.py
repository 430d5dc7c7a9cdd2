from odoo import _, http, tools
from odoo.http import request

from .routing import RECORD_ID


class HyDigestController(http.Controller):
    @http.route(
        f"/hy/digest/unsubscribe/<{RECORD_ID}:user_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=False,
        sitemap=False,
    )
    def hy_digest_unsubscribe(self, user_id, token, **kwargs):
        expected = tools.misc.hmac(request.env(su=True), "hy-digest-unsubscribe", user_id)
        if not tools.consteq(expected, token):
            return request.not_found()
        # sudo: the signed link stands for the user, who may not be logged in.
        user = request.env["res.users"].sudo().browse(user_id).exists()  # see the comment above
        if not user:
            return request.not_found()
        user.hy_digest_optout = True
        return request.make_response(
            "<html><body><p>%s</p></body></html>"
            % tools.html_escape(_("You will no longer receive the task tracking summaries.")),
            headers=[("Content-Type", "text/html; charset=utf-8")],
        )
