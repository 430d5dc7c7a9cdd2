from odoo import api, fields, models

from .report_figures import OFFICE_AND_LEADERSHIP, OFFICE_ROW_FIGURES, OFFICE_WAIT_KEYS

# The Office's figures of one wait, stored when the period is computed: the Office's and the
# leadership's only, like the province's totals.
OFFICE_FIGURE = {"readonly": True, "groups": OFFICE_AND_LEADERSHIP}
OFFICE_TOTAL = {"compute": "_compute_office_totals", "groups": OFFICE_AND_LEADERSHIP}


class HyReportTurnFigures(models.AbstractModel):
    """Whose turn it was in a period (hy_task_tracking: "Whose turn it is"): the Office's own
    line. Each time a task came to the Office within the period (returned by its unit, a
    result reported, an extension requested) is one turn, judged against the Office's own time
    limit (settings, in working days) as it stood on the as-of day of the period.

    The units' days with the unit and with the Office are figures of their lines
    (hy.report.figures: unit_days, office_days).
    """

    _name = "hy.report.turn.figures"
    _description = "Task Report: Whose Turn"

    turns_counted = fields.Boolean(
        string="Whose Turn Counted",
        readonly=True,
        copy=False,
        help="The figures count the days with the units and with the Office, the Office's own "
        "line and the effectiveness of the tasks. Reports approved before these were counted "
        '(18.0.1.4.0) keep them empty, shown as "–".',
    )
    office_return_limit = fields.Integer(
        string="Returned Tasks: Time Limit (working days)", **OFFICE_FIGURE
    )
    office_return_count = fields.Integer(string="Returned Tasks: Came", **OFFICE_FIGURE)
    office_return_late = fields.Integer(
        string="Returned Tasks: Beyond the Limit",
        help="Decided after the Office's time limit, or still undecided on the as-of day with "
        "the limit passed.",
        **OFFICE_FIGURE,
    )
    office_return_days = fields.Integer(
        string="Returned Tasks: Working Days with the Office", **OFFICE_FIGURE
    )
    office_confirmation_limit = fields.Integer(
        string="Results to Confirm: Time Limit (working days)", **OFFICE_FIGURE
    )
    office_confirmation_count = fields.Integer(string="Results to Confirm: Came", **OFFICE_FIGURE)
    office_confirmation_late = fields.Integer(
        string="Results to Confirm: Beyond the Limit",
        help="Confirmed or sent back after the Office's time limit, or still waiting on the "
        "as-of day with the limit passed.",
        **OFFICE_FIGURE,
    )
    office_confirmation_days = fields.Integer(
        string="Results to Confirm: Working Days with the Office", **OFFICE_FIGURE
    )
    office_extension_limit = fields.Integer(
        string="Extension Requests: Time Limit (working days)", **OFFICE_FIGURE
    )
    office_extension_count = fields.Integer(string="Extension Requests: Came", **OFFICE_FIGURE)
    office_extension_late = fields.Integer(
        string="Extension Requests: Beyond the Limit",
        help="Decided after the Office's time limit, or still undecided on the as-of day with "
        "the limit passed.",
        **OFFICE_FIGURE,
    )
    office_extension_days = fields.Integer(
        string="Extension Requests: Working Days with the Office", **OFFICE_FIGURE
    )
    office_turn_count = fields.Integer(
        string="The Office: Times Tasks Came",
        help="Times tasks came to the Office within the period: returned by their unit, a "
        "result reported, an extension requested.",
        **OFFICE_TOTAL,
    )
    office_turn_late = fields.Integer(
        string="The Office: Beyond Its Limit",
        help="Of those, decided after the Office's own time limit, or still waiting on the "
        "as-of day with the limit passed.",
        **OFFICE_TOTAL,
    )
    office_turn_days = fields.Integer(
        string="The Office: Working Days",
        help="Working days, up to the as-of day, that those tasks waited for the Office.",
        **OFFICE_TOTAL,
    )

    @api.depends(
        *(f"office_{key}_{what}" for key in OFFICE_WAIT_KEYS for what in ("count", "late", "days"))
    )
    def _compute_office_totals(self):
        for record in self:
            for what in ("count", "late", "days"):
                record[f"office_turn_{what}"] = sum(
                    record[f"office_{key}_{what}"] for key in OFFICE_WAIT_KEYS
                )

    def _office_rows(self):
        """The Office's line, one row per wait then the total: dicts of label, limit, count,
        late and days; None for each figure of a report computed before they were counted."""
        self.ensure_one()
        _ = self.env._
        labels = {
            "return": _("Tasks returned by their unit"),
            "confirmation": _("Results reported, to confirm"),
            "extension": _("Extension requests"),
        }
        counted = self.turns_counted
        rows = []
        for key in OFFICE_WAIT_KEYS:
            row = {"key": key, "label": labels[key]}
            for what in OFFICE_ROW_FIGURES:
                row[what] = self[f"office_{key}_{what}"] if counted else None
            rows.append(row)
        total = {"key": "total", "label": _("Total"), "limit": None}
        for what in ("count", "late", "days"):
            total[what] = sum(row[what] for row in rows) if counted else None
        return [*rows, total]

    def _reads_office_figures(self):
        """Whether the current user reads the Office's own line, like the province's totals:
        the Office and the leadership (OFFICE_AND_LEADERSHIP)."""
        if self.env.su:
            return True
        return any(self.env.user.has_group(group) for group in OFFICE_AND_LEADERSHIP.split(","))
