"""What a report counts, shared by the models, the PDF, the XLSX and the public page.

Each figure of a line is a count of the snapshot entries (hy.report.entry) of its unit that
match a domain: the same domain gives the figure and opens its tasks (drill-down).
"""

from odoo.addons.hy_task_tracking.models.hy_task import OVERDUE_CATEGORIES

# Column order of the reports: as the national and provincial systems list the categories.
CATEGORY_ORDER = (
    "done_on_time",
    "done_late",
    "in_progress_on_time",
    "in_progress_overdue",
    "not_started_on_time",
    "not_started_overdue",
)
QUALITY_KEYS = ("excellent", "good", "satisfactory", "unsatisfactory")
# Points of each quality evaluation in the emulation score (0-100).
QUALITY_POINTS = {"excellent": 100, "good": 80, "satisfactory": 50, "unsatisfactory": 0}

# Integer figure -> domain on hy.report.entry (within one period and, for a line, one unit).
FIGURE_DOMAINS = {
    "assigned_count": [],
    **{f"{key}_count": [("status_category", "=", key)] for key in CATEGORY_ORDER},
    "done_count": [("status_category", "in", ("done_on_time", "done_late"))],
    "overdue_count": [("status_category", "in", OVERDUE_CATEGORIES)],
    "no_deadline_count": [("has_deadline", "=", False)],
    "returned_count": [("is_returned", "=", True)],
    "transferred_count": [("is_transferred", "=", True)],
    "classified_count": [("is_classified", "=", True)],
    **{f"quality_{key}_count": [("quality", "=", key)] for key in QUALITY_KEYS},
}
# Derived figures open the tasks they are computed from.
FIGURE_DOMAINS["on_time_rate"] = FIGURE_DOMAINS["done_count"]
FIGURE_DOMAINS["avg_delay_days"] = FIGURE_DOMAINS["done_late_count"]
FIGURE_DOMAINS["quality_score"] = [("quality", "!=", False)]

COUNT_FIELDS = tuple(name for name in FIGURE_DOMAINS if name.endswith("_count"))
# Everything of a line that the snapshot freezes once the period is approved.
SNAPSHOT_FIELDS = (
    *COUNT_FIELDS,
    "total_delay_days",
    "avg_delay_days",
    "on_time_rate",
    "quality_score",
    "score",
    "rank",
)


def rate(part, whole):
    """``part`` as a percentage of ``whole``, rounded to 2 decimals; 0 when ``whole`` is 0."""
    return round(100.0 * part / whole, 2) if whole else 0.0


def unit_score(figures, weights):
    """Emulation score (0-100) of one unit, or None when it had no task in the period.

    Three components, each on 0-100: the on-time completion rate, 100 minus the share of
    overdue tasks, and the average quality points of evaluated tasks. A component without
    data (nothing completed, nothing evaluated) leaves the score; the others keep their
    relative weights. ``weights`` = (on_time, overdue, quality).
    """
    if not figures["assigned_count"]:
        return None
    components = [(weights[1], 100.0 - rate(figures["overdue_count"], figures["assigned_count"]))]
    if figures["done_count"]:
        components.append((weights[0], figures["on_time_rate"]))
    if figures["quality_evaluated"]:
        components.append((weights[2], figures["quality_score"]))
    total_weight = sum(weight for weight, _value in components)
    if not total_weight:
        return 0.0
    return round(sum(weight * value for weight, value in components) / total_weight, 2)
