"""The OpenAPI 3.1 document of the integration API, served at /api/hy/v1/openapi.json.

What requests may hold comes from their declaration (tools/api_schema.py), which also checks
them; the answers' shapes are written here. Choices come from the models' selections.
"""

from ..models.hy_api import API_SCOPE, API_VERSION, FEED_FORMAT
from ..models.hy_directive import AUTHORITIES, DOCUMENT_TYPES, SECURITY_LEVELS
from ..models.hy_task import OFFICE_WAITS, STATUS_CATEGORIES
from ..models.hy_task_ledger import URGE_CHANNELS
from ..models.status_category import AWAITING_CONFIRMATION, PROGRESS_STATUSES
from ..tools import api_schema as schema

DESCRIPTION = f"""\
Integration ("liên thông") API of the Hưng Yên task tracking software.

**Authentication.** Every endpoint but this document needs an Odoo API key of the user the
calling system acts as: `Authorization: Bearer <key>`. Keys without scope (made in the user's
Preferences › Account Security) and keys of scope `{API_SCOPE}` are accepted. The user's access
rights and record rules apply exactly as in the user interface: a unit's key sees and updates
only its own unit's tasks.

**Errors.** Every error is a JSON object `{{"error": {{"code", "message", "field"}}}}`; `field`
names the offending value (`tasks[0].deadline`) when there is one. 404 answers alike a record
that does not exist and one the key may not see. Nothing is written by a request that fails.

**Classified directives** (`security_level` other than `normal`, Art. 7.2 of the regulation):
the software holds their metadata only. A request carrying a summary, a task content or a
result for one of them is refused with 422 `classified_content`; answers about their tasks
omit `name`, `result` and `return_reason`.

**Reported is not done.** A result the lead unit reports (`state` `done`) waits for the Office to
confirm it: until then its `progress_status` is `{AWAITING_CONFIRMATION}`, while its
`status_category` (the six categories of the regulation) already says whether it was done on
time. While a task waits for the Office (`with_office`: returned by its unit, a result to
confirm, an extension request to decide; `office_wait` says which), its deadline does not run
against its unit.

**Timestamps** are UTC, ISO 8601 (`2026-06-10T03:00:00Z`); dates are `YYYY-MM-DD`.
Request bodies are limited to 1024 KiB.

**Refusals.** 400 `validation_error`: the request is not what this document allows. 422
`rejected`: it is, but a rule of the software refuses it (a deadline before the issue date,
a note missing on a normal task, a cursor not made by this API). 409 `conflict`: the records'
state does not allow it. A unit's actions (`accept`, `completion`, `return`,
`extension-request`) follow the portal's rules; sending one again once it is done answers
200 with `duplicate: true`.
"""


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def _error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


def _json_response(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _schemas(env):
    date = {"type": "string", "format": "date", "examples": ["2026-06-30"]}
    states = [key for key, _label in env["hy.task"]._fields["state"].selection]
    kinds = [key for key, _label in env["hy.task"]._fields["kind"].selection]
    deadline_rules = [key for key, _label in env["hy.task"]._fields["deadline_rule"].selection]
    deadline_from = [key for key, _label in env["hy.task"]._fields["deadline_from"].selection]
    categories = [key for key, _label in STATUS_CATEGORIES]
    progress_statuses = [key for key, _label in PROGRESS_STATUSES]
    waits = [key for key, _label in OFFICE_WAITS]
    levels = [key for key, _label in SECURITY_LEVELS]
    authorities = [key for key, _label in AUTHORITIES]
    schemas = {obj.name: obj.schema(env) for obj in schema.REQUEST_BODIES}
    return schemas | {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {
                            "type": "string",
                            "enum": [
                                "invalid_json",
                                "validation_error",
                                "unauthorized",
                                "forbidden",
                                "not_found",
                                "method_not_allowed",
                                "conflict",
                                "payload_too_large",
                                "unsupported_media_type",
                                "classified_content",
                                "rejected",
                                "internal_error",
                            ],
                        },
                        "message": {"type": "string"},
                        "field": {"type": "string", "examples": ["tasks[0].deadline"]},
                    },
                }
            },
        },
        "DirectiveResult": {
            "type": "object",
            "required": ["directive", "tasks"],
            "properties": {
                "directive": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "number": {"type": "string"},
                        "external_ref": {"type": "string"},
                        "security_level": {"type": "string", "enum": levels},
                        "created": {"type": "boolean"},
                    },
                },
                "tasks": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "external_ref": {"type": "string"},
                            "reference": {"type": "string", "examples": ["NV-2026-00012"]},
                            "state": {"type": "string", "enum": states},
                            "created": {"type": "boolean"},
                        },
                    },
                },
            },
        },
        "Task": {
            "type": "object",
            "required": [
                "reference",
                "state",
                "status_category",
                "progress_status",
                "with_office",
                "deadline",
                "date_done",
            ],
            "properties": {
                "reference": {"type": "string", "examples": ["NV-2026-00012"]},
                "directive": {
                    "type": "object",
                    "properties": {
                        "number": {"type": "string"},
                        "name": {"type": "string"},
                        "document_type": {
                            "type": "string",
                            "enum": [key for key, _label in DOCUMENT_TYPES],
                        },
                        "authority": {"type": "string", "enum": authorities},
                        "issue_date": date,
                        "security_level": {"type": "string", "enum": levels},
                    },
                },
                "name": _nullable(
                    {"type": "string", "description": "Absent for a classified directive."}
                ),
                "kind": {"type": "string", "enum": kinds},
                "lead_unit_code": _nullable({"type": "string"}),
                "support_unit_codes": {"type": "array", "items": {"type": "string"}},
                "followup_unit_code": _nullable({"type": "string"}),
                "lead_unit_identifier_code": _nullable(
                    {
                        "type": "string",
                        "description": "The lead unit's electronic identifier code (mã định "
                        "danh), null when it has none (since 1.5.0).",
                    }
                ),
                "support_unit_identifier_codes": {
                    "type": "array",
                    "items": _nullable({"type": "string"}),
                    "description": "The coordinating units' identifier codes, in the order "
                    "of `support_unit_codes`; null for a unit that has none (since 1.5.0).",
                },
                "deadline": _nullable(date),
                "deadline_rule": {"type": "string", "enum": deadline_rules},
                "deadline_days": _nullable({"type": "integer", "minimum": 1}),
                "deadline_from": {"type": "string", "enum": deadline_from},
                "original_deadline": _nullable(date),
                "date_assigned": _nullable(date),
                "date_received": _nullable(date),
                "working_days_overdue": {
                    "type": "integer",
                    "description": "Working days past the deadline of an open task.",
                },
                "working_days_left": {
                    "type": "integer",
                    "description": "Working days from tomorrow to the deadline of an open task.",
                },
                "date_done": _nullable(date),
                "progress": {"type": "integer", "minimum": 0, "maximum": 100},
                "state": {"type": "string", "enum": states},
                "status_category": _nullable(
                    {
                        "type": "string",
                        "enum": categories,
                        "description": "The category of the regulation: a reported result "
                        "counts by its date, confirmed or not.",
                    }
                ),
                "progress_status": _nullable(
                    {
                        "type": "string",
                        "enum": progress_statuses,
                        "description": f"The status shown: the category, but "
                        f"`{AWAITING_CONFIRMATION}` for a reported result the Office has not "
                        "confirmed yet. Null for a draft or cancelled task.",
                    }
                ),
                "with_office": {
                    "type": "boolean",
                    "description": "The task waits for the Office: its deadline does not run "
                    "against its unit meanwhile.",
                },
                "office_wait": _nullable(
                    {
                        "type": "string",
                        "enum": waits,
                        "description": "What the Office has to do: decide on the returned "
                        "task, confirm the result, decide on the extension request.",
                    }
                ),
                "office_due": _nullable(
                    date | {"description": "The Office's own time limit for it (working days)."}
                ),
                "timeliness": _nullable(
                    {"type": "string", "enum": ["on_time", "due_soon", "overdue", "no_deadline"]}
                ),
                "result": _nullable(
                    {"type": "string", "description": "Absent for a classified directive."}
                ),
                "return_reason": _nullable(
                    {"type": "string", "description": "Absent for a classified directive."}
                ),
                "quality": _nullable({"type": "string"}),
                "confirmed": {"type": "boolean"},
                "extension_pending": {"type": "boolean"},
                "urge_count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Times the task was urged: urging dispatches, phone calls, "
                    "meetings (since 1.4.0).",
                },
                "last_urge_date": _nullable(
                    date | {"description": "The day it was last urged (since 1.4.0)."}
                ),
                "open_info_request_count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Requests for information on the task its unit has not "
                    "answered yet (since 1.4.0).",
                },
                "active": {"type": "boolean"},
                "write_date": {"type": "string", "format": "date-time"},
                "external_refs": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "system": {"type": "string"},
                            "external_ref": {"type": "string"},
                        },
                    },
                },
            },
        },
        "TaskPage": {
            "type": "object",
            "required": ["items", "next_cursor", "has_more"],
            "properties": {
                "items": {"type": "array", "items": _ref("Task")},
                "next_cursor": _nullable(
                    {
                        "type": "string",
                        "description": "Pass it as `cursor` to get the next page, or later "
                        "to get what changed since this page.",
                    }
                ),
                "has_more": {"type": "boolean"},
            },
        },
        "UpdateResult": {
            "type": "object",
            "required": ["duplicate", "update", "task"],
            "properties": {
                "duplicate": {"type": "boolean"},
                "update": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "progress": {"type": "integer"},
                        "date": {"type": "string", "format": "date-time"},
                    },
                },
                "task": _ref("Task"),
            },
        },
        "UnitActionResult": {
            "type": "object",
            "required": ["duplicate", "task"],
            "properties": {
                "duplicate": {
                    "type": "boolean",
                    "description": "True when the action had already been done: nothing changed.",
                },
                "task": _ref("Task"),
            },
        },
        "StatusChange": {
            "type": "object",
            "required": [
                "change_id",
                "event",
                "changed_at",
                "task_reference",
                "new_state",
                "with_office",
            ],
            "properties": {
                "change_id": {
                    "type": "integer",
                    "description": "The change's entry in the task ledger (since format 1.1).",
                },
                "event": {
                    "type": "string",
                    "enum": [
                        "state",
                        "sent_back",
                        "confirmed",
                        "with_office",
                        "urge",
                        "info_request",
                        "info_answer",
                    ],
                    "description": "What happened (since format 1.2): `state`, a change of "
                    "state; `sent_back`, the Office sent the reported result back (done to "
                    "in progress, unconfirmed); `confirmed`, the Office confirmed the "
                    "result; `with_office`, the Office's turn began or ended; since format "
                    "1.3, `urge`, the task was urged (`urge_channel`, `dispatch_number`); "
                    "`info_request`, the Office asked its unit for information, to answer by "
                    "`info_date`; `info_answer`, the unit answered, on `info_date`. Other "
                    "events than changes of state keep `old_state` equal to `new_state`.",
                },
                "changed_at": {"type": "string", "format": "date-time"},
                "task_reference": {"type": "string"},
                "directive_number": {"type": "string"},
                "directive_authority": {"type": "string", "enum": authorities},
                "security_level": {"type": "string", "enum": levels},
                "lead_unit_code": _nullable({"type": "string"}),
                "old_state": _nullable({"type": "string", "enum": states}),
                "new_state": _nullable({"type": "string", "enum": states}),
                "with_office": {
                    "type": "boolean",
                    "description": "Whether the task waits for the Office right after the "
                    "change (since format 1.2).",
                },
                "office_wait": _nullable(
                    {
                        "type": "string",
                        "enum": waits,
                        "description": "What the Office has to do right after the change, "
                        "null when the task is not with it (since format 1.2).",
                    }
                ),
                "urge_channel": _nullable(
                    {
                        "type": "string",
                        "enum": [key for key, _label in URGE_CHANNELS],
                        "description": "How the task was urged; null for other events (since "
                        "format 1.3).",
                    }
                ),
                "dispatch_number": _nullable(
                    {
                        "type": "string",
                        "examples": ["05/VP-TH"],
                        "description": "Number and notation of the urging dispatch; null for "
                        "other urges and events (since format 1.3).",
                    }
                ),
                "info_date": _nullable(
                    date
                    | {
                        "description": "`info_request`: the day the answer is due; "
                        "`info_answer`: the day the unit answered; null for other events "
                        "(since format 1.3)."
                    }
                ),
                "deadline": _nullable(date),
                "date_done": _nullable(date),
                "status_category": _nullable(
                    {
                        "type": "string",
                        "enum": categories,
                        "description": "The task's category now, not at the change.",
                    }
                ),
                "progress_status": _nullable(
                    {
                        "type": "string",
                        "enum": progress_statuses,
                        "description": "The task's status now, not at the change: "
                        f"`{AWAITING_CONFIRMATION}` until the Office confirms a reported "
                        "result (since format 1.2).",
                    }
                ),
            },
        },
        "StatusChangePage": {
            "type": "object",
            "required": ["format", "items", "next_cursor", "has_more"],
            "properties": {
                "format": {"const": FEED_FORMAT},
                "items": {"type": "array", "items": _ref("StatusChange")},
                "next_cursor": _nullable(
                    {
                        "type": "string",
                        "description": "Pass it as `cursor` to get the next page, or later "
                        "to get the changes recorded since this page.",
                    }
                ),
                "has_more": {"type": "boolean"},
            },
        },
    }


def _query_parameters(env, declaration):
    return [
        {"name": key, "in": "query", "schema": field.schema(env)}
        | ({"description": field.description} if field.description else {})
        for key, field in declaration.fields.items()
    ]


def _body(obj):
    return {"required": True, "content": {"application/json": {"schema": _ref(obj.name)}}}


def _unit_action(operation, summary, description, obj=None):
    action = {
        "operationId": operation,
        "summary": summary,
        "description": description + " Open to members of the lead unit.",
        "parameters": [TASK_PATH],
        "responses": {
            "200": _json_response("Done, or already done", _ref("UnitActionResult")),
            **WRITE_ERRORS,
        },
    }
    if obj:
        action["requestBody"] = _body(obj)
    return {"post": action}


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "403": {"$ref": "#/components/responses/Forbidden"},
}
# What a request that writes may be answered besides success.
WRITE_ERRORS = {
    **ERRORS,
    "404": {"$ref": "#/components/responses/NotFound"},
    "409": {"$ref": "#/components/responses/Conflict"},
    "413": {"$ref": "#/components/responses/TooLarge"},
    "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
    "422": {"$ref": "#/components/responses/Unprocessable"},
}
TASK_PATH = {
    "name": "reference",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The task's reference in the software, e.g. NV-2026-00012.",
}


def _paths(env):
    errors, task_path = ERRORS, TASK_PATH
    not_found = {"$ref": "#/components/responses/NotFound"}
    return {
        "/directives": {
            "post": {
                "operationId": "upsertDirective",
                "summary": "Create or update a directive document and its tasks",
                "description": "Idempotent by (`system`, `external_ref`) of the directive and "
                "of each task: a message sent again updates what it created, never "
                "duplicates it. Tasks left out of a later message are kept. The key's user "
                "must be an Office officer.",
                "requestBody": _body(schema.DIRECTIVE_REQUEST),
                "responses": {
                    "200": _json_response("Updated", _ref("DirectiveResult")),
                    "201": _json_response("Created", _ref("DirectiveResult")),
                    **WRITE_ERRORS,
                },
            }
        },
        "/tasks": {
            "get": {
                "operationId": "listTasks",
                "summary": "Tasks changed since a time, oldest change first",
                "description": "Pages follow (write_date, id): resuming from `next_cursor` "
                "neither repeats nor skips a task.",
                "parameters": _query_parameters(env, schema.TASK_LIST_QUERY),
                "responses": {
                    "200": _json_response("A page", _ref("TaskPage")),
                    **errors,
                    "422": {"$ref": "#/components/responses/Unprocessable"},
                },
            }
        },
        "/tasks/{reference}": {
            "get": {
                "operationId": "getTask",
                "summary": "One task: status, status category, deadline, date done, result",
                "parameters": [task_path],
                "responses": {
                    "200": _json_response("The task", _ref("Task")),
                    **errors,
                    "404": not_found,
                },
            }
        },
        "/tasks/{reference}/updates": {
            "post": {
                "operationId": "postTaskUpdate",
                "summary": "A unit reports progress on its task",
                "description": "Open to members of the lead unit and of the coordinating "
                "units, and to the Office. The lead unit's progress becomes the task's; an "
                "assigned task goes in progress.",
                "parameters": [task_path],
                "requestBody": _body(schema.UPDATE_REQUEST),
                "responses": {
                    "200": _json_response("Already recorded", _ref("UpdateResult")),
                    "201": _json_response("Recorded", _ref("UpdateResult")),
                    **WRITE_ERRORS,
                },
            }
        },
        "/tasks/{reference}/accept": _unit_action(
            "acceptTask",
            "The lead unit accepts an assigned task",
            "The task goes in progress.",
        ),
        "/tasks/{reference}/completion": _unit_action(
            "reportTaskCompletion",
            "The lead unit reports the task done, with its result and date",
            "The Office then evaluates and confirms the result: until it does, the task's "
            f"`progress_status` is `{AWAITING_CONFIRMATION}` and it is with the Office.",
            schema.COMPLETION_REQUEST,
        ),
        "/tasks/{reference}/return": _unit_action(
            "returnTask",
            "The lead unit returns the task to the Office, with its reason",
            "For a task that is not the unit's to do (Art. 6.2.a).",
            schema.RETURN_REQUEST,
        ),
        "/tasks/{reference}/extension-request": _unit_action(
            "requestTaskExtension",
            "The lead unit asks for a later deadline",
            "The Office approves or refuses it; one request waits at a time.",
            schema.EXTENSION_REQUEST,
        ),
        "/status-changes": {
            "get": {
                "operationId": "listStatusChanges",
                "summary": "Changes of status of tasks, for the national system",
                "description": f"Format `{FEED_FORMAT}` (readme/USAGE.md): one item per "
                "change of a task's state, confirmation of a result by the Office, turn "
                "of the Office, urge, request for information and answer recorded in the "
                "task ledger, in the order recorded. A cursor of format 1.1 or 1.2 goes on "
                "as it is; one of format 1 is still accepted: the feed "
                "resumes a minute before the change it named, and answers a cursor of the "
                "new format. Open to the Office and the leadership.",
                "parameters": _query_parameters(env, schema.STATUS_FEED_QUERY),
                "responses": {
                    "200": _json_response("A page", _ref("StatusChangePage")),
                    **errors,
                    "422": {"$ref": "#/components/responses/Unprocessable"},
                },
            }
        },
    }


def openapi_document(env):
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hưng Yên task tracking: integration API",
            "version": API_VERSION,
            "description": DESCRIPTION,
            "license": {"name": "LGPL-3.0", "identifier": "LGPL-3.0-only"},
        },
        "servers": [{"url": "/api/hy/v1"}],
        "security": [{"apiKey": []}],
        "paths": _paths(env),
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An Odoo API key of the calling system's user.",
                }
            },
            "schemas": _schemas(env),
            "responses": {
                "BadRequest": _error_response("Malformed JSON or an invalid value"),
                "Unauthorized": _error_response("No API key, or a wrong, revoked or expired one"),
                "Forbidden": _error_response(
                    "The key's scope or the user's groups do not allow this"
                ),
                "NotFound": _error_response("No such record, or not visible to the key's user"),
                "Conflict": _error_response("The request conflicts with the state of the records"),
                "TooLarge": _error_response("The body is too large"),
                "UnsupportedMediaType": _error_response("The body is not application/json"),
                "Unprocessable": _error_response(
                    "Classified content, or a rule of the software refuses the change"
                ),
            },
        },
    }
