"""What a report counts, shared by the models, the PDF, the XLSX and the public page.

Each figure of a line is a count of the snapshot entries (hy.report.entry) of its unit that
match a domain: the same domain gives the figure and opens its tasks (drill-down).
"""

from odoo.addons.hy_task_tracking.models.status_category import (
    OVERDUE_CATEGORIES,
    STATUS_CATEGORIES,
)

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
# What a counted task can count as: the six categories, and a result the unit reported that
# the Office has not confirmed yet ("done" means confirmed).
AWAITING_CONFIRMATION = "done_unconfirmed"
REPORT_CATEGORIES = [
    *STATUS_CATEGORIES,
    (AWAITING_CONFIRMATION, "Reported done, awaiting confirmation"),
]
# The segments of a unit's bar on the public page, each with the figure that counts it: done
# first, then awaiting confirmation, then open.
CHART_SEGMENTS = {
    **{key: f"{key}_count" for key in CATEGORY_ORDER[:2]},
    AWAITING_CONFIRMATION: "awaiting_confirmation_count",
    **{key: f"{key}_count" for key in CATEGORY_ORDER[2:]},
}
DONE_CATEGORIES = ("done_on_time", "done_late")
QUALITY_KEYS = ("excellent", "good", "satisfactory", "unsatisfactory")
# Points of each quality evaluation in the emulation score (0-100); no evaluation earns 0.
QUALITY_POINTS = {"excellent": 100, "good": 80, "satisfactory": 50, "unsatisfactory": 0}

COUNTED = [("counted", "=", True)]
# The tasks the ranking rates: confirmed results, and overdue tasks the unit still holds (a
# task it sent back waits for the Office, not for the unit).
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
    **{f"quality_{key}_count": [("quality", "=", key)] for key in QUALITY_KEYS},
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

COUNT_FIELDS = tuple(name for name in FIGURE_DOMAINS if name.endswith("_count"))
RATE_FIELDS = ("on_time_rate", "avg_delay_days", "completion_score", "quality_score")
# Everything of a line that the snapshot freezes once the period is approved.
SNAPSHOT_FIELDS = (*COUNT_FIELDS, "total_delay_days", *RATE_FIELDS, "score", "rank")


def rate(part, whole):
    """``part`` as a percentage of ``whole``, rounded to 2 decimals; 0 when ``whole`` is 0."""
    return round(100.0 * part / whole, 2) if whole else 0.0


def derived_figures(figures, late_credit):
    """The rates of one unit (or of a whole period) from its counts.

    - on-time rate: confirmed done on time / confirmed done, among tasks with a deadline;
    - average delay: days late of the tasks done late, on average;
    - completion: (done on time + late_credit % × done late) / rated tasks;
    - quality: points of the evaluations / rated tasks (a result left unevaluated earns 0).
    """
    rated = figures["rated_count"]
    with_deadline = figures["done_count"] - figures["done_no_deadline_count"]
    on_time_with_deadline = figures["done_on_time_count"] - figures["done_no_deadline_count"]
    points = sum(QUALITY_POINTS[key] * figures[f"quality_{key}_count"] for key in QUALITY_KEYS)
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
