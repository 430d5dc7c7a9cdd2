"""One declaration of the data the integration API exchanges.

Each field is declared once, with its type, whether it is required, its length, its pattern
and its choices (read from the models' selections). The same declaration

* checks the JSON of a request (controllers/api.py), value by value, naming the offending one;
* writes the OpenAPI document (controllers/api_openapi.py), so what it allows is what the
  server accepts and what it forbids is refused;
* checks the cells of the XLSX import (wizard/hy_directive_import.py), after the wizard has
  turned a cell into the value the API would receive.

A value the document forbids raises :class:`FieldError` of kind ``invalid`` (HTTP 400); a
well-formed value a rule of the software refuses raises one of kind ``rejected`` (422), and
content refused for a classified directive one of kind ``classified`` (422).
"""

import re
from datetime import date, datetime, timezone

# Control characters (but tab and line breaks) cannot be stored. Lone surrogates cannot
# either: JSON Schema's regexes cannot name them (they are not characters), so they are
# refused apart (``SURROGATES``), as invalid Unicode text.
_FORBIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
SURROGATES = re.compile("[\ud800-\udfff]")
_CHAR = rf"[^{_FORBIDDEN}]"
_VISIBLE = rf"[^\s{_FORBIDDEN}]"
_BLANK = rf"[^\S{_FORBIDDEN}]"
# Patterns shared by Python's re and the ECMA regexes of JSON Schema; each one is matched
# left to right without backtracking, so a long value costs linear time.
TEXT_PATTERN = rf"^{_CHAR}*$"
REQUIRED_TEXT_PATTERN = rf"^{_BLANK}*{_VISIBLE}{_CHAR}*$"
REF_PATTERN = rf"^{_VISIBLE}(?:[^\t-\r\x1c-\x1f\x85\u2028\u2029{_FORBIDDEN}]*{_VISIBLE})?$"
SYSTEM_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,31}$"
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"
DATE_PATTERN = r"^(?:19|2\d)\d\d-\d\d-\d\d$"
DATETIME_PATTERN = (
    r"^(?:19|2\d)\d\d-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:[Zz]|[+-]\d\d:\d\d)$"
)
DIGITS = re.compile(r"\d{1,9}")

NAME_SIZE = 256
TEXT_SIZE = 10000
REF_SIZE = 128
CODE_SIZE = 64


class FieldError(ValueError):
    """A value refused: ``field`` is its path in the request (``tasks[0].deadline``)."""

    def __init__(self, field, message, kind="invalid"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.kind = kind


def join_path(path, key):
    """``tasks[0]`` + ``deadline`` -> ``tasks[0].deadline``."""
    return f"{path}.{key}" if path else key


class ParseContext:
    """What parsing needs besides the value: the environment (translations, selections)
    and the units by code and identifier code, read once per request or import."""

    def __init__(self, env, units=None):
        self.env = env
        self._units = units

    @property
    def units(self):
        if self._units is None:
            self._units = self.env["hy.unit"]._hy_unit_keys()
        return self._units


class Field:
    """A value of a request. ``parse`` returns what the models store, or raises FieldError."""

    json_type = "string"

    def __init__(self, required=False, nullable=None, description=None, example=None):
        self.required = required
        # Optional values may be sent as null (or left out) unless said otherwise.
        self.nullable = not required if nullable is None else nullable
        self.description = description
        self.example = example

    def schema(self, env):
        schema = {"type": self.json_type, **self._schema(env)}
        if self.description:
            schema["description"] = self.description
        if self.example is not None:
            schema["examples"] = [self.example]
        return {"anyOf": [schema, {"type": "null"}]} if self.nullable else schema

    def _schema(self, env):
        return {}

    def absent(self, path, ctx):
        """The value of a field left out of the request."""
        if self.required:
            raise FieldError(path, ctx.env._("This field is required."))
        return self.default_value(ctx)

    def parse(self, value, path, ctx):
        if value is None:
            if self.nullable:
                return self.default_value(ctx)
            if self.required:
                raise FieldError(path, ctx.env._("This field is required."))
            raise FieldError(path, ctx.env._("Must not be null."))
        return self._parse(value, path, ctx)

    def default_value(self, ctx):
        return False

    def _parse(self, value, path, ctx):
        raise NotImplementedError


class Text(Field):
    """Free text, stored without the blanks at either end."""

    def __init__(self, max_length=NAME_SIZE, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.pattern = REQUIRED_TEXT_PATTERN if self.required else TEXT_PATTERN
        self._regex = re.compile(self.pattern[1:-1])

    def _schema(self, env):
        schema = {"maxLength": self.max_length, "pattern": self.pattern}
        if self.required:
            schema["minLength"] = 1
        return schema

    def _parse(self, value, path, ctx):
        _ = ctx.env._
        if not isinstance(value, str):
            raise FieldError(path, _("Must be a string."))
        if len(value) > self.max_length:
            raise FieldError(
                path, _("Must be at most %(size)s characters long.", size=self.max_length)
            )
        if not self._regex.fullmatch(value) or SURROGATES.search(value):
            if not value.strip() and self.required:
                raise FieldError(path, _("This field is required."))
            raise FieldError(path, _("Contains characters that are not allowed."))
        return value.strip() or False


class Ref(Text):
    """An identifier given by the calling system: printable, no blanks at either end."""

    def __init__(self, pattern=REF_PATTERN, max_length=REF_SIZE, required=True, **kwargs):
        super().__init__(max_length=max_length, required=required, nullable=False, **kwargs)
        self.pattern = pattern
        self._regex = re.compile(pattern[1:-1])

    def default_value(self, ctx):
        return None

    def _parse(self, value, path, ctx):
        value = super()._parse(value, path, ctx) if isinstance(value, str) else value
        if not isinstance(value, str):
            raise FieldError(path, ctx.env._("Must be a string."))
        return value

    def _schema(self, env):
        return {"minLength": 1, "maxLength": self.max_length, "pattern": self.pattern}


class System(Ref):
    def __init__(self, **kwargs):
        super().__init__(pattern=SYSTEM_PATTERN, max_length=32, **kwargs)

    def _parse(self, value, path, ctx):
        if not isinstance(value, str) or not self._regex.fullmatch(value):
            raise FieldError(
                path,
                ctx.env._("Must be a short code of lowercase letters, digits, “.”, “_” or “-”."),
            )
        return value


class Cursor(Ref):
    """A page's ``next_cursor``, sent back as it was received."""

    def __init__(self, **kwargs):
        super().__init__(pattern=CURSOR_PATTERN, max_length=200, required=False, **kwargs)

    def _parse(self, value, path, ctx):
        if not isinstance(value, str) or not self._regex.fullmatch(value):
            raise FieldError(path, ctx.env._("This cursor was not made by this API."))
        return value


class Date(Field):
    def _schema(self, env):
        return {"format": "date", "pattern": DATE_PATTERN}

    def _parse(self, value, path, ctx):
        _ = ctx.env._
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            raise FieldError(path, _("Must be a date written YYYY-MM-DD."))
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise FieldError(path, _("This date does not exist.")) from None
        if not 1900 <= parsed.year <= 2999:
            raise FieldError(path, _("The year must be between 1900 and 2999."))
        return parsed


class Timestamp(Field):
    """An RFC 3339 date-time, returned as a naive UTC datetime."""

    def __init__(self, **kwargs):
        super().__init__(nullable=False, **kwargs)
        self._regex = re.compile(DATETIME_PATTERN[1:-1])

    def default_value(self, ctx):
        return None

    def _schema(self, env):
        return {"format": "date-time", "pattern": DATETIME_PATTERN}

    def _parse(self, value, path, ctx):
        _ = ctx.env._
        if not isinstance(value, str) or not self._regex.fullmatch(value):
            raise FieldError(path, _("Must be an ISO 8601 timestamp, e.g. 2026-06-10T08:00:00Z."))
        try:
            parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        except ValueError:
            raise FieldError(path, _("This timestamp does not exist.")) from None
        return parsed.astimezone(timezone.utc).replace(tzinfo=None)


class Integer(Field):
    json_type = "integer"

    def __init__(self, minimum, maximum, default=None, query=False, **kwargs):
        super().__init__(nullable=False, **kwargs)
        self.minimum, self.maximum, self.default = minimum, maximum, default
        self.query = query  # a query string's text, not a JSON number

    def _schema(self, env):
        schema = {"minimum": self.minimum, "maximum": self.maximum}
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def default_value(self, ctx):
        return self.default

    def _parse(self, value, path, ctx):
        if self.query and isinstance(value, str) and DIGITS.fullmatch(value):
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON Schema counts 28.0 as an integer
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not self.minimum <= value <= self.maximum
        ):
            raise FieldError(
                path,
                ctx.env._(
                    "Must be a whole number from %(low)s to %(high)s.",
                    low=self.minimum,
                    high=self.maximum,
                ),
            )
        return value


class Boolean(Field):
    json_type = "boolean"

    def __init__(self, default=False, **kwargs):
        super().__init__(nullable=False, **kwargs)
        self.default = default

    def _schema(self, env):
        return {"default": self.default}

    def default_value(self, ctx):
        return self.default

    def _parse(self, value, path, ctx):
        if not isinstance(value, bool):
            raise FieldError(path, ctx.env._("Must be true or false."))
        return value


class Choice(Field):
    """One key of a model's selection field."""

    def __init__(self, model, field, default=None, **kwargs):
        super().__init__(nullable=False, required=default is None, **kwargs)
        self.model, self.field, self.default = model, field, default

    def keys(self, env):
        return [key for key, _label in env[self.model]._fields[self.field].selection]

    def _schema(self, env):
        schema = {"enum": self.keys(env)}
        if self.default:
            schema["default"] = self.default
        return schema

    def default_value(self, ctx):
        return self.default or False

    def _parse(self, value, path, ctx):
        keys = self.keys(ctx.env)
        if not isinstance(value, str) or value not in keys:
            raise FieldError(path, ctx.env._("Must be one of: %(values)s.", values=", ".join(keys)))
        return value


class Unit(Field):
    """The code or identifier code of an active unit: an executing unit, or a follow-up
    division of the Office."""

    def __init__(self, division=False, **kwargs):
        super().__init__(**kwargs)
        self.division = division

    def codes(self, env):
        # sudo: unit codes are public (the import template and the public page list them);
        # the document is served to callers without a key.
        units = env["hy.unit"].sudo().search([])  # sudo: see the comment above
        return [
            code
            for unit in units
            if (unit.unit_type == "office_division") == self.division
            for code in (unit.code, unit.identifier_code)
            if code
        ]

    def _schema(self, env):
        return {
            "enum": self.codes(env),
            "examples": self.codes(env)[:1],
            "description": "A unit's code, or its electronic identifier code (mã định danh, "
            "since 1.5.0).",
        }

    def default_value(self, ctx):
        return ctx.env["hy.unit"]

    def _parse(self, value, path, ctx):
        _ = ctx.env._
        if not isinstance(value, str):
            raise FieldError(path, _("Must be a string."))
        unit = ctx.units.get(value.strip())
        if not unit:
            raise FieldError(path, _("Unknown unit code “%s”.", value))
        if self.division != (unit.unit_type == "office_division"):
            raise FieldError(
                path,
                _("Unit %s is not a follow-up division of the Office.", value)
                if self.division
                else _("Unit %s is a division of the Office: it cannot execute tasks.", value),
            )
        return unit


class UnitList(Field):
    json_type = "array"

    def __init__(self, max_items=50, **kwargs):
        super().__init__(nullable=False, **kwargs)
        self.max_items = max_items
        self.item = Unit(required=True)

    def _schema(self, env):
        return {"items": self.item.schema(env), "maxItems": self.max_items}

    def default_value(self, ctx):
        return ctx.env["hy.unit"]

    def _parse(self, value, path, ctx):
        if not isinstance(value, list) or len(value) > self.max_items:
            raise FieldError(
                path,
                ctx.env._("Must be a list of at most %s unit codes.", self.max_items),
            )
        units = ctx.env["hy.unit"]
        for index, code in enumerate(value):
            units |= self.item.parse(code, f"{path}[{index}]", ctx)
        return units


class Object:
    """A JSON object of declared fields: a component of the document."""

    def __init__(self, name, fields, description=None):
        self.name = name
        self.fields = fields
        self.description = description

    def __getitem__(self, key):
        return self.fields[key]

    def schema(self, env):
        schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {key: field.schema(env) for key, field in self.fields.items()},
        }
        required = [key for key, field in self.fields.items() if field.required]
        if required:
            schema["required"] = required
        if self.description:
            schema["description"] = self.description
        return schema

    def parse(self, value, path, ctx):
        """The values of every declared field (absent ones as empty), checked in order."""
        _ = ctx.env._
        if not isinstance(value, dict):
            raise FieldError(path or None, _("Must be a JSON object."))
        for key in value:
            if key not in self.fields:
                raise FieldError(join_path(path, key), _("Unknown field."))
        return {
            key: field.parse(value[key], join_path(path, key), ctx)
            if key in value
            else field.absent(join_path(path, key), ctx)
            for key, field in self.fields.items()
        }


class Nested(Field):
    """An object inside another."""

    json_type = "object"

    def __init__(self, obj, **kwargs):
        super().__init__(nullable=False, **kwargs)
        self.obj = obj

    def schema(self, env):
        return {"$ref": f"#/components/schemas/{self.obj.name}"}

    def _parse(self, value, path, ctx):
        return self.obj.parse(value, path, ctx)


class List(Field):
    json_type = "array"

    def __init__(self, obj, max_items, **kwargs):
        super().__init__(nullable=False, **kwargs)
        self.obj, self.max_items = obj, max_items

    def _schema(self, env):
        return {
            "items": {"$ref": f"#/components/schemas/{self.obj.name}"},
            "maxItems": self.max_items,
        }

    def default_value(self, ctx):
        return []

    def _parse(self, value, path, ctx):
        if not isinstance(value, list) or len(value) > self.max_items:
            raise FieldError(path, ctx.env._("Must be a list of at most %s tasks.", self.max_items))
        return [self.obj.parse(item, f"{path}[{index}]", ctx) for index, item in enumerate(value)]


# ---------------------------------------------------------------------- the API's requests

MAX_TASKS = 500
LIST_LIMIT_DEFAULT = 50
LIST_LIMIT_MAX = 200

DIRECTIVE = Object(
    "DirectiveInput",
    {
        "name": Text(
            required=True,
            example="Chỉ thị",
            description="A classified directive is named by its type only (e.g. Quyết "
            "định); otherwise 422.",
        ),
        "document_type": Choice(
            "hy.directive",
            "document_type",
            default="",
            description="Type of document (Decree 30/2020). Absent: the type its name says, "
            "else other.",
        ),
        "number": Text(required=True, max_length=CODE_SIZE, example="05/CT-UBND"),
        "issue_date": Date(required=True, example="2026-06-01"),
        "signer": Text(required=True, example="Trần Quốc Văn"),
        "authority": Choice("hy.directive", "authority"),
        "security_level": Choice("hy.directive", "security_level", default="normal"),
        "summary": Text(
            max_length=TEXT_SIZE,
            description="Trích yếu. Refused (422) for a classified directive.",
        ),
        "submitting_unit_code": Unit(),
        "followup_unit_code": Unit(
            division=True, description="A follow-up division of the Office."
        ),
    },
)

TASK = Object(
    "TaskInput",
    {
        "external_ref": Ref(description="The sender's identifier of the task."),
        "name": Text(
            max_length=TEXT_SIZE,
            description="Task content: required for a normal directive (otherwise 422), "
            "refused (422) for a classified one.",
        ),
        "lead_unit_code": Unit(required=True),
        "support_unit_codes": UnitList(),
        "deadline": Date(
            description="Empty: a task without deadline (Art. 5), or a deadline in days "
            "(`deadline_rule`)."
        ),
        "deadline_rule": Choice(
            "hy.task",
            "deadline_rule",
            default="date",
            description="How the directive sets the deadline: `date` (the `deadline` sent), "
            "`working_days` or `calendar_days` (`deadline_days` counted from the assignment "
            "or receipt, in the Office's working calendar; the software computes the date).",
        ),
        "deadline_days": Integer(
            1,
            3650,
            description="Number of (working) days of a deadline in days; required with such a "
            "rule (otherwise 422), refused with `date` (422).",
        ),
        "deadline_from": Choice(
            "hy.task",
            "deadline_from",
            default="assigned",
            description="What a deadline in days counts from: the assignment or the unit's "
            "receipt of the document.",
        ),
        "kind": Choice("hy.task", "kind", default="other"),
        "followup_unit_code": Unit(division=True),
    },
)

DIRECTIVE_REQUEST = Object(
    "DirectiveRequest",
    {
        "system": System(example="vbdh", description="The sending system's short code."),
        "external_ref": Ref(description="The sender's identifier of the directive."),
        "directive": Nested(DIRECTIVE, required=True),
        "tasks": List(TASK, MAX_TASKS),
        "assign": Boolean(description="Assign the draft tasks to their lead units at once."),
    },
)

_IDEMPOTENCY = (
    "The sender's identifier of the update: an update sent again with the same one is "
    "recorded once."
)

UPDATE_REQUEST = Object(
    "UpdateRequest",
    {
        "progress": Integer(0, 100, required=True),
        "note": Text(
            max_length=TEXT_SIZE,
            description="Required for a normal task (otherwise 422); refused (422) for a "
            "classified one.",
        ),
        "external_ref": Ref(required=False, description=_IDEMPOTENCY),
    },
)

COMPLETION_REQUEST = Object(
    "CompletionRequest",
    {
        "date_done": Date(
            required=True,
            description="Not in the future, not before the task was assigned (otherwise 422).",
        ),
        "result": Text(
            max_length=TEXT_SIZE,
            description="The result: required for a normal task (otherwise 422), refused "
            "(422) for a classified one.",
        ),
    },
    description="The lead unit reports the task done; the Office evaluates and confirms it.",
)

RETURN_REQUEST = Object(
    "ReturnRequest",
    {
        "reason": Text(
            max_length=TEXT_SIZE,
            description="Why the task is not the unit's: required for a normal task "
            "(otherwise 422), refused (422) for a classified one.",
        ),
    },
    description="The lead unit returns an assigned task to the Office (Art. 3.5).",
)

EXTENSION_REQUEST = Object(
    "ExtensionRequest",
    {
        "new_deadline": Date(
            required=True,
            description="After the current deadline and after today (otherwise 422).",
        ),
        "reason": Text(
            max_length=TEXT_SIZE,
            description="Required for a normal task (otherwise 422), refused (422) for a "
            "classified one.",
        ),
    },
    description="The lead unit asks the Office for a later deadline.",
)

TASK_LIST_QUERY = Object(
    "TaskListQuery",
    {
        "changed_since": Timestamp(),
        "limit": Integer(1, LIST_LIMIT_MAX, default=LIST_LIMIT_DEFAULT, query=True),
        "cursor": Cursor(
            description="`next_cursor` of the previous page. Wins over the time filter."
        ),
    },
)

STATUS_FEED_QUERY = Object(
    "StatusFeedQuery",
    {
        "since": Timestamp(),
        "limit": Integer(1, LIST_LIMIT_MAX, default=LIST_LIMIT_DEFAULT, query=True),
        "cursor": Cursor(
            description="`next_cursor` of the previous page (of format 1.1, or of format 1: "
            "then translated, see the readme)."
        ),
    },
)

REQUEST_BODIES = (
    DIRECTIVE_REQUEST,
    DIRECTIVE,
    TASK,
    UPDATE_REQUEST,
    COMPLETION_REQUEST,
    RETURN_REQUEST,
    EXTENSION_REQUEST,
)
