"""The integration API's JSON answers other than success, shared by its auth method
(models/ir_http.py, which runs before any route) and its routes (controllers/api.py)."""

import json

from werkzeug.exceptions import HTTPException

from odoo.http import Response

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
        if error.status == 401:
            headers = dict(headers or {}, **{"WWW-Authenticate": "Bearer"})
        super().__init__(
            description=error.message,
            response=json_response(error.to_dict(), error.status, headers),
        )
