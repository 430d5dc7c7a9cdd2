"""The status category of a task: the six categories of the national and provincial systems.

Declared once, here, in its two forms: ``status_category()`` for Python (the task's stored
compute, the ledger's past days) and ``status_category_sql()`` for SQL (the nightly job,
the periodic reports' snapshot), so that a task counts the same wherever it is counted.
"""

from odoo.tools import SQL

# Ordered as the Office works them: what is late first, what is finished last.
STATUS_CATEGORIES = [
    ("not_started_overdue", "Not started, overdue"),
    ("in_progress_overdue", "In progress, overdue"),
    ("not_started_on_time", "Not started, on time"),
    ("in_progress_on_time", "In progress, on time"),
    ("done_late", "Done late"),
    ("done_on_time", "Done on time"),
]
OVERDUE_CATEGORIES = ("in_progress_overdue", "not_started_overdue")
DONE_CATEGORIES = ("done_on_time", "done_late")
# Tasks without a category: not assigned yet, or withdrawn.
UNCATEGORIZED_STATES = ("draft", "cancelled")


def status_category(state, deadline, date_done, as_of):
    """The category of a task in ``state`` with ``deadline`` and ``date_done`` (dates or
    False), judged on the date ``as_of``; False for a draft or cancelled task.

    Done on the deadline day is on time; a task without deadline is never overdue; an open
    task is overdue from the day after its deadline.
    """
    if state in UNCATEGORIZED_STATES:
        return False
    if state == "done":
        late = bool(deadline) and bool(date_done) and date_done > deadline
        return "done_late" if late else "done_on_time"
    prefix = "in_progress" if state == "in_progress" else "not_started"
    overdue = bool(deadline) and as_of > deadline
    return f"{prefix}_{'overdue' if overdue else 'on_time'}"


def status_category_sql(state, deadline, date_done, as_of, settled=None, awaiting=None):
    """The same rule as ``status_category()``, as an SQL CASE on SQL expressions (columns)
    and the date ``as_of`` (a value or an SQL expression).

    ``settled``: the SQL condition of a result counted as done (default: the state is
    "done"); ``awaiting``: the category of a result reported done but not settled, for the
    reports, which count those apart (without it, such a result is settled).
    """
    settled = settled if settled is not None else SQL("%s = 'done'", state)
    reported = SQL("WHEN %s = 'done' THEN %s", state, awaiting) if awaiting else SQL()
    return SQL(
        """CASE
            WHEN %(state)s IN %(uncategorized)s THEN NULL
            WHEN %(settled)s THEN
                CASE WHEN %(deadline)s IS NOT NULL AND %(date_done)s > %(deadline)s
                     THEN 'done_late' ELSE 'done_on_time' END
            %(reported)s
            WHEN %(state)s = 'in_progress' THEN
                CASE WHEN %(deadline)s < %(as_of)s
                     THEN 'in_progress_overdue' ELSE 'in_progress_on_time' END
            ELSE
                CASE WHEN %(deadline)s < %(as_of)s
                     THEN 'not_started_overdue' ELSE 'not_started_on_time' END
        END""",
        state=state,
        uncategorized=UNCATEGORIZED_STATES,
        settled=settled,
        deadline=deadline,
        date_done=date_done,
        reported=reported,
        as_of=as_of,
    )
