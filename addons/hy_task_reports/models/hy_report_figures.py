from odoo import fields, models


class HyReportFigures(models.AbstractModel):
    """The figures of a report: of one unit (hy.report.line) or of all units (hy.report.period).

    Declared once here; both models store them when the period is computed, from the same
    snapshot entries (see report_figures.py for what each figure counts).
    """

    _name = "hy.report.figures"
    _description = "Task Report Figures"

    assigned_count = fields.Integer(
        string="Tasks Counted",
        readonly=True,
        help="Tasks the unit led on the last day of the period, and that belong to the period.",
    )
    done_on_time_count = fields.Integer(
        string="Done on Time",
        readonly=True,
        help="Results confirmed by the Office, done on or before the deadline (or without one).",
    )
    done_late_count = fields.Integer(
        string="Done Late",
        readonly=True,
        help="Results confirmed by the Office, done after the deadline then in force.",
    )
    awaiting_confirmation_count = fields.Integer(
        string="Awaiting Confirmation",
        readonly=True,
        help="Tasks the unit reported done that the Office had not confirmed by the end of the "
        "period. They are not counted as done.",
    )
    in_progress_on_time_count = fields.Integer(string="In Progress, on Time", readonly=True)
    in_progress_overdue_count = fields.Integer(string="In Progress, Overdue", readonly=True)
    not_started_on_time_count = fields.Integer(string="Not Started, on Time", readonly=True)
    not_started_overdue_count = fields.Integer(string="Not Started, Overdue", readonly=True)
    no_deadline_count = fields.Integer(string="Without Deadline", readonly=True)
    done_count = fields.Integer(string="Done (Confirmed)", readonly=True)
    done_no_deadline_count = fields.Integer(
        string="Done, Without Deadline",
        readonly=True,
        help="Confirmed results of tasks without deadline: out of the on-time rate.",
    )
    overdue_count = fields.Integer(string="Overdue", readonly=True)
    rated_count = fields.Integer(
        string="Tasks Rated",
        readonly=True,
        help="What the ranking rates: results confirmed in the period, and tasks overdue at its "
        "end that the unit had not sent back to the Office.",
    )
    returned_count = fields.Integer(
        string="Returned",
        readonly=True,
        help="Tasks the unit had sent back to the Office, still waiting to be adjusted or "
        "transferred on the last day of the period.",
    )
    transferred_in_count = fields.Integer(
        string="Transferred In",
        readonly=True,
        help="Tasks that came to the unit from another unit within the period.",
    )
    transferred_out_count = fields.Integer(
        string="Transferred Out",
        readonly=True,
        help="Tasks that went from the unit to another unit within the period: they count for "
        "the unit that led them on the last day, not for this one.",
    )
    extended_count = fields.Integer(
        string="Deadline Extended",
        readonly=True,
        help="Tasks whose deadline the Office extended within the period.",
    )
    classified_count = fields.Integer(
        string="Of Classified Directives",
        readonly=True,
        help="Tasks of classified directives among those counted: reports show only this count.",
    )
    # The Office's evaluations (Art. 7.1.g) of the tasks counted, open ones included, as they
    # stood on the last day of the period.
    quality_excellent_count = fields.Integer(string="Excellent", readonly=True)
    quality_good_count = fields.Integer(string="Good", readonly=True)
    quality_satisfactory_count = fields.Integer(string="Satisfactory", readonly=True)
    quality_unsatisfactory_count = fields.Integer(string="Unsatisfactory", readonly=True)
    effectiveness_high_count = fields.Integer(string="Highly Effective", readonly=True)
    effectiveness_effective_count = fields.Integer(string="Effective", readonly=True)
    effectiveness_limited_count = fields.Integer(string="Of Limited Effect", readonly=True)
    effectiveness_ineffective_count = fields.Integer(string="Not Effective", readonly=True)
    quality_points = fields.Integer(
        string="Evaluation Points",
        readonly=True,
        help="The points of the quality evaluations of the results confirmed in the period "
        "(excellent 100, good 80, satisfactory 50, unsatisfactory 0): over the tasks rated, "
        "the ranking's quality points. Evaluations of tasks still open earn none.",
    )
    total_delay_days = fields.Integer(string="Total Delay (working days)", readonly=True)
    # Whose turn it was: each working day of the period (up to its as-of day) that a counted
    # task was open is the unit's or the Office's (hy_task_tracking: "Whose turn it is").
    unit_days = fields.Integer(
        string="Working Days with the Unit",
        readonly=True,
        help="Working days of the period, up to its as-of day, that the tasks counted were "
        "with the unit (assigned or in progress, led by it, not waiting for the Office), "
        "summed over the tasks.",
    )
    office_days = fields.Integer(
        string="Working Days with the Office",
        readonly=True,
        help="Working days of the period, up to its as-of day, that the tasks counted waited "
        "for the Office (returned, a result to confirm, an extension to decide), summed over "
        "the tasks. Meanwhile they are never overdue against the unit.",
    )
    # Urging (hy_task_tracking: the task ledger's urges): each dispatch, call or meeting
    # that urged a task, counted for the unit that led the task at that moment.
    urge_count = fields.Integer(
        string="Times Urged",
        readonly=True,
        help="Urges recorded within the period (urging dispatches, phone calls, meetings) of "
        "the tasks the unit led when they were urged, tasks of classified directives "
        "included, as a number.",
    )
    urged_task_count = fields.Integer(
        string="Tasks Urged",
        readonly=True,
        help="Tasks urged at least once within the period while the unit led them.",
    )
    avg_delay_days = fields.Float(
        string="Average Delay (working days)",
        digits=(16, 1),
        readonly=True,
        help="Average number of working days late of the tasks done late (calendar days in "
        "reports computed before working days were counted).",
    )
    on_time_rate = fields.Float(
        string="On-time Rate (%)",
        digits=(5, 2),
        readonly=True,
        help="Results done on time, as a percentage of the confirmed results of tasks with a "
        "deadline. Tasks without deadline stay out of it.",
    )
    completion_score = fields.Float(
        string="Completion Points",
        digits=(5, 2),
        readonly=True,
        help="(Done on time + the credit of a late result × done late) / tasks rated × 100.",
    )
    quality_score = fields.Float(
        string="Quality Points",
        digits=(5, 2),
        readonly=True,
        help="Points of the evaluations of the confirmed results (excellent 100, good 80, "
        "satisfactory 50, unsatisfactory 0) over the tasks rated; a result left unevaluated "
        "earns nothing.",
    )
