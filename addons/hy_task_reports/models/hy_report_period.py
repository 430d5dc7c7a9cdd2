from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.hy_task_tracking.models.hy_time import hy_today
from odoo.addons.hy_task_tracking.models.hy_write_guard import OFFICE

from .report_figures import (
    CATEGORY_ORDER,
    COUNT_FIELDS,
    FIGURE_DOMAINS,
    FROZEN_STATES,
    OFFICE_AND_LEADERSHIP,
    OFFICE_FIGURES,
    OFFICE_ROW_FIGURES,
    PREPARING_STATES,
    RATE_FIELDS,
    SUM_FIELDS,
    TURN_FIGURES,
    URGE_FIGURES,
    derived_figures,
    quality_count_points,
    shown_rate,
)

_lt = LazyTranslate(__name__)

# What the Office's guards answer whoever may not prepare, or approve and publish, a report.
NOT_OFFICE = _lt("Only the Provincial Office can prepare reports.")
NOT_OFFICE_MANAGER = _lt("Only the Office's leadership can approve or publish a report.")
# The totals of a period: stored by computing it, never written otherwise.
TOTAL_FIELDS = (*COUNT_FIELDS, *SUM_FIELDS, *RATE_FIELDS)
# What the totals add up from the lines; the rates are derived from these sums.
LINE_SUMS = (*COUNT_FIELDS, *SUM_FIELDS)
# The Office and the leadership read the province's totals, the Office's own line and the
# evaluation being drafted (OFFICE_AND_LEADERSHIP); the units read the totals of their own
# lines (my_*) and the evaluation once approved (published_evaluation).
# The totals of the lines the reader may read (my_*): computed, never stored.
MY_TOTAL = {"compute": "_compute_my_totals"}
MY_RATE = {"compute": "_compute_my_totals", "digits": (5, 2)}
# What the public results page, its CSV and its JSON show of each unit: aggregates only.
PUBLIC_FIGURES = (
    "assigned_count",
    *(f"{key}_count" for key in CATEGORY_ORDER),
    "awaiting_confirmation_count",
    "no_deadline_count",
    "overdue_count",
    "transferred_in_count",
    "transferred_out_count",
    "extended_count",
    "unit_days",
    "office_days",
    # A number per unit, never which tasks (and without those of classified directives).
    "urge_count",
    "on_time_rate",
    "score",
    "rank",
)
# The rates of the public figures: empty (null, "–") when they have nothing to count.
PUBLIC_RATES = ("on_time_rate", "score")
# The first and last days of a period: set by its kind and year, chosen for an ad-hoc report.
PERIOD_DATE = {
    "compute": "_compute_dates",
    "store": True,
    "readonly": False,
    "precompute": True,
    "required": True,
    "tracking": True,
}
PERIOD_KINDS = [("six_month", "Six-month"), ("annual", "Annual"), ("ad_hoc", "Ad hoc")]
# What a 6-month or annual report counts unless the Office chooses otherwise (Art. 18.2): the
# tasks assigned by the Provincial People's Committee and its Chairman.
DEFAULT_AUTHORITIES = ("province", "province_chairman")
# What decides the figures: changing it sends a computed period back to draft, and it can
# no longer change once the period is approved.
FIGURE_INPUTS = (
    "kind",
    "year",
    "date_from",
    "date_to",
    "authority_ids",
    "unit_ids",
    "weight_completion",
    "weight_quality",
    "late_credit",
)
# The text of the report is frozen with its figures; the number and date of the document are
# given by the clerical office when it is issued, after approval.
FROZEN_TEXT = ("evaluation", "signer_name", "signer_title", "recipients")
# The number and date of the document, given by the clerical office when it is issued: in
# the files of the report, which are made again when they change before publication.
DOCUMENT_FIELDS = ("document_number", "document_date")
# Art. 19.1: units report on their 6-month and annual work, by the deadlines of the task
# tracking settings (report_deadlines), in this order.
UNIT_REPORT_KINDS = ("six_month", "annual")
# How long the 6-month and annual periods run, up to their cut-off (settings' period_cutoffs).
PERIOD_MONTHS = {"six_month": 6, "annual": 12}
DEFAULT_RECIPIENTS = "- UBND tỉnh;\n- Chủ tịch, các PCT UBND tỉnh;\n- Các sở, ban, ngành;\n- UBND các huyện, thị xã, thành phố;\n- Lưu: VT, TH."  # noqa: E501


class HyReportPeriod(models.Model):
    """A 6-month, annual or ad-hoc report on how each unit carried out its tasks (Art. 18.2)."""

    _name = "hy.report.period"
    _description = "Task Report Period"
    _inherit = [
        "hy.write.guard",
        "hy.report.figures",
        "hy.report.turn.figures",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_to desc, kind, revision desc, id desc"
    # Who may write what (hy.write.guard): the Office prepares the scope and the text; the
    # status, the figures, the revisions and who approved and published when are set by the
    # actions only (action_compute, action_approve, action_publish...), after their checks.
    _hy_create_fields = dict.fromkeys(
        (
            *FIGURE_INPUTS,
            *FROZEN_TEXT,
            "document_number",
            "document_date",
            "unit_report_deadline",
            "collect_unit_reports",
        ),
        OFFICE,
    )
    _hy_write_fields = _hy_create_fields
    _hy_unlink_roles = OFFICE

    # Not stored: the title is generated from the scope in the reader's language.
    name = fields.Char(
        string="Title",
        compute="_compute_name",
        search="_search_name",
        help="Generated from the scope: the authorities whose tasks are counted and the period.",
    )
    kind = fields.Selection(PERIOD_KINDS, required=True, default="six_month", tracking=True)
    year = fields.Integer(
        default=lambda self: hy_today().year,
        help="Year of a 6-month or annual report: sets its dates.",
    )
    date_from = fields.Date(string="From", **PERIOD_DATE)
    date_to = fields.Date(string="To", index=True, **PERIOD_DATE)
    authority_ids = fields.Many2many(
        "hy.report.authority",
        string="Issuing Authorities",
        compute="_compute_authority_ids",
        store=True,
        readonly=False,
        precompute=True,
        help="Only tasks of directives of these authorities; the title names them. Empty: all "
        "authorities. By default a 6-month or annual report counts the tasks assigned by the "
        "Provincial People's Committee and its Chairman.",
    )
    unit_ids = fields.Many2many(
        "hy.unit",
        "hy_report_period_unit_rel",
        "period_id",
        "unit_id",
        string="Units",
        domain=[("unit_type", "!=", "office_division")],
        help="Only tasks led by these units; each of them gets a line even without tasks. "
        "Empty: every unit with a task in the period.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("computed", "Computed"),
            ("approved", "Approved"),
            ("published", "Published"),
            ("superseded", "Superseded"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many("hy.report.line", "period_id", string="Units' Figures", copy=False)
    line_count = fields.Integer(compute="_compute_line_count", string="Number of Units")
    evaluation = fields.Text(
        string="Overall Evaluation",
        groups=OFFICE_AND_LEADERSHIP,
        help="The Office's evaluation of the period, in the report.",
    )
    published_evaluation = fields.Text(
        string="Approved Evaluation",
        compute="_compute_published_evaluation",
        help="The Office's overall evaluation, as the units read it: once the report is approved.",
    )
    document_number = fields.Char(
        string="Number / Symbol",
        tracking=True,
        help="Number and symbol of the report, e.g. 125/BC-VPUBND; given when it is issued.",
    )
    document_date = fields.Date(tracking=True)
    signer_name = fields.Char(string="Signed By")
    signer_title = fields.Char(
        string="Signer's Title", default="KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG"
    )
    recipients = fields.Text(default=DEFAULT_RECIPIENTS)
    unit_report_deadline = fields.Date(
        string="Last Day for Units' Reports",
        compute="_compute_unit_report_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Last day on which units' own reports are on time (Art. 19.1), from the task "
        "tracking settings: the regulation's 'before 20 June' (6-month report) and 'before 30 "
        "November' (annual report) make 19 June and 29 November by default.",
    )
    collect_unit_reports = fields.Boolean(
        string="Collect Units' Reports",
        compute="_compute_collect_unit_reports",
        store=True,
        readonly=False,
        precompute=True,
        help="Units submit their own report for this period through the portal.",
    )
    weight_completion = fields.Float(
        string="Weight: Completion",
        default=70.0,
        help="Weight of the completion points: tasks done on time, and late, among those rated.",
    )
    weight_quality = fields.Float(
        string="Weight: Quality",
        default=30.0,
        help="Weight of the quality points: the Office's evaluations of the results.",
    )
    late_credit = fields.Float(
        string="Credit of a Late Result (%)",
        default=50.0,
        help="What a task done late earns, as a percentage of a task done on time.",
    )
    # Revisions: a frozen report is never recomputed; a new revision is.
    revision = fields.Integer(default=1, readonly=True, copy=False)
    previous_revision_id = fields.Many2one(
        "hy.report.period", readonly=True, copy=False, index=True, ondelete="restrict"
    )
    root_revision_id = fields.Many2one(
        "hy.report.period",
        string="First Revision",
        compute="_compute_root_revision_id",
        store=True,
        index=True,
        recursive=True,
    )
    revision_ids = fields.Many2many(
        "hy.report.period",
        "hy_report_period_revision_rel",
        "period_id",
        "revision_id",
        compute="_compute_revision_ids",
        string="Revisions",
    )
    revision_count = fields.Integer(compute="_compute_revision_ids")
    computed_date = fields.Datetime(string="Figures Computed On", readonly=True, copy=False)
    urges_counted = fields.Boolean(
        readonly=True,
        copy=False,
        help="The figures count the times the tasks were urged. Reports approved before "
        'urges were counted (18.0.1.6.0) keep them empty, shown as "–".',
    )
    delay_unit = fields.Selection(
        [("working", "Working days"), ("calendar", "Calendar days")],
        string="Delays Counted In",
        default="working",
        readonly=True,
        copy=False,
        help="Delays are counted in working days of the Office's calendar (weekends, public "
        "holidays, Tết and compensatory days left out). Reports computed before 18.0.1.5.0 of "
        "Task Tracking counted calendar days, and keep them once approved.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    published_date = fields.Datetime(readonly=True, copy=False)
    # Units' own reports (Art. 19.1)
    submission_ids = fields.One2many(
        "hy.report.unit.submission", "period_id", string="Units' Reports", copy=False
    )
    expected_unit_ids = fields.Many2many(
        "hy.unit", compute="_compute_submission_status", string="Units Expected to Report"
    )
    submitted_unit_ids = fields.Many2many(
        "hy.unit", compute="_compute_submission_status", string="Units That Reported"
    )
    missing_unit_ids = fields.Many2many(
        "hy.unit", compute="_compute_submission_status", string="Units That Have Not Reported"
    )
    submission_count = fields.Integer(compute="_compute_submission_status", string="Reports")
    late_submission_count = fields.Integer(
        compute="_compute_submission_status", string="Late Reports"
    )
    missing_unit_count = fields.Integer(compute="_compute_submission_status", string="Missing")
    # The province's totals (hy.report.figures), stored when the period is computed: the
    # Office's and the leadership's only, on every path (read, search, sort, group, export).
    assigned_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    done_on_time_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    done_late_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    awaiting_confirmation_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    in_progress_on_time_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    in_progress_overdue_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    not_started_on_time_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    not_started_overdue_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    no_deadline_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    done_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    done_no_deadline_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    overdue_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    rated_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    returned_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    transferred_in_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    transferred_out_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    extended_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    classified_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    quality_excellent_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    quality_good_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    quality_satisfactory_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    quality_unsatisfactory_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    effectiveness_high_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    effectiveness_effective_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    effectiveness_limited_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    effectiveness_ineffective_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    quality_points = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    total_delay_days = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    unit_days = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    office_days = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    urge_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    urged_task_count = fields.Integer(groups=OFFICE_AND_LEADERSHIP)
    avg_delay_days = fields.Float(groups=OFFICE_AND_LEADERSHIP)
    on_time_rate = fields.Float(groups=OFFICE_AND_LEADERSHIP)
    completion_score = fields.Float(groups=OFFICE_AND_LEADERSHIP)
    quality_score = fields.Float(groups=OFFICE_AND_LEADERSHIP)
    # What a unit reads instead: the same totals over the lines its record rules let it read.
    my_assigned_count = fields.Integer("Your Units: Tasks Counted", **MY_TOTAL)
    my_done_on_time_count = fields.Integer("Your Units: Done on Time", **MY_TOTAL)
    my_done_late_count = fields.Integer("Your Units: Done Late", **MY_TOTAL)
    my_awaiting_confirmation_count = fields.Integer("Your Units: Awaiting Confirmation", **MY_TOTAL)
    my_in_progress_on_time_count = fields.Integer("Your Units: In Progress, on Time", **MY_TOTAL)
    my_in_progress_overdue_count = fields.Integer("Your Units: In Progress, Overdue", **MY_TOTAL)
    my_not_started_on_time_count = fields.Integer("Your Units: Not Started, on Time", **MY_TOTAL)
    my_not_started_overdue_count = fields.Integer("Your Units: Not Started, Overdue", **MY_TOTAL)
    my_no_deadline_count = fields.Integer("Your Units: Without Deadline", **MY_TOTAL)
    my_done_count = fields.Integer("Your Units: Done (Confirmed)", **MY_TOTAL)
    my_done_no_deadline_count = fields.Integer("Your Units: Done, Without Deadline", **MY_TOTAL)
    my_overdue_count = fields.Integer("Your Units: Overdue", **MY_TOTAL)
    my_rated_count = fields.Integer("Your Units: Tasks Rated", **MY_TOTAL)
    my_returned_count = fields.Integer("Your Units: Returned", **MY_TOTAL)
    my_transferred_in_count = fields.Integer("Your Units: Transferred In", **MY_TOTAL)
    my_transferred_out_count = fields.Integer("Your Units: Transferred Out", **MY_TOTAL)
    my_extended_count = fields.Integer("Your Units: Deadline Extended", **MY_TOTAL)
    my_classified_count = fields.Integer("Your Units: Of Classified Directives", **MY_TOTAL)
    my_quality_excellent_count = fields.Integer("Your Units: Excellent", **MY_TOTAL)
    my_quality_good_count = fields.Integer("Your Units: Good", **MY_TOTAL)
    my_quality_satisfactory_count = fields.Integer("Your Units: Satisfactory", **MY_TOTAL)
    my_quality_unsatisfactory_count = fields.Integer("Your Units: Unsatisfactory", **MY_TOTAL)
    my_effectiveness_high_count = fields.Integer("Your Units: Highly Effective", **MY_TOTAL)
    my_effectiveness_effective_count = fields.Integer("Your Units: Effective", **MY_TOTAL)
    my_effectiveness_limited_count = fields.Integer("Your Units: Of Limited Effect", **MY_TOTAL)
    my_effectiveness_ineffective_count = fields.Integer("Your Units: Not Effective", **MY_TOTAL)
    my_quality_points = fields.Integer("Your Units: Evaluation Points", **MY_TOTAL)
    my_total_delay_days = fields.Integer("Your Units: Total Delay (working days)", **MY_TOTAL)
    my_unit_days = fields.Integer("Your Units: Working Days with the Unit", **MY_TOTAL)
    my_office_days = fields.Integer("Your Units: Working Days with the Office", **MY_TOTAL)
    my_urge_count = fields.Integer("Your Units: Times Urged", **MY_TOTAL)
    my_urged_task_count = fields.Integer("Your Units: Tasks Urged", **MY_TOTAL)
    my_avg_delay_days = fields.Float(
        "Your Units: Average Delay (working days)", digits=(16, 1), **MY_TOTAL
    )
    my_on_time_rate = fields.Float("Your Units: On-time Rate (%)", **MY_RATE)
    my_completion_score = fields.Float("Your Units: Completion Points", **MY_RATE)
    my_quality_score = fields.Float("Your Units: Quality Points", **MY_RATE)
    _sql_constraints = [
        (
            "revision_unique",
            "unique(previous_revision_id)",
            "A report has only one next revision.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("kind", "year", "date_from", "date_to", "authority_ids")
    @api.depends_context("lang")
    def _compute_name(self):
        for period in self:
            period.name = period._title()

    def _search_name(self, operator, value):
        """Titles are generated in the reader's language: match them there (a province keeps
        a few reports a year, so reading them all is cheap)."""
        if operator not in ("ilike", "not ilike", "=", "!=") or not isinstance(value, str):
            return NotImplemented
        periods = self.with_context(active_test=False).search([])
        if operator in ("ilike", "not ilike"):
            matching = periods.filtered(lambda p: value.lower() in p.name.lower())
        else:
            matching = periods.filtered(lambda p: p.name == value)
        positive = operator in ("ilike", "=")
        return [("id", "in" if positive else "not in", matching.ids)]

    @api.depends("kind")
    def _compute_authority_ids(self):
        defaults = self.env["hy.report.authority"].search([("code", "in", DEFAULT_AUTHORITIES)])
        for period in self:
            if period.kind in ("six_month", "annual"):
                period.authority_ids = defaults

    @api.depends("kind", "year")
    def _compute_dates(self):
        """The data cut-offs of the settings (see _default_dates); an ad-hoc report keeps the
        dates it is given."""
        for period in self:
            year = period.year or hy_today().year
            if period.kind in PERIOD_MONTHS:
                period.date_from, period.date_to = self._default_dates(period.kind, year)
            else:
                period.date_from = period.date_from or date(year, 1, 1)
                period.date_to = period.date_to or hy_today()

    @api.depends("kind", "year")
    def _compute_unit_report_deadline(self):
        text = self.env["hy.settings"]._hy_param("report_deadlines")
        for period in self:
            year = period.year or hy_today().year
            deadlines = self.env["hy.task"]._parse_report_deadlines(text, year)
            by_kind = dict(zip(UNIT_REPORT_KINDS, deadlines, strict=False))
            period.unit_report_deadline = by_kind.get(period.kind, False)

    @api.depends("kind")
    def _compute_collect_unit_reports(self):
        for period in self:
            period.collect_unit_reports = period.kind in UNIT_REPORT_KINDS

    @api.depends("previous_revision_id.root_revision_id")
    def _compute_root_revision_id(self):
        for period in self:
            previous = period.previous_revision_id
            period.root_revision_id = previous.root_revision_id or previous or period

    @api.depends("root_revision_id")
    def _compute_revision_ids(self):
        roots = self.root_revision_id.ids
        revisions = self.search([("root_revision_id", "in", roots)]) if roots else self.browse()
        for period in self:
            period.revision_ids = (
                revisions.filtered(
                    lambda p, root=period.root_revision_id: p.root_revision_id == root
                )
                or period
            )
            period.revision_count = len(period.revision_ids)

    @api.depends("unit_ids", "submission_ids.unit_id", "submission_ids.is_late")
    def _compute_submission_status(self):
        executing = None
        for period in self:
            expected = period.unit_ids
            if not expected:
                if executing is None:
                    executing = self.env["hy.unit"].search([("unit_type", "!=", "office_division")])
                expected = executing
            submitted = period.submission_ids.unit_id
            period.expected_unit_ids = expected
            period.submitted_unit_ids = submitted
            period.missing_unit_ids = expected - submitted
            period.submission_count = len(period.submission_ids)
            period.late_submission_count = len(period.submission_ids.filtered("is_late"))
            period.missing_unit_count = len(expected - submitted)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for period in self:
            period.line_count = len(period.line_ids)

    @api.depends("late_credit", "turns_counted", *(f"line_ids.{name}" for name in LINE_SUMS))
    @api.depends_context("uid")
    def _compute_my_totals(self):
        """The totals of the lines the current user may read: summed by a search as the user,
        so that their record rules apply. A unit's own lines; every line, that is the
        province's totals, for the Office and the leadership."""
        ids = [period_id for period_id in self._origin.ids if period_id]
        rows = self.env["hy.report.line"]._read_group(
            [("period_id", "in", ids)], ["period_id"], [f"{name}:sum" for name in LINE_SUMS]
        )
        sums = {period.id: dict(zip(LINE_SUMS, values, strict=True)) for period, *values in rows}
        for period in self:
            counts = sums.get(period._origin.id) or dict.fromkeys(LINE_SUMS, 0)
            if not period.turns_counted:
                # Computed before the points were summed apart: those of its quality counts.
                counts["quality_points"] = quality_count_points(counts)
            totals = counts | derived_figures(counts, period.late_credit)
            for name in TOTAL_FIELDS:
                period[f"my_{name}"] = totals[name]

    @api.depends("state", "evaluation")
    def _compute_published_evaluation(self):
        for period in self:
            approved = period.state in FROZEN_STATES
            # The units may not read the evaluation while the Office drafts it (field groups);
            # once the report is approved its text is final, and theirs to read.
            period.published_evaluation = approved and period.sudo().evaluation  # sudo: approved

    # ------------------------------------------------------------------ constraints

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for period in self:
            if period.date_from > period.date_to:
                raise ValidationError(_("The report period must start before it ends."))

    @api.constrains("weight_completion", "weight_quality", "late_credit")
    def _check_weights(self):
        for period in self:
            if period.weight_completion <= 0 or period.weight_quality < 0:
                raise ValidationError(
                    _(
                        "The weight of completion must be above zero and the weight of quality "
                        "cannot be negative: the ranking rewards work done first."
                    )
                )
            if not 0 <= period.late_credit < 100:
                raise ValidationError(
                    _(
                        "The credit of a late result is a percentage from 0 to 99: a task done "
                        "late never earns as much as one done on time."
                    )
                )

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        self._hy_check_fields("write", vals)
        if set(vals) & {*TOTAL_FIELDS, *OFFICE_FIGURES, "turns_counted", "urges_counted"}:
            raise UserError(_("The figures of a report come only from computing them."))
        frozen = self.filtered(lambda p: p.state in FROZEN_STATES)
        touched = set(vals) & set(FIGURE_INPUTS + FROZEN_TEXT)
        if frozen and touched:
            raise UserError(
                _(
                    "Report %s is approved: its figures and text can no longer change. "
                    "Create a new revision instead.",
                    frozen[0].display_name,
                )
            )
        stale = (
            self.filtered(lambda p: p.state == "computed") if set(vals) & set(FIGURE_INPUTS) else ()
        )
        renumbered = self.browse()
        if set(vals) & set(DOCUMENT_FIELDS):
            signed = self.filtered(lambda p: p.state in ("published", "superseded"))
            if signed:
                raise UserError(
                    _(
                        "Report %s is published: its number and date are in the signed file "
                        "and can no longer change.",
                        signed[0].display_name,
                    )
                )
            # Numbered when issued, after approval: the stored files are made again.
            renumbered = self.filtered(lambda p: p.state == "approved")
        res = super().write(vals)
        if renumbered:
            renumbered._queue_files()
        if stale:
            # The figures no longer match the scope or the weights: compute them again.
            stale.sudo().write({"state": "draft"})  # sudo: the status is the workflow's
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if any(period.state in FROZEN_STATES for period in self):
            raise UserError(_("An approved or published report cannot be deleted."))

    # ------------------------------------------------------------------ actions (buttons)

    def action_compute(self):
        """Office: (re)compute the figures of draft or computed periods."""
        self.env["hy.task"]._check_office(message=NOT_OFFICE)
        frozen = self.filtered(lambda p: p.state in FROZEN_STATES)
        if frozen:
            raise UserError(
                _(
                    "Report %s is approved: it is never recomputed. Create a new revision.",
                    frozen[0].display_name,
                )
            )
        self.check_access("write")
        for period in self:
            period._build_snapshot()
        now = fields.Datetime.now()
        self.sudo().write({"state": "computed", "computed_date": now})  # sudo: the status
        return True

    def action_reset_to_draft(self):
        self.env["hy.task"]._check_office(message=NOT_OFFICE)
        self.check_access("write")
        if any(period.state != "computed" for period in self):
            raise UserError(_("Only a computed report can go back to draft."))
        self.sudo().write({"state": "draft"})  # sudo: the status is the workflow's
        return True

    def action_approve(self):
        """Office leadership approves: the figures computed become a frozen snapshot."""
        self.env["hy.task"]._check_office(manager=True, message=NOT_OFFICE_MANAGER)
        self.check_access("write")
        for period in self:
            if period.state != "computed":
                raise UserError(
                    _("Compute the figures of report %s before approving it.", period.display_name)
                )
        # sudo: the approval is the workflow's, checked above.
        self.sudo().write(  # sudo: the approval, checked above
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        self._queue_files()
        return True

    def action_publish(self):
        """Publish on the provincial portal (Art. 18.2); an older published revision leaves it."""
        self.env["hy.task"]._check_office(manager=True, message=NOT_OFFICE_MANAGER)
        self.check_access("write")
        if any(period.state != "approved" for period in self):
            raise UserError(_("Only an approved report can be published."))
        not_ready = self.filtered(lambda p: p.files_state != "ready")
        if not_ready:
            raise UserError(
                _(
                    "The files of report %s are not ready yet: publish it once they are "
                    "(the report shows when).",
                    not_ready[0].display_name,
                )
            )
        # The published PDF is signed: the files made before the Office had a certificate
        # are signed now (and the publication refused while there is none).
        self._sign_stored_files()
        # The form's button asks for the check: a second report of the same kind and period
        # may be meant (another scope), but the manager confirms it knowingly.
        if self.env.context.get("hy_publish_check_twins") and not self.env.context.get(
            "hy_publish_confirmed"
        ):
            Wizard = self.env["hy.report.publish.wizard"]
            for period in self:
                twin = Wizard._published_twin(period)
                if twin:
                    return Wizard._open_for(period, twin)
        older = self.search(
            [
                ("root_revision_id", "in", self.root_revision_id.ids),
                ("state", "=", "published"),
                ("id", "not in", self.ids),
            ]
        )
        now = fields.Datetime.now()
        older.sudo().write({"state": "superseded"})  # sudo: the publication, checked above
        self.sudo().write({"state": "published", "published_date": now})  # sudo: same
        return True

    def action_unpublish(self):
        self.env["hy.task"]._check_office(manager=True, message=NOT_OFFICE_MANAGER)
        self.check_access("write")
        if any(period.state != "published" for period in self):
            raise UserError(_("Only a published report can be withdrawn from publication."))
        self.sudo().write({"state": "approved"})  # sudo: the status is the workflow's
        return True

    def action_new_revision(self):
        """Recompute a frozen report: a new revision holds the new figures, the old stays."""
        self.ensure_one()
        self.env["hy.task"]._check_office(message=NOT_OFFICE)
        if self.state not in FROZEN_STATES:
            raise UserError(_("Only an approved or published report needs a new revision."))
        latest = self.search(
            [("root_revision_id", "=", self.root_revision_id.id)], order="revision desc", limit=1
        )
        if latest.state not in FROZEN_STATES:
            raise UserError(
                _("Revision %s of this report is still being prepared.", latest.revision)
            )
        self.check_access("write")
        # sudo: a revision's number and link to the previous one are the workflow's.
        new = latest.sudo().copy(  # sudo: the revision's links, checked above
            {
                "revision": latest.revision + 1,
                "previous_revision_id": latest.id,
                "document_number": False,
                "document_date": False,
            }
        )
        new = new.with_env(self.env)
        new.action_compute()
        evaluations = {line.unit_id.id: line.evaluation for line in latest.line_ids}
        for line in new.line_ids:
            if evaluations.get(line.unit_id.id):
                line.evaluation = evaluations[line.unit_id.id]
        self.message_post(body=_("Revision %s created.", new.revision))
        return new._form_action()

    def action_open_tasks(self, figure="assigned_count"):
        """The tasks behind one total of the report. A unit clicks its own total (my_<figure>):
        the same figure, and the entries its record rules let it read."""
        self.ensure_one()
        figure = figure.removeprefix("my_")
        return self._tasks_action(figure, [("period_id", "=", self.id)], self.display_name)

    def action_view_revisions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Revisions"),
            "res_model": "hy.report.period",
            "view_mode": "list,form",
            "domain": [("root_revision_id", "=", self.root_revision_id.id)],
            "context": {"create": False},
        }

    def action_view_submissions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Units' Reports"),
            "res_model": "hy.report.unit.submission",
            "view_mode": "list,form",
            "domain": [("period_id", "=", self.id)],
            "context": {"default_period_id": self.id},
        }

    def action_export_xlsx(self):
        self.ensure_one()
        if self._serves_stored_files():
            # Said here, in the dialog, rather than on the page the download would open.
            self._check_files_ready()
        return {
            "type": "ir.actions.act_url",
            "url": f"/hy_task_reports/period/{self.id}/xlsx",
            # "download" opens a new tab (window.open), which popup blockers stop silently; the
            # response is an attachment, so the browser saves it and this tab stays where it is.
            "target": "self",
        }

    # ------------------------------------------------------------------ business methods

    def _form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _check_report_access(self):
        """Who may print or export a report: the Office and the leadership at any stage; the
        units (whose record rules show them only their own lines) once it is approved.

        A report that does not exist, that the user may not read and that is not approved yet
        get the same answer: nothing tells them apart."""
        refused = AccessError(_("This report does not exist or you may not print it."))
        if len(self.exists()) != len(self) or not self.has_access("read"):
            raise refused
        user = self.env.user
        if self.env.su or user.has_group("hy_task_tracking.group_office_officer"):
            return
        if user.has_group("hy_task_tracking.group_leadership"):
            return
        if any(period.state not in ("approved", "published") for period in self):
            raise refused

    def _check_collecting(self):
        """Units' reports are received while the period is being prepared."""
        for period in self:
            if not period.collect_unit_reports or period.state not in PREPARING_STATES:
                raise UserError(
                    _("Report period %s does not receive units' reports.", period.display_name)
                )

    def _deadline_passed(self):
        """After the last day of the units' reports (Hà Nội date): "before 20/06" is past on
        20/06."""
        self.ensure_one()
        return bool(self.unit_report_deadline) and hy_today() > self.unit_report_deadline

    @api.model
    def _default_dates(self, kind, year):
        """(first day, last day) of the 6-month or annual period of ``year``: it ends on its
        data cut-off of the settings (period_cutoffs; Decree 09/2019/NĐ-CP, Art. 12) and
        starts the day after the cut-off six or twelve months earlier: 15/12/2025–14/06/2026."""
        text = self.env["hy.settings"]._hy_param("period_cutoffs")
        cutoffs = self.env["hy.settings"]._parse_period_cutoffs(text, year)
        date_to = dict(zip(UNIT_REPORT_KINDS, cutoffs, strict=True))[kind]
        date_from = date_to + timedelta(days=1) - relativedelta(months=PERIOD_MONTHS[kind])
        return date_from, date_to

    def _as_of(self):
        """The day the status categories are judged on: the end of the period, or today."""
        return min(self.date_to, hy_today())

    # ------------------------------------------------------------------ title

    def _authorities(self):
        """The authorities whose tasks the period counts, in their order (empty scope: all)."""
        return self.authority_ids.sorted() or self.env["hy.report.authority"].search([])

    def _period_phrase(self):
        """E.g. "in the first six months of 2026", "in 2026", "from 01/03/2026 to ..."."""
        _ = self.env._
        # The kind's own dates: those of the settings' cut-offs, or the calendar's (before them).
        dates = (self.date_from, self.date_to)
        months = (self.date_from.month, self.date_to.month)
        default = self.kind in PERIOD_MONTHS and self._default_dates(self.kind, self.date_to.year)
        if self.kind == "six_month" and (dates == default or months == (1, 6)):
            return _("in the first six months of %s", self.date_to.year)
        if self.kind == "annual" and (dates == default or months == (1, 12)):
            return _("in %s", self.date_to.year)
        return _(
            "from %(from)s to %(to)s",
            **{
                "from": self.date_from.strftime("%d/%m/%Y"),
                "to": self.date_to.strftime("%d/%m/%Y"),
            },
        )

    def _subject(self):
        """What the report is about, naming exactly the authorities it counts."""
        names = ", ".join(self._authorities().mapped("display_name"))
        return self.env._("Results of the implementation of the tasks assigned by %s", names)

    def _title(self):
        """The title of the report, in the language of ``self.env`` (see _compute_name)."""
        if not (self.date_from and self.date_to):
            return self.env._("Task report")
        names = ", ".join(self._authorities().mapped("display_name"))
        return self.env._(
            "Report on the tasks assigned by %(authorities)s %(period)s",
            authorities=names,
            period=self._period_phrase(),
        )

    def _ranking_formula(self):
        """The ranking's rule with this period's weights, printed under the ranking table."""
        _ = self.env._
        number = self.env["report.hy_task_reports.report_hy_report_period"]._number
        return [
            _(
                "Score = (%(w_completion)s × completion points + %(w_quality)s × quality points) "
                "/ %(w_total)s.",
                w_completion=number(self.weight_completion),
                w_quality=number(self.weight_quality),
                w_total=number(self.weight_completion + self.weight_quality),
            ),
            _(
                "Completion points = (tasks done on time + %(credit)s%% × tasks done late) / "
                "tasks rated × 100. Quality points = (100 × excellent + 80 × good + 50 × "
                "satisfactory + 0 × unsatisfactory) / tasks rated, counting the results "
                "confirmed: a result not evaluated earns 0, and so does a task still open, "
                "whatever the Office judged of it.",
                credit=number(self.late_credit),
            ),
            _(
                "Tasks rated: results confirmed by the Office in the period, and tasks overdue at "
                "its end that the unit had not sent back. Tasks not due yet and results awaiting "
                "confirmation are not rated. A unit with no task rated is not ranked (—); equal "
                "scores share a rank."
            ),
        ]

    def _tasks_action(self, figure, entry_domain, title):
        """Window action on the tasks whose entries match ``entry_domain`` and ``figure``."""
        if figure not in FIGURE_DOMAINS:
            raise UserError(_("Unknown figure: %s", figure))
        domain = entry_domain + FIGURE_DOMAINS[figure]
        label = self.env["hy.report.line"]._fields[figure].get_description(self.env)["string"]
        return {
            "type": "ir.actions.act_window",
            "name": f"{title} – {label}",
            "res_model": "hy.task",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("hy_task_tracking.hy_task_view_list").id, "list"),
                (False, "form"),
            ],
            "domain": [("hy_report_entry_ids", "any", domain)],
            "context": {"create": False, "active_test": False},
        }

    def _report_lang(self):
        """The PDF is a Vietnamese administrative document: Vietnamese when installed."""
        return self.env["res.lang"]._get_code("vi_VN") or self.env.lang

    def _category_labels(self):
        Entry = self.env["hy.report.entry"]
        return dict(Entry._fields["status_category"]._description_selection(self.env))

    def _sorted_lines(self):
        """Lines in the order of the report: ranked units first, by rank, then the others.

        The public edition of the PDF (context hy_public_edition) has the lines of the public
        page instead (_public_lines): in memory, without the units' tasks of classified
        directives and without the Office's evaluation of each unit."""
        if self.env.context.get("hy_public_edition"):
            Line = self.env["hy.report.line"]
            return Line.concat(
                *(
                    Line.new(
                        {name: value for name, value in values.items() if name in Line._fields}
                        | {"period_id": self.id}
                    )
                    for values in self._public_lines()
                )
            )
        return self.line_ids.sorted("sequence")

    # ------------------------------------------------------------------ public results (Art. 18.2)

    @api.model
    def _public_columns(self):
        return ("unit_code", "unit_name", *PUBLIC_FIGURES)

    @api.model
    def _public_data(self, period_id=None):
        """The published reports as plain values, for the public page and its downloads.

        sudo: the results page of the provincial portal (Art. 18.2) is read by anonymous
        visitors, who have no access to reports. The search is restricted to published
        periods, and only their aggregate figures leave this method, as plain values: no
        evaluation text, no task, nothing of classified directives beyond the counts.
        """
        domain = [("state", "=", "published")]
        if period_id is not None:
            domain.append(("id", "=", int(period_id)))
        periods = self.sudo().search(domain, order="date_to desc, id desc")  # see docstring
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        result = []
        for period in periods:
            units = {unit.id: unit for unit in period.line_ids.unit_id}
            lines = [
                {
                    "unit_code": units[values["unit_id"]].code,
                    "unit_name": units[values["unit_id"]].name,
                    **period._public_figures(values, PUBLIC_FIGURES),
                }
                for values in period._public_lines()
            ]
            # The province's totals count every task, classified ones included, as a whole.
            totals = period._public_figures(
                period, [name for name in PUBLIC_FIGURES if name not in ("score", "rank")]
            )
            totals["classified_count"] = period.classified_count
            totals["unit_name"] = _(
                "Total of the province, including %s task(s) of classified directives that are "
                "not shown by unit",
                period.classified_count,
            )
            result.append(
                {
                    "id": period.id,
                    "name": period._title(),
                    "subject": period._subject(),
                    "ranking_formula": period._ranking_formula(),
                    "kind": period.kind,
                    "kind_label": kinds[period.kind],
                    "period_label": _(
                        "%(kind)s: %(from)s – %(to)s",
                        kind=kinds[period.kind],
                        **{
                            "from": period.date_from.strftime("%d/%m/%Y"),
                            "to": period.date_to.strftime("%d/%m/%Y"),
                        },
                    ),
                    "date_from": period.date_from.isoformat(),
                    "date_to": period.date_to.isoformat(),
                    "as_of": period._as_of().isoformat(),
                    "revision": period.revision,
                    "document_number": period.document_number or "",
                    "published_date": period.published_date.date().isoformat()
                    if period.published_date
                    else "",
                    # The signed PDF made once (hy_report_period_files), and how to check it.
                    "pdf": {
                        "url": f"/bao-cao-nhiem-vu/{period.id}.pdf",
                        "sha256": period.public_pdf_sha256,
                        "signed_by": period.pdf_signer or "",
                        "signed_on": period.pdf_signed_date.isoformat()
                        if period.pdf_signed_date
                        else "",
                        "certificate_url": f"/bao-cao-nhiem-vu/{period.id}.pem"
                        if period.pdf_certificate
                        else "",
                    }
                    if period.files_state == "ready"
                    else None,
                    "lines": lines,
                    "totals": totals,
                    # The Office's own line: aggregates of the turns, null when not counted.
                    "office": [
                        {name: row[name] for name in ("key", "label", *OFFICE_ROW_FIGURES)}
                        for row in period._office_rows()
                    ],
                }
            )
        return result

    def _public_figures(self, figures, names):
        """``names`` of ``figures`` (the values of a line, or the period) as published: a rate
        with nothing to count, or a figure the report did not count yet, is None ("–")."""
        # Figures the report did not count yet: those of its turns, its urges.
        uncounted = set()
        if not self.turns_counted:
            uncounted.update(TURN_FIGURES)
        if not self.urges_counted:
            uncounted.update(URGE_FIGURES)
        values = {}
        for name in names:
            if name in PUBLIC_RATES:
                values[name] = shown_rate(figures, name)
            elif name == "rank":
                values[name] = figures[name] or None  # 0: not ranked
            elif name in uncounted:
                values[name] = None
            else:
                values[name] = figures[name]
        return values

    def _public_lines(self):
        """The units' figures that are published: tasks of normal directives only, ranked
        among themselves. A unit's tasks of classified directives are never published, not
        even as counts (they stay in the province's totals); a unit whose only tasks are
        classified is not listed, unless the report names it."""
        self.ensure_one()
        figures = self._aggregate_entries(SQL("NOT is_classified"))
        for unit in self.unit_ids:
            figures.setdefault(unit.id, {})
        return self._ranked(figures)
