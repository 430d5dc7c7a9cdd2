from datetime import date, datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.hy_task_tracking.models.hy_task import HY_TZ, hy_today

from .report_figures import (
    CATEGORY_ORDER,
    COUNT_FIELDS,
    FIGURE_DOMAINS,
    QUALITY_KEYS,
    QUALITY_POINTS,
    rate,
    unit_score,
)

# What the public results page, its CSV and its JSON show of each unit: aggregates only.
PUBLIC_FIGURES = (
    "assigned_count",
    *(f"{key}_count" for key in CATEGORY_ORDER),
    "no_deadline_count",
    "overdue_count",
    "on_time_rate",
    "score",
    "rank",
)
CHART_COLORS = {
    "done_on_time": "#2e7d32",
    "done_late": "#f9a825",
    "in_progress_on_time": "#1565c0",
    "in_progress_overdue": "#c62828",
    "not_started_on_time": "#9e9e9e",
    "not_started_overdue": "#e65100",
}
PERIOD_KINDS = [("six_month", "Six-month"), ("annual", "Annual"), ("ad_hoc", "Ad hoc")]
FROZEN_STATES = ("approved", "published", "superseded")
# What decides the figures: changing it sends a computed period back to draft, and it can
# no longer change once the period is approved.
FIGURE_INPUTS = (
    "kind",
    "year",
    "date_from",
    "date_to",
    "authority_ids",
    "unit_ids",
    "weight_on_time",
    "weight_overdue",
    "weight_quality",
)
# The text of the report is frozen with its figures; the number and date of the document are
# given by the clerical office when it is issued, after approval.
FROZEN_TEXT = ("name", "evaluation", "signer_name", "signer_title", "recipients")
# Art. 19.1: units report before 20 June (6-month) and before 30 November (annual).
UNIT_REPORT_DEADLINES = {"six_month": (6, 20), "annual": (11, 30)}
DEFAULT_RECIPIENTS = "- UBND tỉnh;\n- Chủ tịch, các PCT UBND tỉnh;\n- Các sở, ban, ngành;\n- UBND các huyện, thị xã, thành phố;\n- Lưu: VT, TH."  # noqa: E501


def hy_day_start_utc(day):
    """The UTC instant (naive, as Odoo stores datetimes) at which ``day`` starts in Vietnam."""
    local = pytz.timezone(HY_TZ).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class HyReportPeriod(models.Model):
    """A 6-month, annual or ad-hoc report on how each unit carried out its tasks (Art. 18.2)."""

    _name = "hy.report.period"
    _description = "Task Report Period"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, kind, revision desc, id desc"

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    kind = fields.Selection(PERIOD_KINDS, required=True, default="six_month", tracking=True)
    year = fields.Integer(
        default=lambda self: hy_today().year,
        help="Year of a 6-month or annual report: sets its dates.",
    )
    date_from = fields.Date(
        string="From",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    date_to = fields.Date(
        string="To",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        index=True,
    )
    authority_ids = fields.Many2many(
        "hy.report.authority",
        string="Issuing Authorities",
        help="Only tasks of directives of these authorities. Empty: all authorities.",
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
    line_count = fields.Integer(compute="_compute_totals", string="Number of Units")
    evaluation = fields.Text(
        string="Overall Evaluation", help="The Office's evaluation of the period, in the report."
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
        string="Deadline of Units' Reports",
        compute="_compute_unit_report_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Last day on which units' own reports are on time (Art. 19.1: 20 June for the "
        "6-month report, 30 November for the annual report).",
    )
    collect_unit_reports = fields.Boolean(
        string="Collect Units' Reports",
        compute="_compute_collect_unit_reports",
        store=True,
        readonly=False,
        precompute=True,
        help="Units submit their own report for this period through the portal.",
    )
    weight_on_time = fields.Float(
        string="Weight: On-time Rate", default=50.0, help="Weight of the on-time completion rate."
    )
    weight_overdue = fields.Float(
        string="Weight: Overdue",
        default=30.0,
        help="Weight of the share of tasks that are not overdue.",
    )
    weight_quality = fields.Float(
        string="Weight: Quality", default=20.0, help="Weight of the quality evaluations."
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
    # Totals of the lines
    assigned_count = fields.Integer(compute="_compute_totals", string="Tasks Assigned")
    done_on_time_count = fields.Integer(compute="_compute_totals", string="Done on Time")
    done_late_count = fields.Integer(compute="_compute_totals", string="Done Late")
    in_progress_on_time_count = fields.Integer(
        compute="_compute_totals", string="In Progress, on Time"
    )
    in_progress_overdue_count = fields.Integer(
        compute="_compute_totals", string="In Progress, Overdue"
    )
    not_started_on_time_count = fields.Integer(
        compute="_compute_totals", string="Not Started, on Time"
    )
    not_started_overdue_count = fields.Integer(
        compute="_compute_totals", string="Not Started, Overdue"
    )
    no_deadline_count = fields.Integer(compute="_compute_totals", string="Without Deadline")
    done_count = fields.Integer(compute="_compute_totals", string="Done")
    overdue_count = fields.Integer(compute="_compute_totals", string="Overdue")
    returned_count = fields.Integer(compute="_compute_totals", string="Returned")
    transferred_count = fields.Integer(compute="_compute_totals", string="Transferred In")
    classified_count = fields.Integer(compute="_compute_totals", string="Of Classified Directives")
    quality_excellent_count = fields.Integer(compute="_compute_totals", string="Excellent")
    quality_good_count = fields.Integer(compute="_compute_totals", string="Good")
    quality_satisfactory_count = fields.Integer(compute="_compute_totals", string="Satisfactory")
    quality_unsatisfactory_count = fields.Integer(
        compute="_compute_totals", string="Unsatisfactory"
    )
    on_time_rate = fields.Float(compute="_compute_totals", string="On-time Rate (%)", digits=(5, 2))
    avg_delay_days = fields.Float(
        compute="_compute_totals", string="Average Delay (days)", digits=(16, 1)
    )

    _sql_constraints = [
        (
            "revision_unique",
            "unique(previous_revision_id)",
            "A report has only one next revision.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("kind", "year")
    def _compute_name(self):
        for period in self:
            if period.kind == "six_month":
                period.name = _("Six-month report %s", period.year)
            elif period.kind == "annual":
                period.name = _("Annual report %s", period.year)
            elif not period.name:
                period.name = _("Ad-hoc report")

    @api.depends("kind", "year")
    def _compute_dates(self):
        """Calendar half-year and year; an ad-hoc report keeps the dates it is given."""
        for period in self:
            year = period.year or hy_today().year
            if period.kind == "six_month":
                period.date_from, period.date_to = date(year, 1, 1), date(year, 6, 30)
            elif period.kind == "annual":
                period.date_from, period.date_to = date(year, 1, 1), date(year, 12, 31)
            else:
                period.date_from = period.date_from or date(year, 1, 1)
                period.date_to = period.date_to or hy_today()

    @api.depends("kind", "year")
    def _compute_unit_report_deadline(self):
        for period in self:
            month_day = UNIT_REPORT_DEADLINES.get(period.kind)
            year = period.year or hy_today().year
            period.unit_report_deadline = month_day and date(year, *month_day)

    @api.depends("kind")
    def _compute_collect_unit_reports(self):
        for period in self:
            period.collect_unit_reports = period.kind in UNIT_REPORT_DEADLINES

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
    def _compute_totals(self):
        for period in self:
            lines = period.line_ids
            for name in COUNT_FIELDS:
                period[name] = sum(lines.mapped(name))
            period.line_count = len(lines)
            period.on_time_rate = rate(period.done_on_time_count, period.done_count)
            total_delay = sum(lines.mapped("total_delay_days"))
            period.avg_delay_days = (
                round(total_delay / period.done_late_count, 1) if period.done_late_count else 0.0
            )

    # ------------------------------------------------------------------ constraints

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for period in self:
            if period.date_from > period.date_to:
                raise ValidationError(_("The report period must start before it ends."))

    @api.constrains("weight_on_time", "weight_overdue", "weight_quality")
    def _check_weights(self):
        for period in self:
            weights = (period.weight_on_time, period.weight_overdue, period.weight_quality)
            if min(weights) < 0 or not sum(weights):
                raise ValidationError(
                    _("The weights of the ranking cannot be negative and cannot all be zero.")
                )

    # ------------------------------------------------------------------ CRUD

    def _read_format(self, fnames, load="_classic_read"):
        """Units read the header of a period collecting their reports, but not the Office's
        draft evaluation: it is theirs to read once the report is approved.
        (read() and search_read() both end here.)"""
        result = super()._read_format(fnames, load)
        user = self.env.user
        if (
            self.env.su
            or user.has_group("hy_task_tracking.group_office_officer")
            or (user.has_group("hy_task_tracking.group_leadership"))
        ):
            return result
        drafts = set(self.filtered(lambda p: p.state in ("draft", "computed")).ids)
        for values in result:
            if values["id"] in drafts and "evaluation" in values:
                values["evaluation"] = False
        return result

    def write(self, vals):
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
        res = super().write(vals)
        if stale:
            # The figures no longer match the scope or the weights: compute them again.
            stale.write({"state": "draft"})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if any(period.state in FROZEN_STATES for period in self):
            raise UserError(_("An approved or published report cannot be deleted."))

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for period, vals in zip(self, vals_list, strict=True):
            if "name" not in (default or {}):
                vals["name"] = _("%s (copy)", period.name)
        return vals_list

    # ------------------------------------------------------------------ actions (buttons)

    def action_compute(self):
        """Office: (re)compute the figures of draft or computed periods."""
        self._check_office()
        frozen = self.filtered(lambda p: p.state in FROZEN_STATES)
        if frozen:
            raise UserError(
                _(
                    "Report %s is approved: it is never recomputed. Create a new revision.",
                    frozen[0].display_name,
                )
            )
        for period in self:
            period._build_snapshot()
        self.write({"state": "computed", "computed_date": fields.Datetime.now()})
        return True

    def action_reset_to_draft(self):
        self._check_office()
        if any(period.state != "computed" for period in self):
            raise UserError(_("Only a computed report can go back to draft."))
        self.write({"state": "draft"})
        return True

    def action_approve(self):
        """Office leadership approves: the figures computed become a frozen snapshot."""
        self._check_office(manager=True)
        for period in self:
            if period.state != "computed":
                raise UserError(
                    _("Compute the figures of report %s before approving it.", period.display_name)
                )
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_publish(self):
        """Publish on the provincial portal (Art. 18.2); an older published revision leaves it."""
        self._check_office(manager=True)
        if any(period.state != "approved" for period in self):
            raise UserError(_("Only an approved report can be published."))
        older = self.search(
            [
                ("root_revision_id", "in", self.root_revision_id.ids),
                ("state", "=", "published"),
                ("id", "not in", self.ids),
            ]
        )
        older.write({"state": "superseded"})
        self.write({"state": "published", "published_date": fields.Datetime.now()})
        return True

    def action_unpublish(self):
        self._check_office(manager=True)
        if any(period.state != "published" for period in self):
            raise UserError(_("Only a published report can be withdrawn from publication."))
        self.write({"state": "approved"})
        return True

    def action_new_revision(self):
        """Recompute a frozen report: a new revision holds the new figures, the old stays."""
        self.ensure_one()
        self._check_office()
        if self.state not in FROZEN_STATES:
            raise UserError(_("Only an approved or published report needs a new revision."))
        latest = self.search(
            [("root_revision_id", "=", self.root_revision_id.id)], order="revision desc", limit=1
        )
        if latest.state not in FROZEN_STATES:
            raise UserError(
                _("Revision %s of this report is still being prepared.", latest.revision)
            )
        new = latest.copy(
            {
                "name": self.name,
                "revision": latest.revision + 1,
                "previous_revision_id": latest.id,
                "document_number": False,
                "document_date": False,
            }
        )
        new.action_compute()
        evaluations = {line.unit_id.id: line.evaluation for line in latest.line_ids}
        for line in new.line_ids:
            if evaluations.get(line.unit_id.id):
                line.evaluation = evaluations[line.unit_id.id]
        self.message_post(body=_("Revision %s created.", new.revision))
        return new._form_action()

    def action_open_tasks(self, figure="assigned_count"):
        """The tasks behind one total of the report."""
        self.ensure_one()
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
        return {
            "type": "ir.actions.act_url",
            "url": f"/hy_task_reports/period/{self.id}/xlsx",
            "target": "download",
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

    def _check_office(self, manager=False):
        group = "group_office_manager" if manager else "group_office_officer"
        if not self.env.su and not self.env.user.has_group(f"hy_task_tracking.{group}"):
            if manager:
                raise AccessError(
                    _("Only the Office's leadership can approve or publish a report.")
                )
            raise AccessError(_("Only the Provincial Office can prepare reports."))

    def _check_report_access(self):
        """Who may print or export a report: the Office and the leadership at any stage; the
        units (whose record rules show them only their own lines) once it is approved."""
        self.check_access("read")
        user = self.env.user
        if self.env.su or user.has_group("hy_task_tracking.group_office_officer"):
            return
        if user.has_group("hy_task_tracking.group_leadership"):
            return
        if any(period.state not in ("approved", "published") for period in self):
            raise AccessError(_("This report is not approved yet."))

    def _check_collecting(self):
        """Units' reports are received while the period is being prepared."""
        for period in self:
            if not period.collect_unit_reports or period.state not in ("draft", "computed"):
                raise UserError(
                    _("Report period %s does not receive units' reports.", period.display_name)
                )

    def _deadline_passed(self):
        self.ensure_one()
        return bool(self.unit_report_deadline) and hy_today() > self.unit_report_deadline

    def _as_of(self):
        """The day the status categories are judged on: the end of the period, or today."""
        return min(self.date_to, hy_today())

    def _counted_tasks_query(self):
        """SELECT of the tasks this period counts, with their status as of ``_as_of()``.

        A task counts when it was assigned on or before ``date_to``, is neither draft nor
        cancelled nor archived, has a lead unit within the scope, and was still open at
        ``date_to``, or was done within the period, or had its deadline within the period.
        Its category is judged on ``as_of`` = min(date_to, today): done by then (on time when
        ``date_done <= deadline``), else in progress or not started, overdue when the
        deadline is before ``as_of``. See readme/DESCRIPTION.md.
        """
        self.ensure_one()
        as_of, date_from, date_to = self._as_of(), self.date_from, self.date_to
        done_by_end = SQL(
            "(t.state = 'done' AND (t.date_done IS NULL OR t.date_done <= %s))", date_to
        )
        scope = SQL()
        if self.authority_ids:
            scope = SQL("AND t.authority IN %s", tuple(self.authority_ids.mapped("code")))
        if self.unit_ids:
            scope = SQL("%s AND t.lead_unit_id IN %s", scope, tuple(self.unit_ids.ids))
        return SQL(
            """
            SELECT t.id AS task_id,
                   t.lead_unit_id AS unit_id,
                   t.directive_id AS directive_id,
                   CASE
                       WHEN %(done)s THEN
                           CASE WHEN t.deadline IS NOT NULL AND t.date_done > t.deadline
                                THEN 'done_late' ELSE 'done_on_time' END
                       WHEN t.state IN ('in_progress', 'done') THEN
                           CASE WHEN t.deadline < %(as_of)s
                                THEN 'in_progress_overdue' ELSE 'in_progress_on_time' END
                       ELSE
                           CASE WHEN t.deadline < %(as_of)s
                                THEN 'not_started_overdue' ELSE 'not_started_on_time' END
                   END AS status_category,
                   t.deadline IS NOT NULL AS has_deadline,
                   COALESCE(t.is_classified, FALSE) AS is_classified,
                   t.state = 'returned' AS is_returned,
                   EXISTS (
                       SELECT 1 FROM hy_task_transfer tr
                        WHERE tr.task_id = t.id AND tr.to_unit_id = t.lead_unit_id
                          AND tr.create_date < %(end_utc)s
                   ) AS is_transferred,
                   CASE WHEN %(done)s AND t.date_done > t.deadline
                        THEN t.date_done - t.deadline END AS delay_days,
                   CASE WHEN %(done)s AND (t.confirmed_date IS NULL OR t.confirmed_date <= %(to)s)
                        THEN t.quality END AS quality
              FROM hy_task t
             WHERE t.active
               AND t.state NOT IN ('draft', 'cancelled')
               AND t.lead_unit_id IS NOT NULL
               AND COALESCE(t.date_assigned, t.create_date::date) <= %(to)s
               AND (NOT %(done)s
                    OR t.date_done BETWEEN %(from)s AND %(to)s
                    OR t.deadline BETWEEN %(from)s AND %(to)s)
               %(scope)s
            """,
            done=done_by_end,
            as_of=as_of,
            end_utc=hy_day_start_utc(date_to + timedelta(days=1)),
            to=date_to,
            scope=scope,
            **{"from": date_from},
        )

    def _build_snapshot(self):
        """Store the tasks counted (entries) and the figures of each unit (lines).

        A fixed number of queries whatever the number of tasks: one INSERT ... SELECT of the
        entries, one grouped count of them, then the lines (one per unit).
        """
        self.ensure_one()
        self.env["hy.task"].flush_model()
        self.env["hy.task.transfer"].flush_model(["task_id", "to_unit_id", "create_date"])
        self.env["hy.directive"].flush_model(["is_classified", "authority"])
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM hy_report_entry WHERE period_id = %s", self.id))
        cr.execute(
            SQL(
                """
                INSERT INTO hy_report_entry
                       (period_id, unit_id, task_id, directive_id, status_category, has_deadline,
                        is_classified, is_returned, is_transferred, delay_days, quality)
                SELECT %s, c.unit_id, c.task_id, c.directive_id, c.status_category,
                       c.has_deadline, c.is_classified, c.is_returned, c.is_transferred,
                       c.delay_days, c.quality
                  FROM (%s) c
                """,
                self.id,
                self._counted_tasks_query(),
            )
        )
        self.env["hy.report.entry"].invalidate_model()
        figures = self._aggregate_entries()
        for unit in self.unit_ids:
            figures.setdefault(unit.id, {})
        self._write_lines(figures)

    def _aggregate_entries(self):
        """{unit_id: {figure: value}} from the entries of this period, in one query."""
        counts = [
            SQL(
                "count(*) FILTER (WHERE %s) AS %s",
                self._entry_condition(name),
                SQL.identifier(name),
            )
            for name in COUNT_FIELDS
            if name != "assigned_count"
        ]
        self.env.cr.execute(
            SQL(
                """
                SELECT unit_id, count(*) AS assigned_count, %s,
                       COALESCE(sum(delay_days) FILTER (WHERE status_category = 'done_late'), 0)
                           AS total_delay_days
                  FROM hy_report_entry
                 WHERE period_id = %s
              GROUP BY unit_id
                """,
                SQL(", ").join(counts),
                self.id,
            )
        )
        return {row.pop("unit_id"): row for row in self.env.cr.dictfetchall()}

    @api.model
    def _entry_condition(self, figure):
        """SQL condition on hy_report_entry equivalent to FIGURE_DOMAINS[figure]."""
        Entry = self.env["hy.report.entry"]
        query = Entry._where_calc(FIGURE_DOMAINS[figure], active_test=False)
        return query.where_clause or SQL("TRUE")

    def _write_lines(self, figures):
        """Replace the lines of the period by one line per unit of ``figures``."""
        weights = (self.weight_on_time, self.weight_overdue, self.weight_quality)
        evaluations = {line.unit_id.id: line.evaluation for line in self.line_ids}
        self.line_ids.unlink()
        vals_list = []
        for unit_id, values in figures.items():
            values = dict.fromkeys(COUNT_FIELDS, 0) | {"total_delay_days": 0} | values
            evaluated = sum(values[f"quality_{key}_count"] for key in QUALITY_KEYS)
            quality_points = sum(
                QUALITY_POINTS[key] * values[f"quality_{key}_count"] for key in QUALITY_KEYS
            )
            values.update(
                on_time_rate=rate(values["done_on_time_count"], values["done_count"]),
                avg_delay_days=(
                    round(values["total_delay_days"] / values["done_late_count"], 1)
                    if values["done_late_count"]
                    else 0.0
                ),
                quality_score=round(quality_points / evaluated, 2) if evaluated else 0.0,
            )
            score = unit_score(values | {"quality_evaluated": evaluated}, weights)
            values.update(
                period_id=self.id,
                unit_id=unit_id,
                score=score or 0.0,
                ranked=score is not None,
                evaluation=evaluations.get(unit_id),
            )
            vals_list.append(values)
        # Competition ranking (1, 2, 2, 4) by score; units without tasks are not ranked.
        scores = sorted((v["score"] for v in vals_list if v["ranked"]), reverse=True)
        for values in vals_list:
            values["rank"] = scores.index(values["score"]) + 1 if values.pop("ranked") else 0
        vals_list.sort(key=lambda v: (not v["rank"], v["rank"], -v["assigned_count"]))
        for sequence, values in enumerate(vals_list, start=1):
            values["sequence"] = sequence
        self.env["hy.report.line"].with_context(hy_report_snapshot=True).create(vals_list)

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
        return dict(self.env["hy.task"]._fields["status_category"]._description_selection(self.env))

    def _sorted_lines(self):
        """Lines in the order of the report: ranked units first, by rank, then the others."""
        return self.line_ids.sorted("sequence")

    @api.model
    def _category_order(self):
        return CATEGORY_ORDER

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
            lines = [
                {
                    "unit_code": line.unit_id.code,
                    "unit_name": line.unit_id.name,
                    **{name: line[name] for name in PUBLIC_FIGURES},
                }
                for line in period._sorted_lines()
            ]
            totals = {
                name: period[name] for name in PUBLIC_FIGURES if name not in ("score", "rank")
            }
            result.append(
                {
                    "id": period.id,
                    "name": period.name,
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
                    "lines": lines,
                    "totals": totals,
                }
            )
        return result

    @api.model
    def _public_chart(self, period):
        """Stacked horizontal bars (one per unit, one segment per status category) for SVG."""
        labels = self._category_labels()
        widest = max([line["assigned_count"] for line in period["lines"]] or [0]) or 1
        bars = []
        for line in period["lines"]:
            x, segments = 0.0, []
            for key in CATEGORY_ORDER:
                count = line[f"{key}_count"]
                width = 600.0 * count / widest
                if count:
                    segments.append(
                        {
                            "x": round(310 + x, 2),
                            "width": round(width, 2),
                            "color": CHART_COLORS[key],
                            "title": f"{labels[key]}: {count}",
                        }
                    )
                x += width
            bars.append(
                {
                    "label": line["unit_name"],
                    "total": line["assigned_count"],
                    "end": 310 + x,
                    "segments": segments,
                }
            )
        legend = [{"label": labels[key], "color": CHART_COLORS[key]} for key in CATEGORY_ORDER]
        return {"bars": bars, "legend": legend, "height": 28 * len(bars) + 10}
