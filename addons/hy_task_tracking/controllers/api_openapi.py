"""The OpenAPI 3.1 document of the integration API, served at /api/hy/v1/openapi.json.

Built from the models' own selections, so that it cannot drift from what the API accepts.
"""

from ..models.hy_api import (
    API_SCOPE,
    API_VERSION,
    LIST_LIMIT_DEFAULT,
    LIST_LIMIT_MAX,
    MAX_BODY_SIZE,
    MAX_SUPPORT_UNITS,
    MAX_TASKS,
    NAME_SIZE,
    REF_SIZE,
    TEXT_SIZE,
)
from ..models.hy_directive import AUTHORITIES, DOCUMENT_TYPES, SECURITY_LEVELS
from ..models.hy_task import STATUS_CATEGORIES

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

**Timestamps** are UTC, ISO 8601 (`2026-06-10T03:00:00Z`); dates are `YYYY-MM-DD`.
Request bodies are limited to {MAX_BODY_SIZE // 1024} KiB.
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
    unit_code = {"type": "string", "maxLength": 64, "examples": ["SNV"]}
    reference = {"type": "string", "maxLength": REF_SIZE, "minLength": 1}
    states = [key for key, _label in env["hy.task"]._fields["state"].selection]
    kinds = [key for key, _label in env["hy.task"]._fields["kind"].selection]
    categories = [key for key, _label in STATUS_CATEGORIES]
    levels = [key for key, _label in SECURITY_LEVELS]
    authorities = [key for key, _label in AUTHORITIES]
    return {
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
        "DirectiveInput": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "number", "issue_date", "signer", "authority"],
            "properties": {
                "name": {
                    "type": "string",
                    "maxLength": NAME_SIZE,
                    "examples": ["Chỉ thị"],
                    "description": "A classified directive is named by its type only "
                    "(e.g. Quyết định); otherwise 422.",
                },
                "document_type": {
                    "type": "string",
                    "enum": [key for key, _label in DOCUMENT_TYPES],
                    "description": "Type of document (Decree 30/2020). Absent: the type its "
                    "name says, else other.",
                },
                "number": {"type": "string", "maxLength": 64, "examples": ["05/CT-UBND"]},
                "issue_date": date,
                "signer": {"type": "string", "maxLength": NAME_SIZE},
                "authority": {"type": "string", "enum": authorities},
                "security_level": {"type": "string", "enum": levels, "default": "normal"},
                "summary": _nullable(
                    {
                        "type": "string",
                        "maxLength": TEXT_SIZE,
                        "description": "Trích yếu. Refused (422) for a classified directive.",
                    }
                ),
                "submitting_unit_code": _nullable(unit_code),
                "followup_unit_code": _nullable(
                    dict(unit_code, description="A follow-up division of the Office.")
                ),
            },
        },
        "TaskInput": {
            "type": "object",
            "additionalProperties": False,
            "required": ["external_ref", "lead_unit_code"],
            "properties": {
                "external_ref": dict(reference, description="The sender's identifier of the task."),
                "name": _nullable(
                    {
                        "type": "string",
                        "maxLength": TEXT_SIZE,
                        "description": "Task content: required for a normal directive, "
                        "refused (422) for a classified one.",
                    }
                ),
                "lead_unit_code": unit_code,
                "support_unit_codes": {
                    "type": "array",
                    "items": unit_code,
                    "maxItems": MAX_SUPPORT_UNITS,
                },
                "deadline": _nullable(
                    dict(date, description="Empty: a task without deadline (Art. 5).")
                ),
                "kind": {"type": "string", "enum": kinds, "default": "other"},
                "followup_unit_code": _nullable(unit_code),
            },
        },
        "DirectiveRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["system", "external_ref", "directive"],
            "properties": {
                "system": {
                    "type": "string",
                    "pattern": "^[a-z0-9][a-z0-9_.-]{0,31}$",
                    "examples": ["vbdh"],
                },
                "external_ref": dict(
                    reference, description="The sender's identifier of the directive."
                ),
                "directive": _ref("DirectiveInput"),
                "tasks": {"type": "array", "items": _ref("TaskInput"), "maxItems": MAX_TASKS},
                "assign": {
                    "type": "boolean",
                    "default": False,
                    "description": "Assign the draft tasks to their lead units at once.",
                },
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
            "required": ["reference", "state", "status_category", "deadline", "date_done"],
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
                "deadline": _nullable(date),
                "original_deadline": _nullable(date),
                "date_assigned": _nullable(date),
                "date_done": _nullable(date),
                "progress": {"type": "integer", "minimum": 0, "maximum": 100},
                "state": {"type": "string", "enum": states},
                "status_category": _nullable({"type": "string", "enum": categories}),
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
        "UpdateRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["progress"],
            "properties": {
                "progress": {"type": "integer", "minimum": 0, "maximum": 100},
                "note": _nullable(
                    {
                        "type": "string",
                        "maxLength": TEXT_SIZE,
                        "description": "Required for a normal task; refused (422) for a "
                        "classified one.",
                    }
                ),
                "external_ref": dict(
                    reference,
                    description="The sender's identifier of the update: an update sent "
                    "again with the same one is recorded once.",
                ),
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
        "StatusChange": {
            "type": "object",
            "required": ["change_id", "changed_at", "task_reference", "new_state"],
            "properties": {
                "change_id": {"type": "integer"},
                "changed_at": {"type": "string", "format": "date-time"},
                "task_reference": {"type": "string"},
                "directive_number": {"type": "string"},
                "directive_authority": {"type": "string", "enum": authorities},
                "security_level": {"type": "string", "enum": levels},
                "lead_unit_code": _nullable({"type": "string"}),
                "old_state": _nullable({"type": "string", "enum": states}),
                "new_state": _nullable({"type": "string", "enum": states}),
                "deadline": _nullable(date),
                "date_done": _nullable(date),
                "status_category": _nullable(
                    {
                        "type": "string",
                        "enum": categories,
                        "description": "The task's category now, not at the change.",
                    }
                ),
            },
        },
        "StatusChangePage": {
            "type": "object",
            "required": ["format", "items", "next_cursor", "has_more"],
            "properties": {
                "format": {"const": "hy.status-changes/1"},
                "items": {"type": "array", "items": _ref("StatusChange")},
                "next_cursor": _nullable({"type": "string"}),
                "has_more": {"type": "boolean"},
            },
        },
    }


def _paging_parameters():
    return [
        {
            "name": "limit",
            "in": "query",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": LIST_LIMIT_MAX,
                "default": LIST_LIMIT_DEFAULT,
            },
        },
        {
            "name": "cursor",
            "in": "query",
            "description": "`next_cursor` of the previous page. Wins over the time filter.",
            "schema": {"type": "string"},
        },
    ]


def _paths():
    errors = {
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
    }
    task_path = {
        "name": "reference",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "The task's reference in the software, e.g. NV-2026-00012.",
    }
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
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("DirectiveRequest")}},
                },
                "responses": {
                    "200": _json_response("Updated", _ref("DirectiveResult")),
                    "201": _json_response("Created", _ref("DirectiveResult")),
                    **errors,
                    "404": not_found,
                    "409": {"$ref": "#/components/responses/Conflict"},
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                    "422": {"$ref": "#/components/responses/Unprocessable"},
                },
            }
        },
        "/tasks": {
            "get": {
                "operationId": "listTasks",
                "summary": "Tasks changed since a time, oldest change first",
                "description": "Pages follow (write_date, id): resuming from `next_cursor` "
                "neither repeats nor skips a task.",
                "parameters": [
                    {
                        "name": "changed_since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date-time"},
                    },
                    *_paging_parameters(),
                ],
                "responses": {"200": _json_response("A page", _ref("TaskPage")), **errors},
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
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("UpdateRequest")}},
                },
                "responses": {
                    "200": _json_response("Already recorded", _ref("UpdateResult")),
                    "201": _json_response("Recorded", _ref("UpdateResult")),
                    **errors,
                    "404": not_found,
                    "409": {"$ref": "#/components/responses/Conflict"},
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                    "422": {"$ref": "#/components/responses/Unprocessable"},
                },
            }
        },
        "/status-changes": {
            "get": {
                "operationId": "listStatusChanges",
                "summary": "Changes of state of tasks, for the national system",
                "description": "Format `hy.status-changes/1` (readme/USAGE.md): one item per "
                "change of a task's state recorded in its history, in the order recorded. "
                "Open to the Office and the leadership.",
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date-time"},
                    },
                    *_paging_parameters(),
                ],
                "responses": {
                    "200": _json_response("A page", _ref("StatusChangePage")),
                    **errors,
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
        "paths": _paths(),
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
