import textwrap
from collections import defaultdict
from datetime import timedelta
from itertools import groupby
from operator import itemgetter

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from . import task_rules
from .hy_time import HY_TZ, hy_today  # noqa: F401 - imported from here by other modules
from .hy_write_guard import OFFICE, UNIT_OR_OFFICE
from .status_category import (
    OVERDUE_CATEGORIES,
    PROGRESS_STATUSES,
    STATUS_CATEGORIES,
    progress_status,
    status_category,
)
from .task_rules import LAST_DEADLINE  # noqa: F401 - imported from here by other modules

DUE_SOON_DAYS = 7

QUALITY_LEVELS = [
    ("excellent", "Excellent"),
    ("good", "Good"),
    ("satisfactory", "Satisfactory"),
    ("unsatisfactory", "Unsatisfactory"),
]
# Art. 7.1.g: the effectiveness of the work against what the directive required.
EFFECTIVENESS_LEVELS = [
    ("high", "Highly effective"),
    ("effective", "Effective"),
    ("limited", "Of limited effect"),
    ("ineffective", "Not effective"),
]
TASK_STATES = [
    ("draft", "Draft"),
    ("assigned", "Assigned"),
    ("returned", "Returned"),
    ("in_progress", "In Progress"),
    ("done", "Reported Done"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("assigned", "returned", "in_progress")
# Before the unit accepts a task, its deadline still follows its rule (see _deadline_by_rule).
NOT_ACCEPTED_STATES = ("draft", "assigned", "returned")
# Writing any of these recomputes the deadline of a task whose deadline follows a rule.
DEADLINE_RULE_FIELDS = {
    "deadline_rule",
    "deadline_days",
    "deadline_from",
    "date_assigned",
    "date_received",
}
DEADLINE_RULES = [
    ("date", "On a date"),
    ("working_days", "Working days"),
    ("calendar_days", "Days"),
]
DEADLINE_FROM = [("assigned", "the assignment date"), ("received", "the receipt date")]
# Whose turn it is: what an open task with the Office waits for, and the setting that gives
# the Office its own time limit for it, in working days (hy.settings).
OFFICE_WAITS = [
    ("return", "Decide on the returned task"),
    ("confirmation", "Confirm the reported result"),
    ("extension", "Decide on the extension request"),
]
OFFICE_WAIT_DAYS = {
    "return": "office_return_days",
    "confirmation": "office_confirmation_days",
    "extension": "office_extension_days",
}
# Writing any of these is the unit reporting on its task: it resets the "without update" clock.
REPORTING_FIELDS = {"progress", "result", "date_done", "state"}

# The fields whose every change the task ledger (hy.task.ledger) records.
LEDGER_FIELDS = (
    "state",
    "lead_unit_id",
    "support_unit_ids",
    "deadline",
    "progress",
    "date_done",
    "confirmed",
    "quality",
    "effectiveness",
    "active",
    "status_category",
    "authority",
    "is_classified",
    "with_office",
)
# Once the Office confirms a result, these stay as confirmed until the Office reopens the task.
CONFIRMATION_LOCKED_FIELDS = {"state", "result", "date_done", "progress"}


class HyTask(models.Model):
    """One task assigned by a directive document to a lead unit (Art. 4, 5, 7)."""

    _name = "hy.task"
    _description = "Assigned Task"
    # The mixin comes first: its overrides of mail.thread must run before it.
    _inherit = [
        "hy.write.guard",
        "hy.classified.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "deadline asc nulls last, id desc"
    _rec_names_search = ["reference", "name"]
    # Coordinating units only read a task, yet they must be able to comment on it.
    _mail_post_access = "read"
    # Who may write what (hy.write.guard). The status, the dates of assignment, receipt by the
    # software and completion, the result, the return reason, the confirmation and the
    # evaluation change only through the workflow's methods (action_*, _unit_*, the dialog).
    _hy_create_fields = dict.fromkeys(
        (
            "directive_id",
            "name",
            "kind",
            "lead_unit_id",
            "support_unit_ids",
            "followup_unit_id",
            "followup_user_id",
            "deadline",
            "deadline_rule",
            "deadline_days",
            "deadline_from",
            "date_received",
            "external_reference_ids",
        ),
        OFFICE,
    )
    _hy_write_fields = {
        **dict.fromkeys(set(_hy_create_fields) - {"directive_id"}, OFFICE),
        "active": OFFICE,
        "progress": UNIT_OR_OFFICE,
    }
    _hy_unlink_roles = OFFICE
    _hy_server_create_fields = frozenset(
        {"reference", "sequence_in_directive", "deadline", "original_deadline"}
    )
    _hy_server_write_fields = frozenset({"deadline", "original_deadline", "last_update_date"})

    reference = fields.Char(
        required=True, readonly=True, copy=False, index=True, default=lambda self: _("New")
    )
    directive_id = fields.Many2one(
        "hy.directive",
        string="Directive Document",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    authority = fields.Selection(related="directive_id.authority", store=True, index=True)
    security_level = fields.Selection(related="directive_id.security_level", store=True, index=True)
    is_classified = fields.Boolean(related="directive_id.is_classified", store=True, index=True)
    sequence_in_directive = fields.Integer(readonly=True, copy=False)
    directive_number = fields.Char(related="directive_id.number", string="Directive No.")
    name = fields.Text(
        string="Task Content", help="Never filled for tasks of classified directives (Art. 7.2.đ)."
    )
    title = fields.Char(compute="_compute_title", help="First line of the content, or a label.")
    kind = fields.Selection(
        [
            ("scheme", "Draft and submit a scheme"),
            ("report", "Draft and submit a report"),
            ("project", "Draft and submit a project"),
            ("normative_document", "Draft a legal normative document"),
            ("administrative_document", "Draft an administrative document"),
            ("other", "Other specific task"),
        ],
        string="Kind of Task",
        required=True,
        default="other",
        tracking=True,
    )
    lead_unit_id = fields.Many2one(
        "hy.unit",
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("unit_type", "!=", "office_division")],
    )
    support_unit_ids = fields.Many2many(
        "hy.unit",
        "hy_task_support_unit_rel",
        "task_id",
        "unit_id",
        string="Coordinating Units",
        domain=[("unit_type", "!=", "office_division")],
    )
    lead_unit_connected = fields.Boolean(related="lead_unit_id.connected")
    followup_unit_id = fields.Many2one(
        "hy.unit",
        string="Follow-up Division",
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("unit_type", "=", "office_division")],
    )
    followup_user_id = fields.Many2one(
        "res.users", string="Follow-up Officer", index=True, tracking=True
    )
    deadline = fields.Date(
        index=True,
        tracking=True,
        help="Deadline in force. Empty: a task without deadline (Art. 5).",
    )
    deadline_rule = fields.Selection(
        DEADLINE_RULES,
        string="Deadline Given As",
        required=True,
        default="date",
        tracking=True,
        help="On a date: the deadline is the date entered. Working days or days: the deadline "
        "is computed from the Office's working calendar (public holidays, Tết, compensatory "
        "days and swapped working Saturdays), counted from the day after the assignment or "
        "receipt date; a deadline in days that ends on a day off moves to the next working "
        "day (Civil Code, Art. 147–148). It is recomputed when those dates change, until the "
        "unit accepts the task.",
    )
    deadline_days = fields.Integer(
        string="Number of Days", tracking=True, help="How many (working) days the unit has."
    )
    deadline_from = fields.Selection(
        DEADLINE_FROM,
        string="Counted From",
        required=True,
        default="assigned",
        tracking=True,
    )
    deadline_rule_text = fields.Char(
        compute="_compute_deadline_rule_text",
        string="Deadline Rule",
        help="The rule as the directive words it, e.g. 10 working days from receipt.",
    )
    original_deadline = fields.Date(readonly=True, copy=False)
    has_deadline = fields.Boolean(compute="_compute_has_deadline", store=True, index=True)
    date_assigned = fields.Date(readonly=True, copy=False, index=True)
    date_received = fields.Date(
        string="Received On",
        copy=False,
        tracking=True,
        help="The day the lead unit received the task: the assignment date when the Office "
        "sends it through the software; the Office corrects it when the unit received the "
        "document later (on paper, a unit that does not use the software).",
    )
    days_overdue = fields.Integer(
        compute="_compute_days_overdue",
        string="Calendar Days Late",
        help="Calendar days past the deadline of an open task, counted in Vietnam's time.",
    )
    working_days_overdue = fields.Integer(
        compute="_compute_working_days",
        string="Working Days Late",
        help="Working days past the deadline of an open overdue task (the Office's calendar: "
        "weekends, public holidays, Tết and compensatory days are not counted).",
    )
    working_days_left = fields.Integer(
        compute="_compute_working_days",
        help="Working days from tomorrow to the deadline, for an open task not yet overdue: "
        "0 when the deadline is today.",
    )
    date_done = fields.Date(tracking=True, copy=False)
    progress = fields.Integer(
        default=0,
        tracking=True,
        copy=False,
        aggregator="avg",
        help="Percentage of the work done, as the lead unit reports it. Grouped rows show the "
        "average progress of their tasks.",
    )
    result = fields.Text(copy=False, help="Never filled for tasks of classified directives.")
    state = fields.Selection(
        TASK_STATES,
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    status_category = fields.Selection(
        STATUS_CATEGORIES,
        compute="_compute_status_category",
        store=True,
        index=True,
        # Not tracked: it moves with the calendar in a daily batch; the state is tracked.
        group_expand="_read_group_status_category",
    )
    progress_status = fields.Selection(
        PROGRESS_STATUSES,
        string="Status",
        compute="_compute_status_category",
        store=True,
        index=True,
        group_expand="_read_group_progress_status",
        help='The status category, except that a result the unit reported stays "reported, '
        'awaiting confirmation" until the Office confirms it: reported is not done.',
    )
    with_office = fields.Boolean(
        string="With the Office",
        compute="_compute_turn",
        store=True,
        index=True,
        help="The task waits for the Office: returned by its unit, a reported result to "
        "confirm, or an extension request to decide. Meanwhile its deadline does not run "
        "against the unit.",
    )
    office_wait = fields.Selection(
        OFFICE_WAITS, string="The Office Has To", compute="_compute_turn", store=True
    )
    office_since = fields.Date(
        string="With the Office Since", compute="_compute_turn", store=True, copy=False
    )
    office_due = fields.Date(
        string="Office's Time Limit",
        compute="_compute_turn",
        store=True,
        copy=False,
        help="The day by which the Office decides, in working days after it received the "
        "task back, the result or the request (settings).",
    )
    office_overdue = fields.Boolean(
        string="Office Late",
        compute="_compute_office_overdue",
        search="_search_office_overdue",
        help="The Office has held the task beyond its own time limit.",
    )
    timeliness = fields.Selection(
        [
            ("on_time", "On time"),
            ("due_soon", "Due within 7 days"),
            ("overdue", "Overdue"),
            ("no_deadline", "No deadline"),
        ],
        compute="_compute_status_category",
        store=True,
        index=True,
    )
    quality = fields.Selection(
        QUALITY_LEVELS,
        string="Quality Evaluation",
        tracking=True,
        copy=False,
    )
    effectiveness = fields.Selection(
        EFFECTIVENESS_LEVELS,
        string="Effectiveness Evaluation",
        tracking=True,
        copy=False,
        help="The Office's evaluation of the effect of the work against what the directive "
        "required (Art. 7.1.g), with its quality.",
    )
    evaluation_date = fields.Date(string="Evaluated On", readonly=True, copy=False)
    evaluated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    quality_comment = fields.Text(string="Evaluation Comment", copy=False)
    confirmed = fields.Boolean(tracking=True, copy=False, index=True)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_date = fields.Date(readonly=True, copy=False)
    return_reason = fields.Text(tracking=True, copy=False)
    extension_ids = fields.One2many("hy.task.extension", "task_id", string="Deadline Extensions")
    extension_pending = fields.Boolean(compute="_compute_extension_pending", store=True)
    pending_extension_id = fields.Many2one(
        "hy.task.extension", compute="_compute_pending_extension_id"
    )
    pending_extension_deadline = fields.Date(
        compute="_compute_pending_extension_id", string="Proposed Deadline"
    )
    pending_extension_requester_id = fields.Many2one(
        "res.users", compute="_compute_pending_extension_id", string="Extension Requested By"
    )
    transfer_ids = fields.One2many("hy.task.transfer", "task_id", string="Transfers")
    update_ids = fields.One2many("hy.task.update", "task_id", string="Progress Updates")
    external_reference_ids = fields.One2many(
        "hy.external.reference",
        "res_id",
        string="External References",
        domain=[("res_model", "=", "hy.task")],
        groups="hy_task_tracking.group_office_officer",
        readonly=True,
        help="How the systems that sent or update this task through the API name it.",
    )
    color = fields.Integer(related="lead_unit_id.sequence", string="Color Index")
    last_update_date = fields.Datetime(
        readonly=True, copy=False, index=True, help="Last time the unit reported on the task."
    )
    active = fields.Boolean(default=True, tracking=True)
    ledger_ids = fields.One2many(
        "hy.task.ledger",
        "task_id",
        string="History",
        groups="hy_task_tracking.group_office_officer,hy_task_tracking.group_leadership",
    )

    _sql_constraints = [
        (
            "progress_range",
            "CHECK(progress >= 0 AND progress <= 100)",
            "Progress is a percentage between 0 and 100.",
        ),
        (
            "classified_without_content",
            (
                "CHECK(is_classified IS NOT TRUE OR (name IS NULL AND result IS NULL "
                "AND return_reason IS NULL AND quality_comment IS NULL))"
            ),
            "A task of a classified directive cannot hold content or result detail.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("deadline")
    def _compute_has_deadline(self):
        for task in self:
            task.has_deadline = bool(task.deadline)

    @api.depends("state", "confirmed", "active", "extension_pending")
    def _compute_turn(self):
        today = hy_today()
        waiting = {}
        for task in self:
            wait = task._office_wait_now()
            task.with_office = bool(wait)
            task.office_wait = wait
            # Computed when the turn changes: the day it came to the Office.
            task.office_since = today if wait else False
            if wait:
                waiting[task] = wait
        # The calendar is loaded only when some task is with the Office.
        working_days = waiting and self._working_days(today)
        settings = self.env["hy.settings"]
        for task in self:
            wait = waiting.get(task)
            days = wait and settings._hy_param(OFFICE_WAIT_DAYS[wait])
            task.office_due = working_days.add(today, days) if wait else False

    def _office_wait_now(self):
        """What the task waits for from the Office now, or False (see OFFICE_WAITS)."""
        self.ensure_one()
        if not self.active or self.state not in OPEN_STATES + ("done",):
            return False
        if self.state == "returned":
            return "return"
        if self.state == "done":
            return False if self.confirmed else "confirmation"
        return "extension" if self.extension_pending else False

    def _compute_office_overdue(self):
        today = hy_today()
        for task in self:
            task.office_overdue = (
                task.with_office and bool(task.office_due) and (task.office_due < today)
            )

    def _search_office_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported"))
        late = [("with_office", "=", True), ("office_due", "<", hy_today())]
        return late if (operator == "=") == value else ["!", *late]

    @api.depends("state", "deadline", "date_done", "confirmed", "with_office")
    def _compute_status_category(self):
        today = hy_today()
        due_soon_limit = today + timedelta(days=DUE_SOON_DAYS)
        for task in self:
            deadline, state = task.deadline, task.state
            held = task.with_office
            task.status_category = status_category(
                state, deadline, task.date_done, today, with_office=held
            )
            task.progress_status = progress_status(
                state, deadline, task.date_done, today, confirmed=task.confirmed, with_office=held
            )
            if not deadline:
                task.timeliness = "no_deadline"
            elif task.status_category in OVERDUE_CATEGORIES + ("done_late",):
                task.timeliness = "overdue"
            elif state in OPEN_STATES and not held and deadline <= due_soon_limit:
                task.timeliness = "due_soon"
            else:
                task.timeliness = "on_time"

    @api.depends("status_category", "deadline")
    def _compute_days_overdue(self):
        today = hy_today()
        for task in self:
            overdue = task.status_category in OVERDUE_CATEGORIES
            task.days_overdue = (today - task.deadline).days if overdue else 0

    @api.depends("status_category", "deadline")
    def _compute_working_days(self):
        today = hy_today()
        dated = self.filtered(lambda t: t.deadline and t.state in OPEN_STATES)
        (self - dated).update({"working_days_overdue": 0, "working_days_left": 0})
        working_days = dated and dated._working_days(today)
        overdue_tasks = dated.filtered(lambda t: t.status_category in OVERDUE_CATEGORIES)
        office_days = overdue_tasks._office_working_days_after_deadline(working_days, today)
        for task in dated:
            count = working_days.count(task.deadline, today)
            overdue = task in overdue_tasks
            # Late against the unit: the working days after the deadline it held the task.
            late = count - office_days.get(task.id, 0)
            task.working_days_overdue = max(late, 0) if overdue else 0
            task.working_days_left = 0 if overdue else max(-count, 0)

    def _office_working_days_after_deadline(self, working_days, today):
        """{task id: working days after its deadline (up to ``today``) the task was with the
        Office}, from the ledger, in one query: the Office's time is not the unit's delay.

        A day d counts for the Office when the task came to it before d and left on d or
        later: returned on the 8th and decided on the 15th, the Office had the 9th to the 15th.
        """
        if not self:
            return {}
        # sudo: the ledger is the Office's; only dates of the turns are read, for a figure.
        self.env["hy.task.ledger"].sudo().flush_model()  # sudo: see above
        self.env.cr.execute(
            SQL(
                """
                SELECT task_id, date,
                       COALESCE(with_office, state = 'returned') AS held
                  FROM hy_task_ledger
                 WHERE task_id IN %s
              ORDER BY task_id, timestamp, id
                """,
                tuple(self.ids),
            )
        )
        deadlines = {task.id: task.deadline for task in self}
        days = defaultdict(int)
        for task_id, entries in groupby(self.env.cr.fetchall(), key=itemgetter(0)):
            deadline, since = deadlines[task_id], None
            for _task_id, day, held in entries:
                if held and since is None:
                    since = day
                elif not held and since is not None:
                    days[task_id] += max(working_days.count(max(since, deadline), day), 0)
                    since = None
            if since is not None:
                days[task_id] += max(working_days.count(max(since, deadline), today), 0)
        return dict(days)

    @api.depends(
        "deadline_rule",
        "deadline_days",
        "deadline_from",
        "extension_ids.state",
        "original_deadline",
    )
    def _compute_deadline_rule_text(self):
        for task in self:
            days, received = task.deadline_days, task.deadline_from == "received"
            extended = any(e.state == "approved" for e in task.extension_ids)
            if extended and task.deadline and task.original_deadline:
                # The rule gave the original deadline; an approved extension replaced it.
                task.deadline_rule_text = _(
                    "extended to %(deadline)s, original deadline %(original)s",
                    deadline=task.deadline.strftime("%d/%m/%Y"),
                    original=task.original_deadline.strftime("%d/%m/%Y"),
                )
            elif task.deadline_rule == "working_days" and received:
                task.deadline_rule_text = _("%s working days from receipt", days)
            elif task.deadline_rule == "working_days":
                task.deadline_rule_text = _("%s working days from assignment", days)
            elif task.deadline_rule == "calendar_days" and received:
                task.deadline_rule_text = _("%s days from receipt", days)
            elif task.deadline_rule == "calendar_days":
                task.deadline_rule_text = _("%s days from assignment", days)
            else:
                task.deadline_rule_text = False

    @api.model
    def _read_group_status_category(self, values, domain):
        return [key for key, _label in STATUS_CATEGORIES]

    @api.model
    def _read_group_progress_status(self, values, domain):
        return [key for key, _label in PROGRESS_STATUSES]

    @api.depends("extension_ids.state")
    def _compute_extension_pending(self):
        for task in self:
            task.extension_pending = any(e.state == "requested" for e in task.extension_ids)

    @api.depends("extension_ids.state", "extension_ids.new_deadline")
    def _compute_pending_extension_id(self):
        for task in self:
            pending = task.extension_ids.filtered(lambda e: e.state == "requested")[:1]
            task.pending_extension_id = pending
            task.pending_extension_deadline = pending.new_deadline
            task.pending_extension_requester_id = pending.requested_by_id

    @api.depends("name", "is_classified", "sequence_in_directive", "directive_id.task_total")
    def _compute_title(self):
        for task in self:
            if task.is_classified or not task.name:
                # Art. 7.2.đ: a classified directive shows only how many tasks it holds.
                task.title = _(
                    "Task %(index)s/%(total)s",
                    index=task.sequence_in_directive or "?",
                    total=task.directive_id.task_total or "?",
                )
            else:
                # Cut between words, and say so: "...(qua Công" reads as a typo.
                task.title = textwrap.shorten(task.name.splitlines()[0], 120, placeholder=" …")

    @api.depends("reference", "title")
    def _compute_display_name(self):
        for task in self:
            task.display_name = f"{task.reference} – {task.title}" if task.reference else task.title

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for task in self:
            task.access_url = f"/my/hy_tasks/{task.id}"
        return res

    # ------------------------------------------------------------------ constraints

    # The rules themselves, and their words, are in task_rules: the API and the import check
    # the same ones before writing.

    @api.constrains("deadline", "directive_id")
    def _check_deadline(self):
        for task in self:
            task._raise_broken_rule(
                task_rules.deadline_after_last(self.env, task.deadline),
                task_rules.deadline_before_issue(
                    self.env, task.deadline, task.directive_id.issue_date
                ),
            )

    @api.constrains("deadline_rule", "deadline_days")
    def _check_deadline_days(self):
        for task in self:
            task._raise_broken_rule(
                task_rules.deadline_days_missing(self.env, task.deadline_rule, task.deadline_days)
            )

    @api.constrains("date_done", "state", "date_assigned")
    def _check_date_done(self):
        today = hy_today()
        for task in self:
            task._raise_broken_rule(
                task_rules.date_done_missing(self.env, task.state, task.date_done),
                task_rules.date_done_in_future(self.env, task.date_done, today),
                task_rules.done_before_assigned(self.env, task.date_done, task.date_assigned),
            )

    @api.constrains("name", "result", "directive_id", "state", "return_reason", "quality_comment")
    def _check_content(self):
        # Holds under sudo() too: classified content must never reach the database.
        for task in self:
            classified = task.directive_id.is_classified
            contents = (task.name, task.result, task.return_reason, task.quality_comment)
            task._raise_broken_rule(
                task_rules.classified_task_content(self.env, classified, *contents),
                task_rules.task_content_missing(self.env, classified, task.name),
            )

    @api.constrains("lead_unit_id", "support_unit_ids")
    def _check_support_units(self):
        for task in self:
            task._raise_broken_rule(
                task_rules.lead_in_support(self.env, task.lead_unit_id, task.support_unit_ids)
            )

    def _raise_broken_rule(self, *messages):
        """Refuse with the first of the rules' ``messages`` (None when kept), naming the task."""
        message = next(filter(None, messages), None)
        if message:
            raise ValidationError(task_rules.for_task(self.env, self.reference, message))

    @api.onchange("deadline_rule", "deadline_days", "deadline_from", "date_received")
    def _onchange_deadline_rule(self):
        """Show the date a rule gives while the Office types it (the server sets it anyway)."""
        if self.deadline_rule == "date" or self.deadline_days <= 0:
            return
        if self.state in NOT_ACCEPTED_STATES:
            values = {name: self[name] for name in DEADLINE_RULE_FIELDS}
            self.deadline = self._deadlines_by_rule([values])[0]

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        sequence = self.env["ir.sequence"]
        directive_ids = {vals["directive_id"] for vals in vals_list if vals.get("directive_id")}
        # Numbering within a directive is metadata the regulation allows for every level, so it
        # is counted as superuser: a user may not see all tasks of the directive.
        counts = dict(
            self.sudo()
            .with_context(active_test=False)
            ._read_group(
                [("directive_id", "in", list(directive_ids))], ["directive_id"], ["__count"]
            )
        )
        next_index = {d.id: c for d, c in counts.items()}
        self._apply_deadline_rules(vals_list)
        for vals in vals_list:
            if vals.get("reference", _("New")) == _("New"):
                vals["reference"] = sequence.next_by_code("hy.task") or _("New")
            directive_id = vals.get("directive_id")
            if directive_id:
                next_index[directive_id] = next_index.get(directive_id, 0) + 1
                vals["sequence_in_directive"] = next_index[directive_id]
        tasks = super().create(vals_list)
        self.env["hy.task.ledger"]._record_create(tasks)
        return tasks

    def write(self, vals):
        if not self.env.su:
            # The caller's values, before this method adds its own (_hy_server_write_fields).
            self._hy_check_fields("write", vals)
            # Whether the user may write these tasks at all comes first: a refusal about a
            # task the user cannot see must not describe it.
            self.check_access("write")
            self._check_lead_unit_change(vals)
        if DEADLINE_RULE_FIELDS & set(vals) and not self.env.context.get("hy_deadline_ruled"):
            return self._write_ruled_deadlines(vals)
        self._check_confirmation_lock(vals)
        if REPORTING_FIELDS & set(vals):
            vals = dict(vals, last_update_date=fields.Datetime.now())
        Ledger = self.env["hy.task.ledger"]
        # Whatever the path (form, portal, API, import, cron, sudo), the ledger records it.
        before = Ledger._snapshot(self) if set(LEDGER_FIELDS) & set(vals) else None
        res = super().write(vals)
        if before is not None:
            Ledger._record_changes(self, before)
        if {"state", "deadline", "last_update_date"} & set(vals):
            self._close_settled_activities(reported="last_update_date" in vals)
        if "state" in vals:
            self.env["hy.classified.access.log"]._log(
                self.filtered("is_classified"), "status_change", vals["state"]
            )
        return res

    def _write_ruled_deadlines(self, vals):
        """``write`` of a value a deadline rule depends on: each task whose deadline follows
        its rule gets the deadline the new values give, in the same write (so the ledger
        records both); the calendar is loaded once for all of them."""
        ruled = self.filtered(
            lambda task: (
                vals.get("deadline_rule", task.deadline_rule) != "date"
                and vals.get("state", task.state) in NOT_ACCEPTED_STATES
                # An approved extension replaced the rule's date: it stays.
                and not any(e.state == "approved" for e in task.extension_ids)
            )
        )
        merged = {
            task: {
                name: vals[name] if name in vals else task[name]
                for name in (*DEADLINE_RULE_FIELDS, "state")
            }
            for task in ruled
        }
        deadlines = self._deadlines_by_rule(list(merged.values()))
        groups = defaultdict(lambda: self.browse())
        for (task, values), deadline in zip(merged.items(), deadlines, strict=True):
            # Once assigned, the original deadline is the rule's date until an extension.
            groups[deadline, values["state"] != "draft"] |= task
        this = self.with_context(hy_deadline_ruled=True)
        rest = this - ruled
        if rest:
            rest.write(vals)
        for (deadline, assigned), tasks in groups.items():
            extra = {"deadline": deadline}
            if assigned:
                extra["original_deadline"] = deadline
            tasks.with_context(hy_deadline_ruled=True).write(dict(vals, **extra))
        return True

    @api.model
    def _apply_deadline_rules(self, vals_list):
        """Fill ``deadline`` in the values of new tasks whose deadline follows a rule."""
        ruled = [vals for vals in vals_list if vals.get("deadline_rule", "date") != "date"]
        for vals, deadline in zip(ruled, self._deadlines_by_rule(ruled), strict=True):
            vals["deadline"] = deadline
            if vals.get("state", "draft") != "draft":
                vals["original_deadline"] = deadline

    @api.model
    def _rule_base_date(self, values):
        """The date a rule counts from: the receipt date (or, until known, the assignment
        date), or the assignment date; for a draft, provisionally today."""
        received = fields.Date.to_date(values.get("date_received"))
        assigned = fields.Date.to_date(values.get("date_assigned"))
        if values.get("deadline_from") == "received":
            return received or assigned or hy_today()
        return assigned or hy_today()

    @api.model
    def _deadlines_by_rule(self, values_list):
        """The deadline each dict of values gives (keys ``deadline_rule``, ``deadline_days``,
        ``deadline_from``, ``date_assigned``, ``date_received``; dates or ISO strings), in
        the Office's calendar loaded once for all. False for a rule ``date``."""
        if not values_list:
            return []
        bases = [self._rule_base_date(values) for values in values_list]
        working_days = self.env["resource.calendar"]._hy_working_days(min(bases), max(bases))
        return [
            working_days.deadline(
                values.get("deadline_rule"), values.get("deadline_days") or 0, base
            )
            for values, base in zip(values_list, bases, strict=True)
        ]

    @api.model
    def _deadline_by_rule(self, rule, days, date_from):
        """The deadline of ``days`` working days (rule ``working_days``) or days (rule
        ``calendar_days``) counted from the day after ``date_from``, in the Office's calendar.
        For the API and the import, which check a deadline before writing it."""
        values = {"deadline_rule": rule, "deadline_days": days, "date_assigned": date_from}
        return self._deadlines_by_rule([values])[0]

    def _working_days(self, *days):
        """The Office's ``WorkingDays``, loaded once around these tasks' deadlines and days."""
        dates = [deadline for deadline in self.mapped("deadline") if deadline] + list(days)
        return self.env["resource.calendar"]._hy_working_days(min(dates), max(dates))

    def _portal_ensure_token(self):
        # A shareable link must never reach a classified task: portal members log in.
        if any(self.mapped("is_classified")):
            raise UserError(_("Tasks of classified directives cannot be shared by link."))
        return super()._portal_ensure_token()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        # A task once assigned has a history (ledger, reports) that outlives it: a draft
        # it went back to (cancelled, reset) is archived, not deleted.
        tasks = self.sudo()  # sudo: whether it was assigned decides, whoever deletes
        if any(task.state != "draft" or task.date_assigned for task in tasks):
            raise UserError(_("Assigned tasks cannot be deleted: archive them instead."))

    # ------------------------------------------------------------------ access helpers

    def _check_lead_unit_change(self, vals):
        """Once assigned, a task changes lead unit by a transfer only (Art. 6.2.a), which keeps
        the history of who led it when; before, or when returned, the Office adjusts it."""
        if "lead_unit_id" not in vals:
            return
        moved = self.filtered(
            lambda task: (
                task.state not in ("draft", "returned")
                and task._differs("lead_unit_id", vals["lead_unit_id"])
            )
        )
        if moved:
            raise UserError(
                _(
                    "Task %s is assigned: transfer it to change its lead unit.",
                    moved[0].reference,
                )
            )

    def _check_confirmation_lock(self, vals):
        """A confirmed result is locked for everyone, on every path, sudo() included.

        The only way back is the Office reopening the task (``_send_back``): back in progress,
        unconfirmed, without completion date, with a reason that goes to the ledger.
        """
        locked = CONFIRMATION_LOCKED_FIELDS & set(vals)
        if not locked:
            return
        # sudo: whether a result is confirmed decides the lock, whoever writes.
        confirmed = self.sudo().filtered(
            lambda task: (
                task.confirmed and any(task._differs(fname, vals[fname]) for fname in locked)
            )
        )
        if not confirmed:
            return
        reopening = (
            "confirmed" in vals
            and not vals["confirmed"]
            and vals.get("state") == "in_progress"
            and "date_done" in vals
            and not vals["date_done"]
        )
        if not reopening:
            raise UserError(
                _(
                    "Task %s is confirmed: its result, completion date, progress and status can "
                    "no longer change. Only the Provincial Office can reopen it by sending it "
                    "back, with a reason.",
                    confirmed[0].reference,
                )
            )
        # The user, not the superuser flag: sudo() code run by a unit cannot reopen either.
        if not self.env.user.has_group("hy_task_tracking.group_office_officer"):
            raise AccessError(_("Only the Provincial Office can reopen a confirmed task."))
        note = (self.env.context.get("hy_ledger_note") or "").strip()
        if not note and not all(confirmed.mapped("is_classified")):
            raise UserError(_("Please say why the confirmed result is reopened."))

    def _differs(self, fname, value):
        """Whether writing ``value`` would change ``fname`` (re-sending a value changes nothing)."""
        field = self._fields[fname]
        return field.convert_to_record(field.convert_to_cache(value, self), self) != self[fname]

    @api.model
    def _check_office(self, manager=False, message=None):
        """Refuse whoever is not of the Provincial Office (of its managers, with ``manager``):
        the guard of every action reserved to the Office, on tasks and reports alike.
        ``message``, a lazy translation (_lt), says what was refused."""
        group = "group_office_manager" if manager else "group_office_officer"
        if not self.env.su and not self.env.user.has_group(f"hy_task_tracking.{group}"):
            raise AccessError(
                self.env._(message) if message else _("Only the Provincial Office can do this.")
            )

    def _check_states(self, allowed, action):
        wrong = self.filtered(lambda t: t.state not in allowed)
        if wrong:
            raise UserError(
                _(
                    "%(action)s is not possible for task %(task)s in its current status.",
                    action=action,
                    task=wrong[0].reference,
                )
            )
