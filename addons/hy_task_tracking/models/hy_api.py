"""Integration API ("liên thông"): what the routes of controllers/api.py do.

Everything here runs as the user of the API key, so the same access rights and record rules
apply as in the user interface. Every method validates the whole request before it writes
anything; a request that fails is answered with an :class:`HyApiError` and the HTTP layer
rolls the transaction back.
"""

import base64
import binascii
import re
import unicodedata
from datetime import date, datetime, timezone

from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .hy_directive import AUTHORITIES, DOCUMENT_TYPES, SECURITY_LEVELS

API_VERSION = "1.0.0"
# A dedicated scope for keys made for the API; keys without scope (made in the user's
# preferences) are accepted too, as Odoo's own RPC does.
API_SCOPE = "hy_api"
MAX_BODY_SIZE = 1024 * 1024
MAX_TASKS = 500
MAX_SUPPORT_UNITS = 50
LIST_LIMIT_DEFAULT = 50
LIST_LIMIT_MAX = 200
NAME_SIZE = 256
TEXT_SIZE = 10000
REF_SIZE = 128
SYSTEM_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]{0,31}")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
DIGITS_PATTERN = re.compile(r"\d{1,9}")
TIMESTAMP_PATTERN = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?"
)
DIRECTIVE_KEYS = {
    "name",
    "document_type",
    "number",
    "issue_date",
    "signer",
    "summary",
    "authority",
    "security_level",
    "submitting_unit_code",
    "followup_unit_code",
}
REQUEST_KEYS = {"system", "external_ref", "directive", "tasks", "assign"}
TASK_KEYS = {
    "external_ref",
    "name",
    "lead_unit_code",
    "support_unit_codes",
    "deadline",
    "kind",
    "followup_unit_code",
}
# Who may use which part of the API, besides portal users who are members of a unit.
READ_GROUPS = ("group_unit_user", "group_leadership", "group_office_officer")
UPDATE_GROUPS = ("group_unit_user", "group_office_officer")
FEED_GROUPS = ("group_leadership", "group_office_officer")


class HyApiError(Exception):
    """An answer of the API other than success: HTTP status, error code, field, message."""

    def __init__(self, status, code, message, field=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def to_dict(self):
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


def join_path(path, key):
    """``tasks[0]`` + ``deadline`` -> ``tasks[0].deadline``."""
    return f"{path}.{key}" if path else key


def utc_iso(value):
    """A naive UTC datetime as ISO 8601 with a Z, to the second."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def iso_date(value):
    return value.isoformat() if value else None


def encode_cursor(*parts):
    raw = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value, size):
    """The parts of a cursor made by :func:`encode_cursor`, or None if it is not one."""
    if not isinstance(value, str) or not 0 < len(value) <= 200 or not value.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = raw.split("|")
    return parts if len(parts) == size else None


class HyApi(models.AbstractModel):
    """Services of the integration API, called by controllers/api.py as the key's user."""

    _name = "hy.api"
    _description = "Integration API"

    # ------------------------------------------------------------------ errors and access

    @api.model
    def _api_invalid(self, field, message):
        return HyApiError(400, "validation_error", message, field)

    @api.model
    def _api_not_found(self, field=None):
        return HyApiError(
            404, "not_found", _("No such record, or you are not allowed to see it."), field
        )

    @api.model
    def _api_classified(self, field):
        return HyApiError(
            422,
            "classified_content",
            _(
                "The directive is classified: the software must not hold this content "
                "(Art. 7.2). Send it through the classified channel, and send this request "
                "again without it."
            ),
            field,
        )

    @api.model
    def _api_unit_ids(self):
        # sudo: membership of the key's own user, which portal users cannot read themselves.
        return self.env.user.sudo().hy_unit_ids.ids

    @api.model
    def _api_check_groups(self, groups, allow_unit_members=True):
        """403 unless the user is in one of ``groups`` (or a portal member of a unit)."""
        user = self.env.user
        if any(user.has_group(f"hy_task_tracking.{group}") for group in groups):
            return
        if allow_unit_members and user._is_portal() and self._api_unit_ids():
            return
        raise HyApiError(
            403, "forbidden", _("Your user is not allowed to use this part of the API.")
        )

    # ------------------------------------------------------------------ value checks

    @api.model
    def _api_check_keys(self, obj, path, allowed):
        if not isinstance(obj, dict):
            raise self._api_invalid(path or None, _("Must be a JSON object."))
        for key in obj:
            if key not in allowed:
                raise self._api_invalid(join_path(path, key), _("Unknown field."))

    @api.model
    def _api_clean_text(self, value, field, max_size):
        if not isinstance(value, str):
            raise self._api_invalid(field, _("Must be a string."))
        value = value.strip()
        if len(value) > max_size:
            raise self._api_invalid(
                field, _("Must be at most %(size)s characters long.", size=max_size)
            )
        for char in value:
            # NUL and other control characters, and lone surrogates, cannot be stored.
            if char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cs"):
                raise self._api_invalid(field, _("Contains characters that are not allowed."))
        return value

    @api.model
    def _api_text(self, obj, key, path, required=False, max_size=NAME_SIZE):
        field = join_path(path, key)
        value = obj.get(key)
        if value is not None:
            value = self._api_clean_text(value, field, max_size)
        if not value:
            if required:
                raise self._api_invalid(field, _("This field is required."))
            return False
        return value

    @api.model
    def _api_ref(self, obj, key, path):
        """An identifier: printable, without spaces at either end."""
        value = self._api_text(obj, key, path, required=True, max_size=REF_SIZE)
        if not value.isprintable():
            raise self._api_invalid(join_path(path, key), _("Must be printable text."))
        return value

    @api.model
    def _api_parse_date(self, value, field):
        if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
            raise self._api_invalid(field, _("Must be a date written YYYY-MM-DD."))
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise self._api_invalid(field, _("This date does not exist.")) from None
        if not 1900 <= parsed.year <= 2999:
            raise self._api_invalid(field, _("The year must be between 1900 and 2999."))
        return parsed

    @api.model
    def _api_date(self, obj, key, path, required=False):
        value = obj.get(key)
        if value is None or value == "":
            if required:
                raise self._api_invalid(join_path(path, key), _("This field is required."))
            return False
        return self._api_parse_date(value, join_path(path, key))

    @api.model
    def _api_choice(self, obj, key, path, choices, default=None):
        value = obj.get(key)
        if value is None:
            if default is None:
                raise self._api_invalid(join_path(path, key), _("This field is required."))
            return default
        if not isinstance(value, str) or value not in choices:
            raise self._api_invalid(
                join_path(path, key), _("Must be one of: %(values)s.", values=", ".join(choices))
            )
        return value

    @api.model
    def _api_unit(self, code, field, division=False):
        """The active unit of ``code``: a follow-up division of the Office or an executing unit."""
        code = self._api_clean_text(code, field, 64)
        unit = self.env["hy.unit"].search([("code", "=", code)], limit=1) if code else None
        if not unit:
            raise self._api_invalid(field, _("Unknown unit code “%s”.", code))
        if division != (unit.unit_type == "office_division"):
            raise self._api_invalid(
                field,
                _("Unit %s is not a follow-up division of the Office.", code)
                if division
                else _("Unit %s is a division of the Office: it cannot execute tasks.", code),
            )
        return unit

    @api.model
    def _api_optional_unit(self, obj, key, path, division=False):
        if obj.get(key) in (None, ""):
            return self.env["hy.unit"]
        return self._api_unit(obj[key], join_path(path, key), division=division)

    @api.model
    def _api_int(self, params, key, default, low, high, text=True):
        """An integer from a query string (``text``) or from a JSON body (a number)."""
        value = params.get(key)
        field = key
        if value is None or value == "":
            if default is None:
                raise self._api_invalid(field, _("This field is required."))
            return default
        if text and isinstance(value, str) and DIGITS_PATTERN.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._api_invalid(
                field, _("Must be a whole number from %(low)s to %(high)s.", low=low, high=high)
            )
        return value

    @api.model
    def _api_timestamp(self, value, field):
        """A naive UTC datetime from ISO 8601 text; no offset means UTC."""
        if not isinstance(value, str) or not TIMESTAMP_PATTERN.fullmatch(value):
            raise self._api_invalid(
                field, _("Must be an ISO 8601 timestamp, e.g. 2026-06-10T08:00:00Z.")
            )
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self._api_invalid(field, _("This timestamp does not exist.")) from None
        if parsed.tzinfo:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        if not 1900 <= parsed.year <= 2999:
            raise self._api_invalid(field, _("The year must be between 1900 and 2999."))
        return parsed

    # ------------------------------------------------------------------ external references

    @api.model
    def _api_find_ref(self, system, model, external_ref, field):
        """The record of ``model`` that ``system`` calls ``external_ref``, as the user sees it.

        An empty recordset when the reference is new or its record was deleted since; 404 when
        the record exists but the user may not read it.
        """
        link = self.env["hy.external.reference"].search(
            [
                ("system", "=", system),
                ("res_model", "=", model),
                ("external_ref", "=", external_ref),
            ],
            limit=1,
        )
        record = self.env[model].with_context(active_test=False).browse(link.res_id).exists()
        if record:
            try:
                record.check_access("read")
            except AccessError:
                raise self._api_not_found(field) from None
        return record, link

    @api.model
    def _api_link(self, system, record, external_ref, link):
        if link:
            if link.res_id != record.id:
                link.res_id = record.id
            return link
        return self.env["hy.external.reference"].create(
            {
                "system": system,
                "res_model": record._name,
                "res_id": record.id,
                "external_ref": external_ref,
            }
        )

    # ------------------------------------------------------------------ POST /directives

    @api.model
    def _api_directive_values(self, data):
        path = "directive"
        if data is None:
            raise self._api_invalid(path, _("This field is required."))
        self._api_check_keys(data, path, DIRECTIVE_KEYS)
        level = self._api_choice(
            data, "security_level", path, [key for key, _label in SECURITY_LEVELS], "normal"
        )
        if level != "normal" and data.get("summary") not in (None, ""):
            raise self._api_classified("directive.summary")
        vals = {
            "name": self._api_text(data, "name", path, required=True),
            "document_type": self._api_choice(
                data, "document_type", path, [key for key, _label in DOCUMENT_TYPES], False
            ),
            "number": self._api_text(data, "number", path, required=True, max_size=64),
            "issue_date": self._api_date(data, "issue_date", path, required=True),
            "signer": self._api_text(data, "signer", path, required=True),
            "authority": self._api_choice(
                data, "authority", path, [key for key, _label in AUTHORITIES]
            ),
            "security_level": level,
            "summary": self._api_text(data, "summary", path, max_size=TEXT_SIZE),
            "submitting_unit_id": self._api_optional_unit(data, "submitting_unit_code", path).id,
            "followup_unit_id": self._api_optional_unit(
                data, "followup_unit_code", path, division=True
            ).id,
        }
        if not vals["document_type"]:
            del vals["document_type"]  # the type then follows from the name
        return vals

    @api.model
    def _api_support_units(self, data, path, lead):
        field = join_path(path, "support_unit_codes")
        codes = data.get("support_unit_codes")
        if codes is None:
            return self.env["hy.unit"]
        if not isinstance(codes, list) or len(codes) > MAX_SUPPORT_UNITS:
            raise self._api_invalid(
                field, _("Must be a list of at most %s unit codes.", MAX_SUPPORT_UNITS)
            )
        units = self.env["hy.unit"]
        for index, code in enumerate(codes):
            units |= self._api_unit(code, f"{field}[{index}]")
        if lead in units:
            raise self._api_invalid(field, _("The lead unit cannot also be a coordinating unit."))
        return units

    @api.model
    def _api_task_values(self, data, path, directive_vals):
        classified = directive_vals["security_level"] != "normal"
        if classified and isinstance(data, dict):
            for key in ("name", "result"):
                if data.get(key) not in (None, ""):
                    raise self._api_classified(join_path(path, key))
        self._api_check_keys(data, path, TASK_KEYS)
        external_ref = self._api_ref(data, "external_ref", path)
        name = self._api_text(data, "name", path, required=not classified, max_size=TEXT_SIZE)
        if data.get("lead_unit_code") in (None, ""):
            raise self._api_invalid(join_path(path, "lead_unit_code"), _("This field is required."))
        lead = self._api_unit(data["lead_unit_code"], join_path(path, "lead_unit_code"))
        deadline = self._api_date(data, "deadline", path)
        if deadline and deadline < directive_vals["issue_date"]:
            raise self._api_invalid(
                join_path(path, "deadline"),
                _(
                    "The deadline cannot be before the issue date of the directive (%s).",
                    directive_vals["issue_date"].isoformat(),
                ),
            )
        followup = self._api_optional_unit(data, "followup_unit_code", path, division=True)
        kinds = [key for key, _label in self.env["hy.task"]._fields["kind"].selection]
        vals = {
            "name": name,
            "lead_unit_id": lead.id,
            "support_unit_ids": self._api_support_units(data, path, lead),
            "deadline": deadline,
            "kind": self._api_choice(data, "kind", path, kinds, "other"),
            "followup_unit_id": followup.id or directive_vals["followup_unit_id"],
        }
        return {"external_ref": external_ref, "path": path, "vals": vals}

    @api.model
    def _api_parse_directive_request(self, payload):
        self._api_check_keys(
            payload, "", {"system", "external_ref", "directive", "tasks", "assign"}
        )
        system = self._api_ref(payload, "system", "")
        if not SYSTEM_PATTERN.fullmatch(system):
            raise self._api_invalid(
                "system",
                _("Must be a short code of lowercase letters, digits, “.”, “_” or “-”."),
            )
        external_ref = self._api_ref(payload, "external_ref", "")
        directive_vals = self._api_directive_values(payload.get("directive"))
        tasks = payload.get("tasks", [])
        if not isinstance(tasks, list) or len(tasks) > MAX_TASKS:
            raise self._api_invalid("tasks", _("Must be a list of at most %s tasks.", MAX_TASKS))
        assign = payload.get("assign", False)
        if not isinstance(assign, bool):
            raise self._api_invalid("assign", _("Must be true or false."))
        specs, seen = [], set()
        for index, task in enumerate(tasks):
            spec = self._api_task_values(task, f"tasks[{index}]", directive_vals)
            if spec["external_ref"] in seen:
                raise self._api_invalid(
                    f"tasks[{index}].external_ref", _("Used by another task of this request.")
                )
            seen.add(spec["external_ref"])
            specs.append(spec)
        return system, external_ref, directive_vals, specs, assign

    @api.model
    def _api_changes(self, record, vals):
        """The part of ``vals`` that differs from ``record``."""
        changes = {}
        for name, value in vals.items():
            current = record[name]
            if isinstance(value, models.BaseModel):
                if current != value:
                    changes[name] = [(6, 0, value.ids)]
            elif record._fields[name].type == "many2one":
                if current.id != (value or False):
                    changes[name] = value
            elif (current or False) != (value or False):
                changes[name] = value
        return changes

    @api.model
    def _api_check_task_changes(self, task, changes, path):
        if not changes:
            return
        if task.state in ("done", "cancelled"):
            raise HyApiError(
                409,
                "conflict",
                _(
                    "Task %s is closed in the software: it can no longer be changed.",
                    task.reference,
                ),
                path,
            )
        if "lead_unit_id" in changes and task.state != "draft":
            raise HyApiError(
                409,
                "conflict",
                _(
                    "Task %s has already been assigned: the Office transfers it to another "
                    "unit in the software.",
                    task.reference,
                ),
                join_path(path, "lead_unit_code"),
            )

    @api.model
    def _api_find_directive(self, system, external_ref, vals):
        """The directive of this reference, or None; 409 when the number is taken by another."""
        directive, link = self._api_find_ref(system, "hy.directive", external_ref, "external_ref")
        # sudo: numbers are unique whatever the level (see readme, "Who learns that a
        # classified directive exists"): the same answer for every taken number, visible or not.
        same_number = (
            self.env["hy.directive"]
            .sudo()  # sudo: see the comment above
            .with_context(active_test=False)
            .search_count(
                [
                    ("number", "=", vals["number"]),
                    ("authority", "=", vals["authority"]),
                    ("issue_year", "=", vals["issue_date"].year),
                    ("id", "!=", directive.id),
                ],
                limit=1,
            )
        )
        if same_number:
            raise HyApiError(
                409,
                "conflict",
                _(
                    "A directive numbered %s of this authority and year is already recorded.",
                    vals["number"],
                ),
                "directive.number",
            )
        return directive, link

    @api.model
    def _api_track_new_records(self, records):
        """Track the next changes of records created in this transaction.

        The chatter ignores changes to a record in the transaction that created it; a task
        created and assigned by one request would then never show "Draft → Assigned" in its
        history nor in the status changes feed. Forget that the records are new, so that the
        assignment is tracked like one made by hand.
        """
        discarded = self.env.cr.precommit.data.get(f"mail.tracking.{records._name}") or {}
        for record in records:
            if discarded.get(record.id, False) is None:
                del discarded[record.id]

    @api.model
    def _api_upsert_directive(self, payload):
        """Create or update a directive and its tasks; returns (created, answer)."""
        self._api_check_groups(("group_office_officer",), allow_unit_members=False)
        system, external_ref, vals, specs, assign = self._api_parse_directive_request(payload)
        directive, link = self._api_find_directive(system, external_ref, vals)
        Task = self.env["hy.task"].with_context(active_test=False)
        found = []
        for spec in specs:
            field = join_path(spec["path"], "external_ref")
            task, task_link = self._api_find_ref(system, "hy.task", spec["external_ref"], field)
            if task and task.directive_id != directive:
                raise HyApiError(
                    409,
                    "conflict",
                    _("This external reference belongs to a task of another directive."),
                    field,
                )
            if task:
                changes = self._api_changes(task, spec["vals"])
                self._api_check_task_changes(task, changes, spec["path"])
            found.append((spec, task, task_link))

        with self.env.cr.savepoint():
            created = not directive
            if directive:
                changes = self._api_changes(directive, vals)
                if changes:
                    directive.write(changes)
            else:
                try:
                    directive = self.env["hy.directive"].create(vals)
                except AccessError:
                    raise HyApiError(
                        403,
                        "forbidden",
                        _("Your clearance does not allow recording a directive of this level."),
                        "directive.security_level",
                    ) from None
            self._api_link(system, directive, external_ref, link)
            answers = []
            for spec, task, task_link in found:
                task_vals, new = dict(spec["vals"]), not task
                if task:
                    changes = self._api_changes(task, task_vals)
                    if changes:
                        task.write(changes)
                else:
                    task_vals["support_unit_ids"] = [(6, 0, task_vals["support_unit_ids"].ids)]
                    task = Task.create(dict(task_vals, directive_id=directive.id))
                self._api_link(system, task, spec["external_ref"], task_link)
                answers.append((spec, task, new))
            tasks = Task.browse([task.id for _spec, task, _new in answers])
            if assign:
                drafts = tasks.filtered(lambda t: t.state == "draft")
                self._api_track_new_records(drafts)
                drafts.action_assign()
            self.env.flush_all()
        return created, {
            "directive": {
                "id": directive.id,
                "number": directive.number,
                "external_ref": external_ref,
                "security_level": directive.security_level,
                "created": created,
            },
            "tasks": [
                {
                    "external_ref": spec["external_ref"],
                    "reference": task.reference,
                    "state": task.state,
                    "created": new,
                }
                for spec, task, new in answers
            ],
        }

    # ------------------------------------------------------------------ reading tasks

    @api.model
    def _api_get_task(self, reference):
        reference = reference if isinstance(reference, str) else ""
        if not reference or len(reference) > 64 or not reference.isprintable():
            raise self._api_not_found("reference")
        task = (
            self.env["hy.task"]
            .with_context(active_test=False)
            .search([("reference", "=", reference)], limit=1)
        )
        if not task:
            raise self._api_not_found("reference")
        return task

    @api.model
    def _api_task_refs(self, tasks):
        # sudo: only the references of tasks the user already reads (found by search as the
        # user); unit members have no access to the table itself.
        links = (
            self.env["hy.external.reference"]
            .sudo()  # sudo: see the comment above
            .search([("res_model", "=", "hy.task"), ("res_id", "in", tasks.ids)])
        )
        refs = {}
        for link in links:
            refs.setdefault(link.res_id, []).append(
                {"system": link.system, "external_ref": link.external_ref}
            )
        return refs

    @api.model
    def _api_task_data(self, task, refs=None):
        """What the API tells about a task: metadata only when its directive is classified."""
        directive = task.directive_id
        data = {
            "reference": task.reference,
            "directive": {
                "number": directive.number,
                "name": directive.name,
                "document_type": directive.document_type,
                "authority": directive.authority,
                "issue_date": iso_date(directive.issue_date),
                "security_level": directive.security_level,
            },
            "kind": task.kind,
            "lead_unit_code": task.lead_unit_id.code or None,
            "support_unit_codes": task.support_unit_ids.mapped("code"),
            "followup_unit_code": task.followup_unit_id.code or None,
            "deadline": iso_date(task.deadline),
            "original_deadline": iso_date(task.original_deadline),
            "date_assigned": iso_date(task.date_assigned),
            "date_done": iso_date(task.date_done),
            "progress": task.progress,
            "state": task.state,
            "status_category": task.status_category or None,
            "timeliness": task.timeliness or None,
            "quality": task.quality or None,
            "confirmed": task.confirmed,
            "active": task.active,
            "write_date": utc_iso(task.write_date),
            "external_refs": (refs or {}).get(task.id, []),
        }
        if not task.is_classified:
            # Art. 7.2: no content and no result detail of a classified task leave the software.
            data["name"] = task.name or None
            data["result"] = task.result or None
            data["return_reason"] = task.return_reason or None
        return data

    @api.model
    def _api_log_reads(self, tasks, operation="read"):
        self.env["hy.classified.access.log"]._log(
            tasks.filtered("is_classified"), operation, _("Integration API")
        )

    @api.model
    def _api_read_task(self, reference):
        self._api_check_groups(READ_GROUPS)
        task = self._api_get_task(reference)
        self._api_log_reads(task)
        return self._api_task_data(task, self._api_task_refs(task))

    @api.model
    def _api_list_tasks(self, params):
        """Tasks changed since a time, oldest change first, by pages: a cursor on
        (write_date, id) resumes exactly after the last task of the previous page."""
        self._api_check_groups(READ_GROUPS)
        limit = self._api_int(params, "limit", LIST_LIMIT_DEFAULT, 1, LIST_LIMIT_MAX)
        after = None
        if params.get("cursor"):
            parts = decode_cursor(params["cursor"], 2)
            try:
                after = (datetime.fromisoformat(parts[0]), int(parts[1])) if parts else None
            except ValueError:
                after = None
            if not after:
                raise self._api_invalid("cursor", _("This cursor was not made by this API."))
        since = None
        if params.get("changed_since") and not after:
            since = self._api_timestamp(params["changed_since"], "changed_since")
        Task = self.env["hy.task"].with_context(active_test=False)
        query = Task._search([], order="write_date, id")
        write_date = SQL.identifier(query.table, "write_date")
        task_id = SQL.identifier(query.table, "id")
        if after:
            query.add_where(SQL("(%s, %s) > (%s, %s)", write_date, task_id, after[0], after[1]))
        elif since:
            query.add_where(SQL("%s >= %s", write_date, since))
        query.limit = limit + 1
        ids = list(query)
        tasks = Task.browse(ids[:limit])
        self._api_log_reads(tasks)
        refs = self._api_task_refs(tasks)
        last = tasks[-1:]
        if last:
            cursor = encode_cursor(last.write_date.isoformat(), last.id)
        else:
            cursor = params.get("cursor") or None
        return {
            "items": [self._api_task_data(task, refs) for task in tasks],
            "next_cursor": cursor,
            "has_more": len(ids) > limit,
        }

    # ------------------------------------------------------------------ POST updates

    @api.model
    def _api_post_update(self, reference, payload):
        """A unit reports progress on one of its tasks; returns (created, answer).

        A resent update with the same ``external_ref`` is recorded once.
        """
        self._api_check_groups(UPDATE_GROUPS)
        task = self._api_get_task(reference)
        if isinstance(payload, dict) and task.is_classified and payload.get("note"):
            raise self._api_classified("note")
        self._api_check_keys(payload, "", {"progress", "note", "external_ref"})
        progress = self._api_int(payload, "progress", None, 0, 100, text=False)
        note = self._api_text(
            payload, "note", "", required=not task.is_classified, max_size=TEXT_SIZE
        )
        key = None
        if payload.get("external_ref") is not None:
            key = "api:" + self._api_ref(payload, "external_ref", "")
        Update = self.env["hy.task.update"]
        with self.env.cr.savepoint():
            update = Update._post_update(task, progress, note or False, submission_key=key)
            self.env.flush_all()
        duplicate = not update
        if duplicate:
            update = Update.search(
                [("task_id", "=", task.id), ("submission_key", "=", key)], limit=1
            )
        task.invalidate_recordset()
        return not duplicate, {
            "duplicate": duplicate,
            "update": {
                "id": update.id,
                "progress": update.progress,
                "date": utc_iso(update.date),
            },
            "task": self._api_task_data(task, self._api_task_refs(task)),
        }

    # ------------------------------------------------------------------ status changes feed

    @api.model
    def _api_state_keys(self):
        """Chatter tracking keeps the label of a state, in the language of the writer: map the
        labels of every installed language back to the state's key."""
        field = self.env["hy.task"]._fields["state"]
        keys = {key: key for key, _label in field.selection}
        for code, _name in self.env["res.lang"].get_installed():
            for key, label in field._description_selection(self.with_context(lang=code).env):
                keys.setdefault(label, key)
        return keys

    @api.model
    def _api_status_changes(self, params):
        """Changes of state of the tasks the user reads, from the chatter's tracking values,
        in the order they were recorded (the "hy.status-changes/1" format of readme/USAGE.md)."""
        self._api_check_groups(FEED_GROUPS, allow_unit_members=False)
        limit = self._api_int(params, "limit", LIST_LIMIT_DEFAULT, 1, LIST_LIMIT_MAX)
        after = 0
        if params.get("cursor"):
            parts = decode_cursor(params["cursor"], 2)
            if not parts or parts[0] != "sc" or not DIGITS_PATTERN.fullmatch(parts[1]):
                raise self._api_invalid("cursor", _("This cursor was not made by this API."))
            after = int(parts[1])
        since = None
        if params.get("since"):
            since = self._api_timestamp(params["since"], "since")
        Task = self.env["hy.task"].with_context(active_test=False)
        visible = Task._search([])
        state_field = self.env["ir.model.fields"]._get("hy.task", "state")
        # Tracking values are readable by administrators only: they are read here for the
        # state field of tasks that the user reads (the subquery applies the record rules).
        rows = self.env.execute_query(
            SQL(
                """
                SELECT v.id, m.res_id, m.date, v.old_value_char, v.new_value_char
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                 WHERE v.field_id = %(field)s
                   AND m.model = 'hy.task'
                   AND m.res_id IN (%(visible)s)
                   AND v.id > %(after)s
                   AND (%(since)s IS NULL OR m.date >= %(since)s)
              ORDER BY v.id
                 LIMIT %(limit)s
                """,
                field=state_field.id,
                visible=visible.subselect(),
                after=after,
                since=since,
                limit=limit + 1,
            )
        )
        has_more = len(rows) > limit
        rows = rows[:limit]
        tasks = Task.browse({row[1] for row in rows})
        self._api_log_reads(tasks, "export")
        keys = self._api_state_keys()
        items = []
        for change_id, task_id, changed_at, old_label, new_label in rows:
            task = tasks.browse(task_id)
            items.append(
                {
                    "change_id": change_id,
                    "changed_at": utc_iso(changed_at),
                    "task_reference": task.reference,
                    "directive_number": task.directive_id.number,
                    "directive_authority": task.directive_id.authority,
                    "security_level": task.security_level,
                    "lead_unit_code": task.lead_unit_id.code or None,
                    "old_state": keys.get(old_label) if old_label else None,
                    "new_state": keys.get(new_label) if new_label else None,
                    "deadline": iso_date(task.deadline),
                    "date_done": iso_date(task.date_done),
                    "status_category": task.status_category or None,
                }
            )
        cursor = encode_cursor("sc", rows[-1][0]) if rows else params.get("cursor") or None
        return {
            "format": "hy.status-changes/1",
            "items": items,
            "next_cursor": cursor,
            "has_more": has_more,
        }
