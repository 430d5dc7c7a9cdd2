import re

from werkzeug.datastructures import FileStorage

from odoo import models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

from ..tools.api_http import HyApiAbort, HyApiError
from .hy_api import API_SCOPE

BEARER = re.compile(r"Bearer +([!-~]{1,256})", re.IGNORECASE)


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
    def _auth_method_hy_api_key(cls):
        """``auth="hy_api_key"``, the integration API's routes (controllers/api.py): the request
        runs as the user of the Odoo API key sent as ``Authorization: Bearer <key>``, as
        mail_plugin's ``outlook`` method does; a session cookie is never enough. Refusals are
        the API's JSON errors: 401 without a valid key, 403 for a key made for another use."""
        _ = request.env._
        match = BEARER.fullmatch(request.httprequest.headers.get("Authorization", "").strip())
        if not match:
            raise HyApiAbort(
                HyApiError(
                    401,
                    "unauthorized",
                    _("Send an API key in the header “Authorization: Bearer <key>”."),
                )
            )
        key = match[1]
        uid = request.env["res.users.apikeys"]._check_credentials(scope=API_SCOPE, key=key)
        if not uid:
            if cls._hy_is_key_of_other_scope(key):
                raise HyApiAbort(
                    HyApiError(
                        403,
                        "forbidden",
                        _(
                            "This API key was made for another use: its scope is not “%s”.",
                            API_SCOPE,
                        ),
                    )
                )
            raise HyApiAbort(
                HyApiError(401, "unauthorized", _("This API key is wrong, revoked or expired."))
            )
        request.update_env(user=uid)
        user = request.env.user
        request.update_context(lang=user.lang or "en_US", tz=user.tz or "Asia/Ho_Chi_Minh")

    @classmethod
    def _hy_is_key_of_other_scope(cls, key):
        """True when ``key`` is a valid key whose scope is neither empty nor ours: a 403
        tells its owner what is wrong instead of a 401 that says the key is bad."""
        rows = request.env.execute_query(
            SQL(
                """
                SELECT k.key
                  FROM res_users_apikeys k
                  JOIN res_users u ON u.id = k.user_id
                 WHERE u.active AND k.index = %s
                   AND k.scope IS NOT NULL AND k.scope != %s
                   AND (k.expiration_date IS NULL
                        OR k.expiration_date >= now() AT TIME ZONE 'utc')
                """,
                key[:INDEX_SIZE],
                API_SCOPE,
            )
        )
        return any(KEY_CRYPT_CONTEXT.verify(key, hashed) for (hashed,) in rows)

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
