from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index, format_date

from .hy_directive import AUTHORITIES
from .hy_task import EFFECTIVENESS_LEVELS, LEDGER_FIELDS, QUALITY_LEVELS, TASK_STATES
from .hy_time import day_start_utc, local_date
from .status_category import STATUS_CATEGORIES, status_category, status_category_sql

# The state of the task after each entry, stored on the entry itself: what the task was on
# any past day is the snapshot of its last entry of that day (hy_task_reports reads it so).
# Every recorded field but the coordinating units (a many2many, kept in the change only).
SNAPSHOT_FIELDS = tuple(fname for fname in LEDGER_FIELDS if fname != "support_unit_ids")
CHANGES = [
    ("create", "Recorded"),
    ("state", "Status"),
    ("lead_unit_id", "Lead Unit"),
    ("support_unit_ids", "Coordinating Units"),
    ("deadline", "Deadline"),
    ("progress", "Progress"),
    ("date_done", "Completion Date"),
    ("confirmed", "Confirmation"),
    ("quality", "Evaluation"),
    ("effectiveness", "Effectiveness"),
    ("active", "Archiving"),
    ("status_category", "Status Category"),
    ("authority", "Issuing Authority"),
    ("is_classified", "Classification"),
    ("with_office", "With the Office"),
    # Events that change no field of the task (the snapshot is the task as it was).
    ("urge", "Urged"),
    ("info_request", "Information Requested"),
    ("info_answer", "Information Provided"),
]
# How an urge reached the unit (the new value of an "urge" entry).
URGE_CHANNELS = [
    ("dispatch", "Urging dispatch"),
    ("phone", "Phone call"),
    ("meeting", "Meeting"),
]
# Columns written by _insert(), in this order.
INSERT_COLUMNS = (
    "task_id",
    "timestamp",
    "date",
    "user_id",
    "change",
    "old_value",
    "new_value",
    "note",
    "extension_id",
    "transfer_id",
    "dispatch_id",
    "info_request_id",
    "origin",
    *SNAPSHOT_FIELDS,
)


def raw_value(task, fname):
    """The value of ``fname`` on ``task`` as the ledger stores it: text, or None when empty."""
    value = task[fname]
    field = task._fields[fname]
    if field.type == "many2one":
        return str(value.id) if value else None
    if field.type == "many2many":
        return ",".join(str(i) for i in sorted(value.ids)) or None
    if field.type == "boolean":
        return "1" if value else "0"
    if field.type == "date":
        return value.isoformat() if value else None
    if field.type == "integer":
        return str(value or 0)
    return value or None


class HyTaskLedger(models.Model):
    """Append-only, dated history of every task: who changed what, when, from what to what.

    Written by ``hy.task`` itself (create, write and the nightly status job), whatever the
    path: backend, portal, API, import, crons or sudo() code. Each entry also holds the state
    of the task right after the change, so the state of a task on any past day is the
    snapshot of its last entry of that day: reports of past periods are computed from it.
    Nobody, administrators included, can change, delete or add entries through the ORM.
    """

    _name = "hy.task.ledger"
    # hy.write.guard with nothing declared: the tasks' own writes record it, in SQL.
    _inherit = ["hy.classified.mixin", "hy.write.guard"]
    _description = "Task Ledger Entry"
    _order = "timestamp desc, id desc"
    _rec_name = "change"
    _log_access = False

    task_id = fields.Many2one(
        "hy.task", required=True, readonly=True, index=True, ondelete="cascade"
    )
    timestamp = fields.Datetime(string="Time (UTC)", required=True, readonly=True)
    date = fields.Date(
        required=True, readonly=True, index=True, help="The date in Asia/Ho_Chi_Minh."
    )
    user_id = fields.Many2one(
        "res.users", string="By", required=True, readonly=True, index=True, ondelete="restrict"
    )
    change = fields.Selection(CHANGES, string="What Changed", required=True, readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
    old_display = fields.Char(string="Changed From", compute="_compute_display_values")
    new_display = fields.Char(string="Changed To", compute="_compute_display_values")
    note = fields.Text(
        string="Reason",
        readonly=True,
        help="The reason given with the change. Never kept for classified tasks.",
    )
    extension_id = fields.Many2one("hy.task.extension", readonly=True, ondelete="set null")
    transfer_id = fields.Many2one("hy.task.transfer", readonly=True, ondelete="set null")
    dispatch_id = fields.Many2one(
        "hy.urge.dispatch", string="Urging Dispatch", readonly=True, ondelete="restrict"
    )
    info_request_id = fields.Many2one(
        "hy.task.info.request", string="Information Request", readonly=True, ondelete="restrict"
    )
    urge_channel = fields.Selection(
        URGE_CHANNELS, compute="_compute_urge_channel", help="How an urge reached the unit."
    )
    origin = fields.Selection(
        [
            ("live", "Recorded when it happened"),
            ("opening", "Opening entry, rebuilt from earlier history"),
        ],
        required=True,
        readonly=True,
        default="live",
    )
    # The task right after this entry.
    state = fields.Selection(TASK_STATES, string="Status After", readonly=True)
    lead_unit_id = fields.Many2one(
        "hy.unit", string="Lead Unit After", readonly=True, index=True, ondelete="restrict"
    )
    deadline = fields.Date(string="Deadline After", readonly=True)
    progress = fields.Integer(string="Progress After", readonly=True)
    date_done = fields.Date(string="Completion Date After", readonly=True)
    confirmed = fields.Boolean(string="Confirmed After", readonly=True)
    quality = fields.Selection(QUALITY_LEVELS, string="Evaluation After", readonly=True)
    effectiveness = fields.Selection(
        EFFECTIVENESS_LEVELS, string="Effectiveness After", readonly=True
    )
    active = fields.Boolean(string="Active After", readonly=True)
    status_category = fields.Selection(
        STATUS_CATEGORIES, string="Status Category After", readonly=True
    )
    authority = fields.Selection(AUTHORITIES, string="Issuing Authority After", readonly=True)
    is_classified = fields.Boolean(string="Classified After", readonly=True)
    # Empty on entries written before it was recorded: the state "returned" says it then.
    with_office = fields.Boolean(string="With the Office After", readonly=True)

    def init(self):
        # The state of every task at a date: the last entry per task before an instant.
        create_index(
            self.env.cr,
            "hy_task_ledger_task_timestamp_idx",
            self._table,
            ["task_id", "timestamp", "id"],
        )

    @api.depends("change", "new_value")
    def _compute_urge_channel(self):
        for entry in self:
            entry.urge_channel = entry.new_value if entry.change == "urge" else False

    @api.depends("change", "old_value", "new_value")
    def _compute_display_values(self):
        Task = self.env["hy.task"]
        labels = {
            fname: dict(Task._fields[fname]._description_selection(self.env))
            for fname in ("state", "quality", "effectiveness", "status_category", "authority")
        }
        labels["urge"] = dict(self._fields["urge_channel"]._description_selection(self.env))
        unit_ids = set()
        for entry in self:
            if entry.change in ("lead_unit_id", "support_unit_ids"):
                for value in (entry.old_value, entry.new_value):
                    unit_ids.update(int(i) for i in (value or "").split(",") if i)
        # sudo: units are metadata every reader of the ledger may know by name.
        units = self.env["hy.unit"].sudo().with_context(active_test=False).browse(unit_ids)
        names = {unit.id: unit.name for unit in units}
        for entry in self:
            entry.old_display, entry.new_display = (
                entry._display(value, labels, names) for value in (entry.old_value, entry.new_value)
            )

    def _display(self, value, labels, names):
        change = self.change
        if change == "create":
            return labels["state"].get(value, value or "")
        if change == "urge":
            channel = labels["urge"].get(value, value or "")
            number = self.dispatch_id.sudo().number  # sudo: the number is no content
            return f"{channel} {number}" if number else channel
        if change in ("info_request", "info_answer"):
            return format_date(self.env, fields.Date.from_string(value)) if value else ""
        if value is False or value is None:
            return ""
        if change in labels:
            return labels[change].get(value, value)
        if change in ("lead_unit_id", "support_unit_ids"):
            return ", ".join(names.get(int(i), i) for i in value.split(",") if i)
        if change in ("deadline", "date_done"):
            return format_date(self.env, fields.Date.from_string(value))
        if change == "progress":
            return f"{value} %"
        if change == "confirmed":
            return _("Confirmed") if value == "1" else _("Not confirmed")
        if change == "active":
            return _("Active") if value == "1" else _("Archived")
        if change == "is_classified":
            return _("Classified") if value == "1" else _("Normal")
        return value

    # ------------------------------------------------------------------ append only

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        if vals_list:
            raise UserError(_("Ledger entries are written by the tasks themselves, never by hand."))
        return super().create(vals_list)

    def write(self, vals):
        self._hy_check_fields("write", vals)
        if self:
            raise UserError(_("The task ledger cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The task ledger cannot be deleted."))

    # ------------------------------------------------------------------ recording

    @api.model
    def _snapshot(self, tasks):
        """{task id: {field: raw value}} of the ledger fields, read as superuser.

        sudo: the ledger records what changed whoever writes; reading the values the writer
        is changing discloses nothing to them (they are not returned).
        """
        tasks = tasks.sudo().with_context(active_test=False)
        return {
            task.id: {fname: raw_value(task, fname) for fname in LEDGER_FIELDS} for task in tasks
        }

    @api.model
    def _record_create(self, tasks):
        """The opening entry of new tasks: recorded, with their state."""
        now, user_id = fields.Datetime.now(), self.env.uid
        rows = []
        for task_id, values in self._snapshot(tasks).items():
            rows.append(self._row(task_id, now, user_id, "create", None, values["state"], values))
        self._insert(rows)

    @api.model
    def _record_changes(self, tasks, before):
        """One entry per field of ``tasks`` that changed since ``before`` (see _snapshot)."""
        context = self.env.context
        now, user_id = fields.Datetime.now(), self.env.uid
        classified = set(tasks.sudo().filtered("is_classified").ids)
        note = (context.get("hy_ledger_note") or "").strip() or None
        note_on = context.get("hy_ledger_note_on") or "state"
        # The extension or transfer behind a change, when it belongs to the task (a context
        # key is only a hint: it cannot attach another task's decision).
        refs = {}
        for key, model in (
            ("extension_id", "hy.task.extension"),
            ("transfer_id", "hy.task.transfer"),
        ):
            ref_id = context.get(f"hy_ledger_{key}")
            if isinstance(ref_id, int):
                refs[key] = self.env[model].sudo().browse(ref_id).exists()
        rows = []
        for task_id, after in self._snapshot(tasks).items():
            old = before.get(task_id)
            if old is None:
                continue
            changed = [fname for fname in LEDGER_FIELDS if old[fname] != after[fname]]
            # The reason goes with the change it explains, or the first one made.
            noted = note_on if note_on in changed else (changed[0] if changed else None)
            for fname in changed:
                row = self._row(task_id, now, user_id, fname, old[fname], after[fname], after)
                if fname == noted and task_id not in classified:
                    row["note"] = note
                for key, field in (("extension_id", "deadline"), ("transfer_id", "lead_unit_id")):
                    ref = refs.get(key)
                    if fname == field and ref and ref.task_id.id == task_id:
                        row[key] = ref.id
                rows.append(row)
        self._insert(rows)

    @api.model
    def _row(self, task_id, timestamp, user_id, change, old, new, snapshot, origin="live"):
        return {
            "task_id": task_id,
            "timestamp": timestamp,
            "date": local_date(timestamp),
            "user_id": user_id,
            "change": change,
            "old_value": old,
            "new_value": new,
            "note": None,
            "extension_id": None,
            "transfer_id": None,
            "dispatch_id": None,
            "info_request_id": None,
            "origin": origin,
            **{fname: snapshot[fname] for fname in SNAPSHOT_FIELDS},
        }

    @api.model
    def _insert(self, rows):
        """Write ``rows`` in one INSERT per 1,000: the ORM's create() is closed to everyone."""
        if not rows:
            return
        typed = {
            "lead_unit_id": int,
            "progress": int,
            "confirmed": "1".__eq__,
            "active": "1".__eq__,
            "is_classified": "1".__eq__,
            "with_office": "1".__eq__,
        }
        for start in range(0, len(rows), 1000):
            values = []
            for row in rows[start : start + 1000]:
                cells = []
                for column in INSERT_COLUMNS:
                    value = row[column]
                    if column in typed and value is not None:
                        value = typed[column](value)
                    cells.append(value)
                values.append(SQL("(%s)", SQL(", ").join(SQL("%s", cell) for cell in cells)))
            self.env.cr.execute(
                SQL(
                    "INSERT INTO hy_task_ledger (%s) VALUES %s",
                    SQL(", ").join(SQL.identifier(column) for column in INSERT_COLUMNS),
                    SQL(", ").join(values),
                )
            )
        self.invalidate_model()
        task_ids = {row["task_id"] for row in rows}
        self.env["hy.task"].browse(task_ids).invalidate_recordset(["ledger_ids"])

    @api.model
    def _record_status_job(self, today):
        """The nightly status job, set-based: "overdue" moves with the calendar.

        One UPDATE of the tasks whose deadline has just passed and one INSERT of their ledger
        entries, in a single statement, whatever the number of tasks. Returns their ids.
        """
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH changed AS (
                    UPDATE hy_task t
                       SET status_category = %(category)s,
                           -- an open task's status shown is its category
                           progress_status = %(category)s,
                           timeliness = 'overdue'
                      FROM hy_task old
                     WHERE old.id = t.id
                       AND t.active AND t.state IN ('assigned', 'in_progress')
                       AND NOT COALESCE(t.with_office, FALSE)
                       AND t.deadline < %(today)s
                       AND t.timeliness IS DISTINCT FROM 'overdue'
                 RETURNING t.id, old.status_category AS old_category, t.status_category,
                           t.state, t.lead_unit_id, t.deadline, t.progress, t.date_done,
                           t.confirmed, t.quality, t.effectiveness, t.active, t.authority,
                           t.is_classified, t.with_office
                ), entries AS (
                    INSERT INTO hy_task_ledger
                           (task_id, timestamp, date, user_id, change, old_value, new_value,
                            origin, state, lead_unit_id, deadline, progress, date_done,
                            confirmed, quality, effectiveness, active, status_category,
                            authority, is_classified, with_office)
                    SELECT c.id, %(now)s, %(today)s, %(uid)s, 'status_category', c.old_category,
                           c.status_category, 'live', c.state, c.lead_unit_id, c.deadline,
                           COALESCE(c.progress, 0), c.date_done, COALESCE(c.confirmed, FALSE),
                           c.quality, c.effectiveness, c.active, c.status_category, c.authority,
                           COALESCE(c.is_classified, FALSE), COALESCE(c.with_office, FALSE)
                      FROM changed c
                     WHERE c.old_category IS DISTINCT FROM c.status_category
                )
                SELECT id FROM changed
                """,
                today=today,
                now=now,
                uid=self.env.uid,
                category=status_category_sql(
                    SQL("t.state"),
                    SQL("t.deadline"),
                    SQL("t.date_done"),
                    today,
                    with_office=SQL("t.with_office"),
                ),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model()
        return ids

    @api.model
    def _record_events(self, tasks, change, new_value=None, refs=None, note=None):
        """One entry per task for an event that changes none of its fields: an urge, a request
        for information or its answer. ``refs``: {task id: {"dispatch_id": id, ...}}. The
        snapshot is the task as it is; no note is kept on classified tasks."""
        now, user_id = fields.Datetime.now(), self.env.uid
        classified = set(tasks.sudo().filtered("is_classified").ids)  # sudo: a flag, not shown
        rows = []
        for task_id, snapshot in self._snapshot(tasks).items():
            row = self._row(task_id, now, user_id, change, None, new_value, snapshot)
            row.update((refs or {}).get(task_id, {}))
            if note and task_id not in classified:
                row["note"] = note
            rows.append(row)
        self._insert(rows)

    # ------------------------------------------------------------------ opening entries

    @api.model
    def _open_from_history(self, tasks):
        """Opening entries for tasks recorded before the ledger existed (see migrations/).

        Rebuilt, per field, from the best dated source the database holds: the chatter's
        tracking values (every tracked change, at its time) when there are any; otherwise the
        task's own dates (assigned, done, confirmed), its approved extensions and transfers.
        What no source dates (e.g. when a unit accepted a task) is taken as of the assignment.
        Tasks that already have entries are left alone.
        """
        tasks = tasks.sudo().with_context(active_test=False)
        if not tasks:
            return 0
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT task_id FROM hy_task_ledger WHERE task_id IN %s",
                tuple(tasks.ids),
            )
        )
        done = {row[0] for row in self.env.cr.fetchall()}
        tasks = tasks.filtered(lambda t: t.id not in done)
        tracked = self._tracked_history(tasks)
        rows = []
        for task in tasks:
            rows.extend(self._opening_rows(task, tracked.get(task.id, {})))
        self._insert(rows)
        return len(rows)

    @api.model
    def _tracked_history(self, tasks):
        """{task id: {field: [(timestamp, user id, old, new)]}} from mail.tracking.value."""
        if not tasks:
            return {}
        Task = self.env["hy.task"]
        # A tracked selection keeps the label of the writer's language: map every installed
        # language's labels back to their keys.
        label_keys = defaultdict(dict)
        for code, _name in self.env["res.lang"].get_installed():
            env = self.with_context(lang=code).env
            for fname in ("state", "quality"):
                for key, label in Task._fields[fname]._description_selection(env):
                    label_keys[fname][label] = key
                    label_keys[fname][key] = key
        self.env.cr.execute(
            SQL(
                """
                SELECT m.res_id, f.name, m.date, COALESCE(m.author_id, 0), v.id,
                       v.old_value_integer, v.new_value_integer,
                       v.old_value_char, v.new_value_char,
                       v.old_value_datetime, v.new_value_datetime
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN ir_model_fields f ON f.id = v.field_id
                 WHERE m.model = 'hy.task' AND m.res_id IN %s AND f.model = 'hy.task'
                   AND f.name IN %s
              ORDER BY m.date, v.id
                """,
                tuple(tasks.ids),
                tuple(fname for fname in LEDGER_FIELDS if fname != "support_unit_ids"),
            )
        )
        partner_users = {}
        history = defaultdict(lambda: defaultdict(list))
        for (
            res_id,
            fname,
            when,
            author_id,
            _id,
            old_i,
            new_i,
            old_c,
            new_c,
            old_d,
            new_d,
        ) in self.env.cr.fetchall():
            ftype = Task._fields[fname].type
            if ftype == "selection":
                old, new = (label_keys[fname].get(v) if v else None for v in (old_c, new_c))
            elif ftype == "many2one":
                old, new = (str(v) if v else None for v in (old_i, new_i))
            elif ftype == "boolean":
                old, new = ("1" if v else "0" for v in (old_i, new_i))
            elif ftype == "date":
                old, new = (v.date().isoformat() if v else None for v in (old_d, new_d))
            else:
                old, new = (str(v or 0) for v in (old_i, new_i))
            partner_users.setdefault(author_id, None)
            history[res_id][fname].append((when, author_id, old, new))
        # The authors of messages are partners: the ledger names users.
        users = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("partner_id", "in", list(partner_users))])
        )
        by_partner = {user.partner_id.id: user.id for user in users}
        return {
            res_id: {
                fname: [
                    (when, by_partner.get(author, 1), old, new) for when, author, old, new in rows
                ]
                for fname, rows in fields_rows.items()
            }
            for res_id, fields_rows in history.items()
        }

    @api.model
    def _opening_rows(self, task, tracked):
        """The entries of one task, oldest first, from ``tracked`` and the task's own dates."""
        current = self._snapshot(task)[task.id]
        opening = task.create_date or fields.Datetime.now()
        if task.date_assigned and day_start_utc(task.date_assigned) < opening:
            # Recorded after it was assigned (e.g. demo data): it exists from its assignment.
            opening = day_start_utc(task.date_assigned)
        creator = task.create_uid.id or 1
        events = []  # (timestamp, user id, field, new value, refs)
        initial = dict(current)
        for fname, rows in tracked.items():
            initial[fname] = rows[0][2]
            events += [(when, user, fname, new, {}) for when, user, _old, new in rows]
        if "state" not in tracked and task.state != "draft":
            events += self._dated_state_events(task, initial, opening)
        if "lead_unit_id" not in tracked and task.transfer_ids:
            transfers = task.transfer_ids.sorted("id")
            initial["lead_unit_id"] = raw_value(transfers[0], "from_unit_id")
            events += [
                (
                    t.create_date,
                    t.user_id.id or creator,
                    "lead_unit_id",
                    str(t.to_unit_id.id),
                    {"transfer_id": t.id},
                )
                for t in transfers
            ]
        approved = task.extension_ids.filtered(lambda e: e.state == "approved").sorted("id")
        if "deadline" not in tracked and approved:
            initial["deadline"] = approved[0].previous_deadline.isoformat()
            events += [
                (
                    day_start_utc(e.decision_date) if e.decision_date else e.write_date,
                    e.decided_by_id.id or creator,
                    "deadline",
                    e.new_deadline.isoformat(),
                    {"extension_id": e.id},
                )
                for e in approved
            ]
        if "active" not in tracked and not task.active:
            initial["active"] = "1"
            events.append(
                (task.write_date or opening, task.write_uid.id or creator, "active", "0", {})
            )
        initial["status_category"] = self._category_at(initial, local_date(opening))
        # Nothing happens before the task exists. Changes made at the same instant by the same
        # user are one write: their entries all carry the task as it was after it.
        groups = defaultdict(list)
        for when, user, fname, new, refs in events:
            groups[(max(when, opening), user)].append((fname, new, refs))
        snapshot = dict(initial)
        rows = [
            self._row(
                task.id, opening, creator, "create", None, snapshot["state"], snapshot, "opening"
            )
        ]
        for (when, user), changes in sorted(groups.items(), key=lambda item: item[0][0]):
            pending = []
            for fname, new, refs in sorted(changes, key=lambda c: LEDGER_FIELDS.index(c[0])):
                if snapshot[fname] != new:
                    pending.append((fname, snapshot[fname], new, refs))
                    snapshot[fname] = new
            if not pending:
                continue
            if {"state", "deadline", "date_done"} & {fname for fname, *_rest in pending}:
                snapshot["status_category"] = self._category_at(snapshot, local_date(when))
            for fname, old, new, refs in pending:
                row = self._row(task.id, when, user, fname, old, new, snapshot, "opening")
                row.update(refs)
                rows.append(row)
        return rows

    @api.model
    def _dated_state_events(self, task, initial, opening):
        """State changes told by the task's own dates, when the chatter tracked none."""
        state = task.state
        initial["state"] = "in_progress" if state in ("done", "cancelled") else state
        if state == "cancelled" and not task.date_done:
            initial["state"] = "assigned" if task.date_assigned else "draft"
        events = []
        user = task.write_uid.id or 1
        if state == "done" and task.date_done:
            initial.update(date_done=None, progress="0", confirmed="0", quality=None)
            events += [
                (day_start_utc(task.date_done), user, "date_done", task.date_done.isoformat(), {}),
                (day_start_utc(task.date_done), user, "progress", str(task.progress), {}),
                (day_start_utc(task.date_done), user, "state", "done", {}),
            ]
            if task.confirmed:
                confirmed_at = (
                    day_start_utc(task.confirmed_date) if task.confirmed_date else task.write_date
                )
                confirmer = task.confirmed_by_id.id or user
                events += [(confirmed_at, confirmer, "confirmed", "1", {})]
                if task.quality:
                    events += [(confirmed_at, confirmer, "quality", task.quality, {})]
        elif state == "cancelled":
            events.append((task.write_date or opening, user, "state", "cancelled", {}))
        return events

    @api.model
    def _category_at(self, snapshot, day):
        """The status category of a snapshot on ``day`` (as hy.task computes it)."""
        deadline = snapshot["deadline"] and fields.Date.from_string(snapshot["deadline"])
        done = snapshot["date_done"] and fields.Date.from_string(snapshot["date_done"])
        held = snapshot.get("with_office") == "1"
        return status_category(snapshot["state"], deadline, done, day, with_office=held) or None

    @api.model
    def _rebuild_demo_history(self, module):
        """Demo data only: demo tasks are loaded today with dates in the past; their entries are
        rebuilt as opening entries from those dates, so the demo reports of past periods have a
        history to count. Refused once the registry is ready: never on a live database."""
        if self.pool.ready or not self.env.su:
            raise UserError(
                _("The history of tasks can only be rebuilt while installing demo data.")
            )
        task_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", module), ("model", "=", "hy.task")])
            .mapped("res_id")
        )
        tasks = self.env["hy.task"].with_context(active_test=False).browse(task_ids).exists()
        if not tasks:
            return 0
        self.env.flush_all()
        # The ORM refuses deletions of ledger entries: this is the one place that removes
        # the entries written while the demo tasks were loaded, before rebuilding them.
        self.env.cr.execute(SQL("DELETE FROM hy_task_ledger WHERE task_id IN %s", tuple(tasks.ids)))
        self.invalidate_model()
        return self._open_from_history(tasks)

    # ------------------------------------------------------------------ the status feed

    @api.model
    def _status_events(self, after=0, since=None, limit=None):
        """The entries the integration API's status feed tells (``_status_event()``),
        recorded after entry ``after`` (and at or after ``since``, UTC), in the order
        recorded: those the user reads, of the tasks the user reads, archived ones included.

        Changes of state, confirmations and turns of the Office, urges, requests for
        information and their answers. A confirmation undone is not one of them: only sending
        the result back undoes it, and its change of state tells it.
        """
        tasks = self.env["hy.task"].with_context(active_test=False)._search([])
        domain = [
            "|",
            ("change", "in", ("state", "with_office", "urge", "info_request", "info_answer")),
            "&",
            ("change", "=", "confirmed"),
            ("new_value", "=", "1"),
            ("id", ">", after),
            ("task_id", "in", tasks),
        ]
        if since:
            domain.append(("timestamp", ">=", since))
        # active_test: "active" is the task's archiving after the entry, not the entry's.
        return self.with_context(active_test=False).search(domain, order="id", limit=limit)

    def _status_event(self):
        """What the status feed calls this entry: "sent_back" (the Office sent a reported
        result back: done to in progress), "state" (any other change of state), "confirmed"
        (the Office confirmed the result), "with_office" (the turn of the Office began or
        ended), "urge" (the task was urged), "info_request" (the Office asked the unit for
        information) or "info_answer" (the unit answered)."""
        self.ensure_one()
        if self.change == "state":
            back = (self.old_value, self.new_value) == ("done", "in_progress")
            return "sent_back" if back else "state"
        return self.change

    def _with_office_after(self):
        """Whether the task waited for the Office right after this entry. Entries written
        before that was recorded leave it empty: a returned task, or a result reported and
        not confirmed, says it then (as the reports' snapshot reads it)."""
        self.ensure_one()
        waiting = self.state == "returned" or (self.state == "done" and not self.confirmed)
        return self.with_office or (waiting and self.active)

    def _office_wait_after(self):
        """What the task waited for from the Office right after this entry, or False: the
        rule of hy.task._office_wait_now(), on the entry's snapshot."""
        self.ensure_one()
        if not self._with_office_after():
            return False
        if self.state == "returned":
            return "return"
        if self.state == "done" and not self.confirmed:
            return "confirmation"
        return "extension"

    @api.model
    def _position_before(self, timestamp):
        """The id after which come the entries recorded at or after ``timestamp`` (UTC): the
        entry before the first of them, or the last entry when there is none."""
        Ledger = self.with_context(active_test=False)
        first = Ledger.search([("timestamp", ">=", timestamp)], order="id", limit=1)
        if first:
            return first.id - 1
        return Ledger.search([], order="id desc", limit=1).id or 0
