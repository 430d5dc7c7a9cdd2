"""Integration API ("liên thông"), version 1: JSON over HTTP under /api/hy/v1/.

The routes declare ``auth="hy_api_key"``: Odoo authenticates the ``Authorization: Bearer
<key>`` header (an Odoo API key, models/ir_http.py) before the route runs, as the key's user;
the work is done by the ``hy.api`` model. Every answer is JSON. An error is raised as
:class:`HyApiAbort`, so that Odoo rolls the whole transaction back: a request that fails
writes nothing.
"""

import base64
import binascii
import json
import logging
from datetime import datetime

import psycopg2
from werkzeug.exceptions import HTTPException

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..models.hy_api import FEED_FORMAT, FEED_GROUPS, READ_GROUPS, UPDATE_GROUPS
from ..tools import api_schema as schema
from ..tools.api_http import HyApiAbort, HyApiError, json_response
from .api_openapi import openapi_document

_logger = logging.getLogger(__name__)

PREFIX = "/api/hy/v1"
# Every data route: bearer keys (the auth method of models/ir_http.py), no cookie session,
# and read/write (reads of classified tasks are logged).
API_ROUTE = {
    "type": "http",
    "auth": "hy_api_key",
    "csrf": False,
    "save_session": False,
    "readonly": False,
}
MAX_BODY_SIZE = 1024 * 1024
# The status feed's cursors: since its format 1.1 (a ledger entry), and of format 1 (a chatter
# tracking value), still accepted and translated (hy.api._api_status_position).
FEED_CURSOR, FEED_CURSOR_V1 = "ledger", "sc"


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


class HyApiController(http.Controller):
    # The routes read their parameters from the request itself (query string or JSON body):
    # their **kwargs only keep Odoo from warning about the query string. They run as the key's
    # user: Odoo has called the auth method before them.

    # ------------------------------------------------------------------ plumbing

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
        """Call ``handler`` (which returns a status and a JSON-able answer) and turn every
        failure into a JSON error; nothing is written when one occurs."""
        try:
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
            headers = {"Allow": method} if error.status == 405 else None
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
            Api = request.env["hy.api"]
            after = 0
            if params["cursor"]:
                parts = decode_cursor(params["cursor"], 2)
                if (
                    not parts
                    or parts[0] not in (FEED_CURSOR, FEED_CURSOR_V1)
                    or not schema.DIGITS.fullmatch(parts[1])
                ):
                    raise bad_cursor()
                after = int(parts[1])
                if parts[0] == FEED_CURSOR_V1:
                    after = Api._api_status_position(after)
            items, last, has_more = Api._api_status_changes(params["since"], after, params["limit"])
            # The cursor of an empty page is the one received, a format 1 one translated.
            cursor = last or after
            return 200, {
                "format": FEED_FORMAT,
                "items": items,
                "next_cursor": encode_cursor(FEED_CURSOR, cursor) if cursor else None,
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
