from werkzeug.datastructures import FileStorage

from odoo import models
from odoo.exceptions import UserError
from odoo.http import request


def _has_nul(value):
    if isinstance(value, FileStorage):
        return "\x00" in (value.filename or "")
    return isinstance(value, str) and "\x00" in value


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # The portal chatter of a task is mail's code (Thread, Composer, dates, "The
        # conversation is empty."), but the portal only loads the JS translations of web and
        # portal: mail's come with website_mail, which we do not install. Do what it does.
        return super()._get_translation_frontend_modules_name() + ["mail"]

    @classmethod
    def _dispatch(cls, endpoint):
        # PostgreSQL stores no NUL character: one in a search box or a form field would fail
        # in the database with a 500. No text of a page needs one: refuse the request before
        # the route reads it. Pages only (the portals, the reports): the API answers its own
        # errors, in JSON, and the chatter's sanitizer drops NULs from messages.
        if request.dispatcher.routing_type == "http" and endpoint.routing.get("website"):
            httprequest = request.httprequest
            sent = [
                item
                for values in (httprequest.args, httprequest.form, httprequest.files)
                for pair in values.items(multi=True)
                for item in pair
            ]
            if any(map(_has_nul, (*sent, *request.params.values()))):
                # A UserError: a 400 whose page shows the message (portal's error page too).
                raise UserError(
                    request.env._(
                        "The request contains a NUL character, which no text may hold. "
                        "Please remove it and try again."
                    )
                )
        return super()._dispatch(endpoint)
