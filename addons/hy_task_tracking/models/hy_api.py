"""Integration API ("liên thông"): the business behind the routes of controllers/api.py.

Everything here runs as the user of the API key, so the same access rights and record rules
apply as in the user interface. The requests arrive checked against their declaration
(tools/api_schema.py); the rules across values, the records and their states are checked
here, before anything is written. Refusals are raised as :class:`FieldError` (with the kind
of refusal), ``UserError`` or ``ValidationError``; the HTTP layer words them and rolls the
transaction back.
"""

from datetime import timedelta

from odoo import _, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools.api_schema import FieldError, join_path
from . import task_rules
from .hy_task_update import unit_role

API_VERSION = "1.5.0"
# 1.5.0: a unit may be named by its electronic identifier code wherever its code is accepted;
# tasks give their units' identifier codes.
# The format of the status changes feed (readme/USAGE.md): served from the task ledger since
# 1.1; 1.2 adds the Office's confirmations, send-backs and turns, and the progress status;
# 1.3 the urges and the requests for information and their answers.
FEED_FORMAT = "hy.status-changes/1.3"
# A cursor of format 1 resumes the feed with the changes recorded from this long before the
# change it points to: a change written before it but committed after is not skipped.
FEED_V1_MARGIN = timedelta(minutes=1)
# A dedicated scope for keys made for the API; keys without scope (made in the user's
# preferences) are accepted too, as Odoo's own RPC does.
API_SCOPE = "hy_api"
# Who may use which part of the API, besides portal users who are members of a unit.
READ_GROUPS = ("group_unit_user", "group_leadership", "group_office_officer")
UPDATE_GROUPS = ("group_unit_user", "group_office_officer")
FEED_GROUPS = ("group_leadership", "group_office_officer")


def iso_date(value):
    return value.isoformat() if value else None


def utc_iso(value):
    """A naive UTC datetime as ISO 8601 with a Z, to the second."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


class HyApi(models.AbstractModel):
    """Services of the integration API, called by controllers/api.py as the key's user."""

    _name = "hy.api"
    _description = "Integration API"

    # ------------------------------------------------------------------ refusals and access

    @api.model
    def _api_not_found(self, field=None):
        return FieldError(
            field, _("No such record, or you are not allowed to see it."), "not_found"
        )

    @api.model
    def _api_classified(self, field):
        return FieldError(
            field,
            _(
                "The directive is classified: the software must not hold this content "
                "(Art. 7.2). Send it through the classified channel, and send this request "
                "again without it."
            ),
            "classified",
        )

    @api.model
    def _api_unit_ids(self):
        # sudo: membership of the key's own user, which portal users cannot read themselves.
        return self.env.user.sudo().hy_unit_ids.ids

    @api.model
    def _api_check_groups(self, groups, allow_unit_members=True):
        """Refused unless the user is in one of ``groups`` (or a portal member of a unit)."""
        user = self.env.user
        if any(user.has_group(f"hy_task_tracking.{group}") for group in groups):
            return
        if allow_unit_members and user._is_portal() and self._api_unit_ids():
            return
        raise FieldError(
            None, _("Your user is not allowed to use this part of the API."), "forbidden"
        )

    # ------------------------------------------------------------------ external references

    @api.model
    def _api_find_ref(self, system, model, external_ref, field):
        """The record of ``model`` that ``system`` calls ``external_ref``, as the user sees it.

        An empty recordset when the reference is new or its record was deleted since; not
        found when the record exists but the user may not read it.
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
    def _api_directive_rule_errors(self, data, path):
        """The rules across values of a directive (models/task_rules.py), as (field, message,
        kind): shared by the API and the XLSX import. ``data`` holds checked request data."""
        env, classified = self.env, data["security_level"] != "normal"
        named = self.env["hy.directive"]._type_from_name(data["name"])
        checks = [
            (
                "summary",
                task_rules.classified_summary(env, classified, data["summary"]),
                "classified",
            ),
            (
                "name",
                task_rules.classified_directive_name(
                    env, classified, data["name"], named, data.get("document_type")
                ),
                "rejected",
            ),
        ]
        return [
            (join_path(path, field), message, kind) for field, message, kind in checks if message
        ]

    @api.model
    def _api_directive_values(self, data):
        """The directive's values from its checked request data."""
        for field, message, kind in self._api_directive_rule_errors(data, "directive"):
            raise FieldError(field, message, kind)
        vals = {
            "name": data["name"],
            "number": data["number"],
            "issue_date": data["issue_date"],
            "signer": data["signer"],
            "authority": data["authority"],
            "security_level": data["security_level"],
            "summary": data["summary"],
            "submitting_unit_id": data["submitting_unit_code"].id,
            "followup_unit_id": data["followup_unit_code"].id,
        }
        if data.get("document_type"):  # otherwise the type follows from the name
            vals["document_type"] = data["document_type"]
        return vals

    @api.model
    def _api_task_rule_errors(self, directive, task, path):
        """The rules across values of one task (models/task_rules.py), as (field, message,
        kind): shared by the API and the XLSX import. ``directive`` and ``task`` hold checked
        request data."""
        env, classified = self.env, directive["security_level"] != "normal"
        name, deadline = task["name"], task["deadline"]
        rule, days = task.get("deadline_rule") or "date", task.get("deadline_days")
        lead, support = task["lead_unit_code"], task["support_unit_codes"]
        checks = [
            ("name", task_rules.classified_task_content(env, classified, name), "classified"),
            ("name", task_rules.task_content_missing(env, classified, name), "rejected"),
            ("deadline", task_rules.deadline_after_last(env, deadline), "rejected"),
            (
                "deadline",
                task_rules.deadline_before_issue(env, deadline, directive["issue_date"]),
                "rejected",
            ),
            ("deadline_days", task_rules.deadline_days_missing(env, rule, days), "rejected"),
            ("deadline", task_rules.deadline_sent_with_rule(env, rule, deadline), "rejected"),
            ("deadline_days", task_rules.days_without_rule(env, rule, days), "rejected"),
            ("support_unit_codes", task_rules.lead_in_support(env, lead, support), "rejected"),
        ]
        return [
            (join_path(path, field), message, kind) for field, message, kind in checks if message
        ]

    @api.model
    def _api_task_values(self, data, path, directive_data, directive_vals):
        for field, message, kind in self._api_task_rule_errors(directive_data, data, path):
            raise FieldError(field, message, kind)
        spec = {
            "external_ref": data["external_ref"],
            "path": path,
            "vals": {
                "name": data["name"],
                "lead_unit_id": data["lead_unit_code"].id,
                "support_unit_ids": data["support_unit_codes"],
                "deadline": data["deadline"],
                "deadline_rule": data["deadline_rule"],
                "deadline_days": data["deadline_days"] or 0,
                "deadline_from": data["deadline_from"],
                "kind": data["kind"],
                "followup_unit_id": data["followup_unit_code"].id
                or directive_vals["followup_unit_id"],
            },
        }
        if data["deadline_rule"] != "date":
            del spec["vals"]["deadline"]  # computed from the rule by the task itself
        return spec

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
            raise FieldError(
                path,
                _(
                    "Task %s is closed in the software: it can no longer be changed.",
                    task.reference,
                ),
                "conflict",
            )
        if "lead_unit_id" in changes and task.state != "draft":
            raise FieldError(
                join_path(path, "lead_unit_code"),
                _(
                    "Task %s has already been assigned: the Office transfers it to another "
                    "unit in the software.",
                    task.reference,
                ),
                "conflict",
            )

    @api.model
    def _api_find_directive(self, system, external_ref, vals):
        """The directive of this reference, or None; a conflict when another has the number."""
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
            raise FieldError(
                "directive.number",
                _(
                    "A directive numbered %s of this authority and year is already recorded.",
                    vals["number"],
                ),
                "conflict",
            )
        return directive, link

    @api.model
    def _api_track_new_records(self, records):
        """Track the next changes of records created in this transaction (API and import).

        The chatter ignores changes to a record in the transaction that created it; a task
        created and assigned by one request would then never show "Draft → Assigned" in its
        chatter (the task ledger records it anyway). Forget that the records are new, so that
        the assignment is tracked like one made by hand.
        """
        discarded = self.env.cr.precommit.data.get(f"mail.tracking.{records._name}") or {}
        for record in records:
            if discarded.get(record.id, False) is None:
                del discarded[record.id]

    @api.model
    def _api_upsert_directive(self, request):
        """Create or update a directive and its tasks from a checked DirectiveRequest;
        returns (created, answer)."""
        self._api_check_groups(("group_office_officer",), allow_unit_members=False)
        system, external_ref = request["system"], request["external_ref"]
        vals = self._api_directive_values(request["directive"])
        specs, seen = [], set()
        for index, data in enumerate(request["tasks"]):
            path = f"tasks[{index}]"
            if data["external_ref"] in seen:
                raise FieldError(
                    f"{path}.external_ref", _("Used by another task of this request."), "rejected"
                )
            seen.add(data["external_ref"])
            specs.append(self._api_task_values(data, path, request["directive"], vals))
        directive, link = self._api_find_directive(system, external_ref, vals)
        Task = self.env["hy.task"].with_context(active_test=False)
        found = []
        for spec in specs:
            field = join_path(spec["path"], "external_ref")
            task, task_link = self._api_find_ref(system, "hy.task", spec["external_ref"], field)
            if task and task.directive_id != directive:
                raise FieldError(
                    field,
                    _("This external reference belongs to a task of another directive."),
                    "conflict",
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
                    raise FieldError(
                        "directive.security_level",
                        _("Your clearance does not allow recording a directive of this level."),
                        "forbidden",
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
            if request["assign"]:
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
            # Since 1.5.0: the units' electronic identifier codes, in the order of their codes.
            "lead_unit_identifier_code": task.lead_unit_id.identifier_code or None,
            "support_unit_identifier_codes": [
                unit.identifier_code or None for unit in task.support_unit_ids
            ],
            "deadline": iso_date(task.deadline),
            "deadline_rule": task.deadline_rule,
            "deadline_days": task.deadline_days or None,
            "deadline_from": task.deadline_from,
            "original_deadline": iso_date(task.original_deadline),
            "date_assigned": iso_date(task.date_assigned),
            "date_received": iso_date(task.date_received),
            "working_days_overdue": task.working_days_overdue,
            "working_days_left": task.working_days_left,
            "date_done": iso_date(task.date_done),
            "progress": task.progress,
            "state": task.state,
            "status_category": task.status_category or None,
            # Reported is not done: the status shown until the Office confirms the result.
            "progress_status": task.progress_status or None,
            "with_office": task.with_office,
            "office_wait": task.office_wait or None,
            "office_due": iso_date(task.office_due),
            "timeliness": task.timeliness or None,
            "quality": task.quality or None,
            "confirmed": task.confirmed,
            "extension_pending": task.extension_pending,
            # Urging (since 1.4.0): numbers and dates only, classified tasks alike.
            "urge_count": task.urge_count,
            "last_urge_date": iso_date(task.last_urge_date),
            "open_info_request_count": task.open_info_request_count,
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
    def _api_list_tasks(self, since, after, limit):
        """Tasks changed since a time, oldest change first, by pages: ``after`` is the
        (write_date, id) of the last task of the previous page, resumed exactly after it.

        Returns the items, the (write_date, id) of the last one, and whether more follow.
        """
        self._api_check_groups(READ_GROUPS)
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
        return (
            [self._api_task_data(task, refs) for task in tasks],
            (last.write_date, last.id) if last else None,
            len(ids) > limit,
        )

    # ------------------------------------------------------------------ the unit's side

    @api.model
    def _api_unit_task(self, reference, lead=True):
        """The task of ``reference`` on which the key's user acts for a unit."""
        self._api_check_groups(UPDATE_GROUPS)
        task = self._api_get_task(reference)
        role = unit_role(task, self.env.user)[0]
        if (
            lead
            and role != "lead"
            and not self.env.user.has_group("hy_task_tracking.group_office_officer")
        ):
            raise FieldError(
                None,
                _("Only the lead unit can do this; a coordinating unit posts progress updates.")
                if role == "support"
                else _("Only the units of this task can do this."),
                "forbidden",
            )
        return task

    @api.model
    def _api_task_answer(self, task, done):
        task.invalidate_recordset()
        return {"duplicate": not done, "task": self._api_task_data(task, self._api_task_refs(task))}

    @api.model
    def _api_post_update(self, reference, request):
        """A unit reports progress on one of its tasks; returns (created, answer).

        A resent update with the same ``external_ref`` is recorded once.
        """
        task = self._api_unit_task(reference, lead=False)
        if task.is_classified and request["note"]:
            raise self._api_classified("note")
        if message := task_rules.update_note_missing(self.env, task.is_classified, request["note"]):
            raise FieldError("note", message, "rejected")
        key = f"api:{request['external_ref']}" if request["external_ref"] else None
        Update = self.env["hy.task.update"]
        with self.env.cr.savepoint():
            update = Update._post_update(
                task, request["progress"], request["note"], submission_key=key
            )
            self.env.flush_all()
        duplicate = not update
        if duplicate:
            update = Update.search(
                [("task_id", "=", task.id), ("submission_key", "=", key)], limit=1
            )
        answer = self._api_task_answer(task, not duplicate)
        answer["update"] = {
            "id": update.id,
            "progress": update.progress,
            "date": utc_iso(update.date),
        }
        return not duplicate, answer

    @api.model
    def _api_unit_action(self, reference, action, request=None):
        """accept, complete, return or extend a task as its lead unit: the portal's rules
        (hy.task._unit_*). Returns (done, answer); done is False when it was already done."""
        task = self._api_unit_task(reference)
        request = request or {}
        content = {"complete": "result", "return": "reason", "extend": "reason"}.get(action)
        if content and task.is_classified and request.get(content):
            raise self._api_classified(content)
        with self.env.cr.savepoint():
            try:
                if action == "accept":
                    done = task._unit_accept()
                elif action == "complete":
                    done = task._unit_report_done(request["result"], request["date_done"])
                elif action == "return":
                    done = task._unit_return(request["reason"])
                else:
                    done = task._unit_request_extension(request["new_deadline"], request["reason"])
            except ValidationError as error:
                raise FieldError(content, error.args[0], "rejected") from None
            self.env.flush_all()
        return done, self._api_task_answer(task, done)

    # ------------------------------------------------------------------ status changes feed

    @api.model
    def _api_status_changes(self, since, after, limit):
        """What happened to the tasks the user reads, from the task ledger, in the order it
        was recorded (the "hy.status-changes/1.3" format of readme/USAGE.md): changes of
        state, the Office's confirmations and send-backs, the turns of the Office, the urges,
        the requests for information and their answers. ``after`` is the ledger id of the
        last item of the previous page.

        Returns the items, the ledger id of the last one, and whether more follow.
        """
        self._api_check_groups(FEED_GROUPS, allow_unit_members=False)
        entries = self.env["hy.task.ledger"]._status_events(after, since, limit + 1)
        has_more = len(entries) > limit
        entries = entries[:limit]
        tasks = entries.task_id
        self._api_log_reads(tasks, "export")
        # sudo: the numbers of the dispatches that urged tasks the user reads, read in one go;
        # a number is no content (the feed's readers are the Office and the leadership).
        entries.dispatch_id.sudo().fetch(["number"])  # sudo: numbers only, see above
        items = []
        for entry in entries:
            task = entry.task_id
            event = entry._status_event()
            if event in ("state", "sent_back"):
                old_state, new_state = entry.old_value, entry.new_value
            else:
                # The state stays as it is: a consumer of format 1.1, which expects changes of
                # state only, skips such an item (its old_state equals its new_state).
                old_state = new_state = entry.state
            number = entry.dispatch_id.sudo().number or None  # sudo: the number, read above
            items.append(
                {
                    "change_id": entry.id,
                    "event": event,
                    "changed_at": utc_iso(entry.timestamp),
                    "task_reference": task.reference,
                    "directive_number": task.directive_id.number,
                    "directive_authority": task.directive_id.authority,
                    "security_level": task.security_level,
                    "lead_unit_code": task.lead_unit_id.code or None,
                    "old_state": old_state or None,
                    "new_state": new_state or None,
                    # The turn right after the change, as the ledger recorded it.
                    "with_office": entry._with_office_after(),
                    "office_wait": entry._office_wait_after() or None,
                    # Urges and requests for information (since format 1.3).
                    "urge_channel": entry.new_value if event == "urge" else None,
                    "dispatch_number": number if event == "urge" else None,
                    "info_date": entry.new_value
                    if event in ("info_request", "info_answer")
                    else None,
                    # The task now, as in format 1.1.
                    "deadline": iso_date(task.deadline),
                    "date_done": iso_date(task.date_done),
                    "status_category": task.status_category or None,
                    "progress_status": task.progress_status or None,
                }
            )
        return items, entries[-1:].id or None, has_more

    @api.model
    def _api_status_position(self, tracking_id):
        """The ledger position of a cursor of format 1, which named a tracking value of the
        chatter (the changes up to it were sent): the feed resumes with the changes recorded
        from FEED_V1_MARGIN before it, so some may come again, none is skipped. For consumers
        of format 1 only: remove once none sends such a cursor."""
        self._api_check_groups(FEED_GROUPS, allow_unit_members=False)
        state_field = self.env["ir.model.fields"]._get("hy.task", "state")
        # sudo: tracking values are readable by administrators only; only the date of the
        # change the caller's own cursor pointed to (or of the one before it) is read.
        value = (
            self.env["mail.tracking.value"]
            .sudo()  # sudo: see the comment above
            .search(
                [("id", "<=", tracking_id), ("field_id", "=", state_field.id)],
                order="id desc",
                limit=1,
            )
        )
        if not value:
            return 0
        return self.env["hy.task.ledger"]._position_before(
            value.mail_message_id.date - FEED_V1_MARGIN
        )
