"""Integration API ("liên thông"), version 1: JSON over HTTP under /api/hy/v1/.

The routes authenticate the ``Authorization: Bearer <key>`` header themselves (Odoo API keys)
and then run as the key's user; the work is done by the ``hy.api`` model. Every answer is
JSON. An error is raised as :class:`HyApiAbort`, so that Odoo rolls the whole transaction
back: a request that fails writes nothing.
"""

import base64
import binascii
import json
import logging
import re
from datetime import datetime

import psycopg2
from werkzeug.exceptions import HTTPException

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import Response, request
from odoo.tools import SQL

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

from ..models.hy_api import API_SCOPE, FEED_GROUPS, READ_GROUPS, UPDATE_GROUPS
from ..tools import api_schema as schema
from .api_openapi import openapi_document

_logger = logging.getLogger(__name__)

PREFIX = "/api/hy/v1"
# Every data route: bearer keys, no cookie session, and writes allowed (reads are logged).
API_ROUTE = {
    "type": "http",
    "auth": "none",
    "csrf": False,
    "save_session": False,
    "readonly": False,
}
BEARER = re.compile(r"Bearer +([!-~]{1,256})", re.IGNORECASE)
MAX_BODY_SIZE = 1024 * 1024
# How each kind of refusal of tools/api_schema.py is answered: HTTP status and error code.
REFUSALS = {
    "invalid": (400, "validation_error"),
    "rejected": (422, "rejected"),
    "classified": (422, "classified_content"),
    "conflict": (409, "conflict"),
    "forbidden": (403, "forbidden"),
    "not_found": (404, "not_found"),
}


class HyApiError(Exception):
    """An answer of the API other than success: HTTP status, error code, field, message."""

    def __init__(self, status, code, message, field=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    @classmethod
    def from_refusal(cls, error):
        status, code = REFUSALS[error.kind]
        return cls(status, code, error.message, error.field)

    def to_dict(self):
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


def encode_cursor(*parts):
    raw = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value, size):
    """The parts of a cursor made by :func:`encode_cursor`, or None if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = raw.split("|")
    return parts if len(parts) == size else None


def bad_cursor():
    return HyApiError(
        422, "rejected", request.env._("This cursor was not made by this API."), "cursor"
    )


def json_response(data, status=200, headers=None):
    try:
        body = json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate sent back in an error's field: escape it
        body = json.dumps(data).encode()
    response = Response(
        body,
        status=status,
        headers=headers,
        content_type="application/json; charset=utf-8",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


class HyApiAbort(HTTPException):
    """A JSON error answer. Raised rather than returned: Odoo then rolls the transaction back
    and, being an HTTP error, neither logs it nor replaces it with its own page."""

    def __init__(self, error, headers=None):
        self.code = error.status
        super().__init__(
            description=error.message,
            response=json_response(error.to_dict(), error.status, headers),
        )


class HyApiController(http.Controller):
    # The routes read their parameters from the request itself (query string or JSON body):
    # their **kwargs only keep Odoo from warning about the query string. They are read/write
    # (auth="none" routes default to read-only): reading a classified task writes to its log.

    # ------------------------------------------------------------------ plumbing

    def _authenticate(self):
        """Run the request as the user of the bearer key, or answer 401 / 403."""
        header = request.httprequest.headers.get("Authorization", "")
        match = BEARER.fullmatch(header.strip())
        if not match:
            raise HyApiError(
                401,
                "unauthorized",
                _("Send an API key in the header “Authorization: Bearer <key>”."),
            )
        key = match[1]
        uid = request.env["res.users.apikeys"]._check_credentials(scope=API_SCOPE, key=key)
        if not uid:
            if self._is_key_of_other_scope(key):
                raise HyApiError(
                    403,
                    "forbidden",
                    _("This API key was made for another use: its scope is not “%s”.", API_SCOPE),
                )
            raise HyApiError(401, "unauthorized", _("This API key is wrong, revoked or expired."))
        request.update_env(user=uid)
        user = request.env.user
        request.update_context(lang=user.lang or "en_US", tz=user.tz or "Asia/Ho_Chi_Minh")

    def _is_key_of_other_scope(self, key):
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

    def _check_groups(self, groups, allow_unit_members=True):
        """Who may call the route, decided before its input is read."""
        request.env["hy.api"]._api_check_groups(groups, allow_unit_members)

    def _json_body(self, declaration):
        """The body, checked against its declaration (tools/api_schema.py)."""
        httprequest = request.httprequest
        if httprequest.mimetype != "application/json":
            raise HyApiError(415, "unsupported_media_type", _("Send the body as application/json."))
        too_large = HyApiError(
            413,
            "payload_too_large",
            _("The body is larger than %s KiB.", MAX_BODY_SIZE // 1024),
        )
        if (httprequest.content_length or 0) > MAX_BODY_SIZE:
            raise too_large
        data = httprequest.get_data()
        if len(data) > MAX_BODY_SIZE:
            raise too_large
        try:
            payload = json.loads(data.decode("utf-8"), parse_constant=self._no_constant)
        except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError too
            raise HyApiError(
                400, "invalid_json", _("The body is not valid JSON (UTF-8).")
            ) from None
        if not isinstance(payload, dict):
            raise HyApiError(400, "invalid_json", _("The body must be a JSON object."))
        return declaration.parse(payload, "", schema.ParseContext(request.env))

    @staticmethod
    def _no_constant(name):
        raise ValueError(f"{name} is not JSON")

    def _query_params(self, declaration):
        """The query string, checked against its declaration; "db" selects the database on a
        multi-database server and is not the API's."""
        args = request.httprequest.args
        for key in args:
            if key not in declaration.fields and key != "db":
                raise HyApiError(400, "validation_error", _("Unknown parameter."), key)
        params = {key: value for key, value in args.items() if key != "db"}
        return declaration.parse(params, "", schema.ParseContext(request.env))

    def _serve(self, method, handler, *args):
        """Authenticate, call ``handler`` (which returns a status and a JSON-able answer),
        and turn every failure into a JSON error; nothing is written when one occurs."""
        try:
            self._authenticate()
            if request.httprequest.method != method:
                raise HyApiError(
                    405,
                    "method_not_allowed",
                    _("Use %s on this endpoint.", method),
                )
            status, data = handler(*args)
            return json_response(data, status)
        except schema.FieldError as error:
            raise HyApiAbort(HyApiError.from_refusal(error)) from None
        except HyApiError as error:
            headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
            if error.status == 405:
                headers = {"Allow": method}
            raise HyApiAbort(error, headers) from None
        except (AccessError, MissingError):
            raise HyApiAbort(
                HyApiError(404, "not_found", _("No such record, or you are not allowed to see it."))
            ) from None
        except ValidationError as error:
            raise HyApiAbort(HyApiError(422, "rejected", str(error.args[0]))) from None
        except UserError as error:
            raise HyApiAbort(HyApiError(409, "conflict", str(error.args[0]))) from None
        except psycopg2.IntegrityError:
            raise HyApiAbort(
                HyApiError(
                    409,
                    "conflict",
                    _("The request conflicts with a record saved meanwhile: send it again."),
                )
            ) from None
        except HTTPException:
            raise
        except Exception:
            _logger.exception("Integration API: unexpected error on %s", request.httprequest.path)
            raise HyApiAbort(
                HyApiError(500, "internal_error", _("Unexpected error: nothing was saved."))
            ) from None

    # ------------------------------------------------------------------ routes

    @http.route(
        f"{PREFIX}/openapi.json",
        type="http",
        auth="none",
        csrf=False,
        save_session=False,
        readonly=True,
    )
    def hy_api_openapi(self, **kwargs):
        return json_response(openapi_document(request.env))

    @http.route(f"{PREFIX}/directives", **API_ROUTE)
    def hy_api_directives(self, **kwargs):
        def handler():
            self._check_groups(("group_office_officer",), allow_unit_members=False)
            body = self._json_body(schema.DIRECTIVE_REQUEST)
            created, answer = request.env["hy.api"]._api_upsert_directive(body)
            return (201 if created else 200), answer

        return self._serve("POST", handler)

    @http.route(f"{PREFIX}/tasks", **API_ROUTE)
    def hy_api_tasks(self, **kwargs):
        def handler():
            self._check_groups(READ_GROUPS)
            params = self._query_params(schema.TASK_LIST_QUERY)
            after = None
            if params["cursor"]:
                parts = decode_cursor(params["cursor"], 2)
                try:
                    after = (datetime.fromisoformat(parts[0]), int(parts[1])) if parts else None
                except ValueError:
                    after = None
                if not after:
                    raise bad_cursor()
            items, last, has_more = request.env["hy.api"]._api_list_tasks(
                None if after else params["changed_since"], after, params["limit"]
            )
            cursor = encode_cursor(last[0].isoformat(), last[1]) if last else params["cursor"]
            return 200, {"items": items, "next_cursor": cursor, "has_more": has_more}

        return self._serve("GET", handler)

    @http.route(f"{PREFIX}/tasks/<string:reference>", **API_ROUTE)
    def hy_api_task(self, reference, **kwargs):
        def handler():
            return 200, request.env["hy.api"]._api_read_task(reference)

        return self._serve("GET", handler)

    @http.route(f"{PREFIX}/tasks/<string:reference>/updates", **API_ROUTE)
    def hy_api_task_updates(self, reference, **kwargs):
        def handler():
            self._check_groups(UPDATE_GROUPS)
            body = self._json_body(schema.UPDATE_REQUEST)
            created, answer = request.env["hy.api"]._api_post_update(reference, body)
            return (201 if created else 200), answer

        return self._serve("POST", handler)

    def _unit_action(self, reference, action, declaration=None):
        """A lead unit's action: 200 when done now, 200 with duplicate=true when done before."""

        def handler():
            self._check_groups(UPDATE_GROUPS)
            body = self._json_body(declaration) if declaration else None
            _done, answer = request.env["hy.api"]._api_unit_action(reference, action, body)
            return 200, answer

        return self._serve("POST", handler)

    @http.route(f"{PREFIX}/tasks/<string:reference>/accept", **API_ROUTE)
    def hy_api_task_accept(self, reference, **kwargs):
        return self._unit_action(reference, "accept")

    @http.route(f"{PREFIX}/tasks/<string:reference>/completion", **API_ROUTE)
    def hy_api_task_completion(self, reference, **kwargs):
        return self._unit_action(reference, "complete", schema.COMPLETION_REQUEST)

    @http.route(f"{PREFIX}/tasks/<string:reference>/return", **API_ROUTE)
    def hy_api_task_return(self, reference, **kwargs):
        return self._unit_action(reference, "return", schema.RETURN_REQUEST)

    @http.route(f"{PREFIX}/tasks/<string:reference>/extension-request", **API_ROUTE)
    def hy_api_task_extension(self, reference, **kwargs):
        return self._unit_action(reference, "extend", schema.EXTENSION_REQUEST)

    @http.route(f"{PREFIX}/status-changes", **API_ROUTE)
    def hy_api_status_changes(self, **kwargs):
        def handler():
            self._check_groups(FEED_GROUPS, allow_unit_members=False)
            params = self._query_params(schema.STATUS_FEED_QUERY)
            after = 0
            if params["cursor"]:
                parts = decode_cursor(params["cursor"], 2)
                if not parts or parts[0] != "sc" or not schema.DIGITS.fullmatch(parts[1]):
                    raise bad_cursor()
                after = int(parts[1])
            items, last, has_more = request.env["hy.api"]._api_status_changes(
                params["since"], after, params["limit"]
            )
            return 200, {
                "format": "hy.status-changes/1",
                "items": items,
                "next_cursor": encode_cursor("sc", last) if last else params["cursor"],
                "has_more": has_more,
            }

        return self._serve("GET", handler)

    @http.route(
        [PREFIX, f"{PREFIX}/<path:path>"],
        type="http",
        auth="none",
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def hy_api_unknown(self, path=None, **kwargs):
        raise HyApiAbort(HyApiError(404, "not_found", _("There is no such endpoint.")))
