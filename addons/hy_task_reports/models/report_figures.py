"""What a report counts, shared by the models, the PDF, the XLSX and the public page.

Each figure of a line is a count of the snapshot entries (hy.report.entry) of its unit that
match a domain: the same domain gives the figure and opens its tasks (drill-down).
"""

from odoo.addons.hy_task_tracking.models.hy_task import OFFICE_WAITS
from odoo.addons.hy_task_tracking.models.status_category import (
    AWAITING_CONFIRMATION,
    DONE_CATEGORIES,
    OVERDUE_CATEGORIES,
    PROGRESS_STATUSES,
)

# Who reads the province's totals, the Office's own figures and the evaluation being drafted.
OFFICE_AND_LEADERSHIP = "hy_task_tracking.group_office_officer,hy_task_tracking.group_leadership"
# A report in these states is a frozen snapshot: never recomputed, never rewritten.
FROZEN_STATES = ("approved", "published", "superseded")
# The states before: figures computed again at will, units' reports received.
PREPARING_STATES = ("draft", "computed")
# Column order of the reports: as the national and provincial systems list the categories.
CATEGORY_ORDER = (
    "done_on_time",
    "done_late",
    "in_progress_on_time",
    "in_progress_overdue",
    "not_started_on_time",
    "not_started_overdue",
)
# What a counted task can count as: its progress status, the six categories and a result the
# unit reported that the Office has not confirmed yet ("done" means confirmed).
REPORT_CATEGORIES = PROGRESS_STATUSES
# The segments of a unit's bar on the public page, each with the figure that counts it: done
# first, then awaiting confirmation, then open.
CHART_SEGMENTS = {
    **{key: f"{key}_count" for key in CATEGORY_ORDER[:2]},
    AWAITING_CONFIRMATION: "awaiting_confirmation_count",
    **{key: f"{key}_count" for key in CATEGORY_ORDER[2:]},
}
QUALITY_KEYS = ("excellent", "good", "satisfactory", "unsatisfactory")
# Art. 7.1.g: the Office evaluates the quality and the effectiveness of every task counted.
EFFECTIVENESS_KEYS = ("high", "effective", "limited", "ineffective")
# Points of each quality evaluation in the emulation score (0-100); no evaluation earns 0.
# Only the evaluations of confirmed results earn points: a task still open is judged on the
# work so far, which the ranking does not reward (see readme/DESCRIPTION.md, Ranking).
QUALITY_POINTS = {"excellent": 100, "good": 80, "satisfactory": 50, "unsatisfactory": 0}

COUNTED = [("counted", "=", True)]
# The tasks the ranking rates: confirmed results, and overdue tasks the unit still holds (a
# task it sent back waits for the Office, not for the unit: never overdue now, and left out
# of the entries of reports computed before, which counted it overdue).
RATED = [
    "|",
    ("status_category", "in", DONE_CATEGORIES),
    "&",
    ("status_category", "in", OVERDUE_CATEGORIES),
    ("is_returned", "=", False),
]

# Integer figure -> domain on hy.report.entry (within one period and, for a line, one unit).
FIGURE_DOMAINS = {
    "assigned_count": COUNTED,
    **{f"{key}_count": [("status_category", "=", key)] for key in CATEGORY_ORDER},
    "awaiting_confirmation_count": [("status_category", "=", AWAITING_CONFIRMATION)],
    "done_count": [("status_category", "in", DONE_CATEGORIES)],
    "done_no_deadline_count": [
        ("status_category", "in", DONE_CATEGORIES),
        ("has_deadline", "=", False),
    ],
    "overdue_count": [("status_category", "in", OVERDUE_CATEGORIES)],
    "no_deadline_count": [*COUNTED, ("has_deadline", "=", False)],
    "rated_count": RATED,
    "returned_count": [("is_returned", "=", True)],
    "transferred_in_count": [("is_transferred_in", "=", True)],
    "transferred_out_count": [("is_transferred_out", "=", True)],
    "extended_count": [("is_extended", "=", True)],
    "classified_count": [*COUNTED, ("is_classified", "=", True)],
    # Urged within the period while the unit held them (their urges sum up in urge_count).
    "urged_task_count": [("urge_count", ">", 0)],
    **{f"quality_{key}_count": [("quality", "=", key)] for key in QUALITY_KEYS},
    **{f"effectiveness_{key}_count": [("effectiveness", "=", key)] for key in EFFECTIVENESS_KEYS},
}
# Derived figures open the tasks they are computed from.
FIGURE_DOMAINS["on_time_rate"] = [
    ("status_category", "in", DONE_CATEGORIES),
    ("has_deadline", "=", True),
]
FIGURE_DOMAINS["avg_delay_days"] = FIGURE_DOMAINS["done_late_count"]
FIGURE_DOMAINS["quality_score"] = RATED
FIGURE_DOMAINS["completion_score"] = RATED
FIGURE_DOMAINS["score"] = RATED

FIGURE_DOMAINS["unit_days"] = [("unit_days", ">", 0)]
FIGURE_DOMAINS["office_days"] = [("office_days", ">", 0)]

COUNT_FIELDS = tuple(name for name in FIGURE_DOMAINS if name.endswith("_count"))
# What a line adds up over its entries besides counting them: the working days late of the
# results done late, the quality points of the confirmed results (the ranking's), whose
# turn it was: the working days of the period its tasks were with the unit, with the
# Office, and the times its tasks were urged within the period while it held them.
SUM_FIELDS = ("total_delay_days", "quality_points", "unit_days", "office_days", "urge_count")
# A sum, not a count of entries: its tasks are those urged (after COUNT_FIELDS on purpose).
FIGURE_DOMAINS["urge_count"] = FIGURE_DOMAINS["urged_task_count"]
RATE_FIELDS = ("on_time_rate", "avg_delay_days", "completion_score", "quality_score")
# Everything of a line that the snapshot freezes once the period is approved.
SNAPSHOT_FIELDS = (*COUNT_FIELDS, *SUM_FIELDS, *RATE_FIELDS, "score", "rank")
# What reports computed before they were counted (18.0.1.4.0) do not hold: a frozen report
# keeps them empty, and shows "–" for them, never a 0 nobody counted (see turns_counted).
TURN_FIGURES = (
    "unit_days",
    "office_days",
    *(f"effectiveness_{key}_count" for key in EFFECTIVENESS_KEYS),
)
# What reports computed before urges were counted (18.0.1.6.0) do not hold: "–" for them
# too (see urges_counted).
URGE_FIGURES = ("urge_count", "urged_task_count")
# Whose turn: what the Office waits for (hy_task_tracking's OFFICE_WAITS), in this order.
OFFICE_WAIT_KEYS = tuple(key for key, _label in OFFICE_WAITS)
# The Office's own figures of a period, for each of its waits: its time limit (working days,
# from the settings when the period was computed), the times tasks came to it within the
# period, how many of those it decided beyond its limit (or still held beyond it on the
# as-of day), and their working days with it up to the as-of day.
OFFICE_ROW_FIGURES = ("limit", "count", "late", "days")
OFFICE_FIGURES = tuple(
    f"office_{key}_{what}" for key in OFFICE_WAIT_KEYS for what in OFFICE_ROW_FIGURES
)


def rate(part, whole):
    """``part`` as a percentage of ``whole``, rounded to 2 decimals; 0 when ``whole`` is 0."""
    return round(100.0 * part / whole, 2) if whole else 0.0


def quality_count_points(figures):
    """The points of the quality counts of ``figures``: the quality points of a line computed
    before they were summed apart, when only confirmed results carried an evaluation."""
    return sum(QUALITY_POINTS[key] * figures[f"quality_{key}_count"] for key in QUALITY_KEYS)


# What each rate is computed over: with nothing there, the rate is empty ("–"), not 0.
RATE_BASES = {
    "on_time_rate": lambda f: f["done_count"] - f["done_no_deadline_count"],
    "avg_delay_days": lambda f: f["done_late_count"],
    "completion_score": lambda f: f["rated_count"],
    "quality_score": lambda f: f["rated_count"],
    "score": lambda f: f["rated_count"],
}


def has_base(figures, name):
    """Whether rate ``name`` of ``figures`` (a line, a period, a dict) counts anything."""
    return bool(RATE_BASES[name](figures))


def shown_rate(figures, name):
    """Rate ``name`` of ``figures``, or None when it has nothing to count."""
    return figures[name] if has_base(figures, name) else None


def derived_figures(figures, late_credit):
    """The rates of one unit (or of a whole period) from its counts.

    - on-time rate: confirmed done on time / confirmed done, among tasks with a deadline;
    - average delay: days late of the tasks done late, on average;
    - completion: (done on time + late_credit % × done late) / rated tasks;
    - quality: points of the evaluations of the confirmed results (``quality_points``) / rated
      tasks (a result left unevaluated earns 0).
    """
    rated = figures["rated_count"]
    with_deadline = figures["done_count"] - figures["done_no_deadline_count"]
    on_time_with_deadline = figures["done_on_time_count"] - figures["done_no_deadline_count"]
    points = figures.get("quality_points")
    if points is None:
        points = quality_count_points(figures)
    credit = figures["done_on_time_count"] + late_credit / 100.0 * figures["done_late_count"]
    late = figures["done_late_count"]
    return {
        "on_time_rate": rate(on_time_with_deadline, with_deadline),
        "avg_delay_days": round(figures["total_delay_days"] / late, 1) if late else 0.0,
        "completion_score": rate(credit, rated),
        "quality_score": round(points / rated, 2) if rated else 0.0,
    }


def unit_score(figures, weights):
    """Emulation score (0-100) of one unit, or None when it is not ranked.

    A unit is ranked when the period rates at least one of its tasks: a result confirmed in
    the period, or a task overdue at its end. ``weights`` = (completion, quality):
    score = (w_c × completion + w_q × quality) / (w_c + w_q), with ``figures`` holding the
    ``completion_score`` and ``quality_score`` of ``derived_figures()``. Every evaluation earns
    points >= 0, so evaluating a result never lowers a score; finishing everything due on time
    gives completion 100, finishing nothing due gives 0.
    """
    if not figures["rated_count"]:
        return None
    w_completion, w_quality = weights
    total = w_completion + w_quality
    if not total:
        return 0.0
    value = w_completion * figures["completion_score"] + w_quality * figures["quality_score"]
    return round(value / total, 2)


def competition_ranks(scores):
    """{key: rank} of ``scores`` ({key: score or None}): 1, 2, 2, 4; None -> 0 (not ranked)."""
    ranked = sorted((score for score in scores.values() if score is not None), reverse=True)
    return {
        key: (ranked.index(score) + 1 if score is not None else 0) for key, score in scores.items()
    }
