"""The status category of a task: the six categories of the national and provincial systems.

Reported is not done: the status shown everywhere (``progress_status()``, the task's
``progress_status``, the reports' entries) has a seventh value between open and done, a
result the unit reported that the Office has not confirmed yet. ``status_category`` itself
keeps the six categories of the shared contract: for such a result, when it was done.

Declared once, here, in its two forms: ``status_category()`` for Python (the task's stored
compute, the ledger's past days) and ``status_category_sql()`` for SQL (the nightly job,
the periodic reports' snapshot), so that a task counts the same wherever it is counted.

Whose turn it is: while a task waits for the Office (returned by its unit, a reported result
to confirm, an extension request to decide), its deadline does not run against the unit: it
is never overdue then. It comes back to the unit with its deadline as it then stands.
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
AWAITING_CONFIRMATION = "done_unconfirmed"
# The status shown: the six categories, with a reported result apart until it is confirmed.
PROGRESS_STATUSES = [
    *STATUS_CATEGORIES[:4],
    (AWAITING_CONFIRMATION, "Reported, awaiting confirmation"),
    *STATUS_CATEGORIES[4:],
]
OVERDUE_CATEGORIES = ("in_progress_overdue", "not_started_overdue")
# In a progress status, done means confirmed by the Office.
DONE_CATEGORIES = ("done_on_time", "done_late")
# Tasks without a category: not assigned yet, or withdrawn.
UNCATEGORIZED_STATES = ("draft", "cancelled")


def progress_status(state, deadline, date_done, as_of, *, confirmed, with_office):
    """The status shown of a task: its category, or AWAITING_CONFIRMATION for a result
    reported but not ``confirmed``; False for a draft or cancelled task."""
    if state == "done" and not confirmed:
        return AWAITING_CONFIRMATION
    return status_category(state, deadline, date_done, as_of, with_office=with_office)


def status_category(state, deadline, date_done, as_of, *, with_office):
    """The category of a task in ``state`` with ``deadline`` and ``date_done`` (dates or
    False), ``with_office`` or not (waiting for the Office's decision), judged on the date
    ``as_of``; False for a draft or cancelled task.

    Done on the deadline day is on time; a task without deadline is never overdue; an open
    task is overdue from the day after its deadline, except while it is with the Office.
    """
    if state in UNCATEGORIZED_STATES:
        return False
    if state == "done":
        late = bool(deadline) and bool(date_done) and date_done > deadline
        return "done_late" if late else "done_on_time"
    prefix = "in_progress" if state == "in_progress" else "not_started"
    overdue = bool(deadline) and as_of > deadline and not with_office and state != "returned"
    return f"{prefix}_{'overdue' if overdue else 'on_time'}"


def status_category_sql(state, deadline, date_done, as_of, *, with_office, confirmed=None):
    """The same rule as ``status_category()``, as an SQL CASE on SQL expressions (columns)
    and the date ``as_of`` (a value or an SQL expression); with ``confirmed``, the rule of
    ``progress_status()``. ``with_office`` may be NULL (ledger entries written before it was
    recorded): the state "returned" says it then.
    """
    if confirmed is None:
        settled, reported = SQL("%s = 'done'", state), SQL()
    else:
        settled = SQL("%s = 'done' AND COALESCE(%s, FALSE)", state, confirmed)
        reported = SQL("WHEN %s = 'done' THEN %s", state, AWAITING_CONFIRMATION)
    held = SQL("(%s = 'returned' OR COALESCE(%s, FALSE))", state, with_office)
    return SQL(
        """CASE
            WHEN %(state)s IN %(uncategorized)s THEN NULL
            WHEN %(settled)s THEN
                CASE WHEN %(deadline)s IS NOT NULL AND %(date_done)s > %(deadline)s
                     THEN 'done_late' ELSE 'done_on_time' END
            %(reported)s
            WHEN %(state)s = 'in_progress' THEN
                CASE WHEN %(deadline)s < %(as_of)s AND NOT %(held)s
                     THEN 'in_progress_overdue' ELSE 'in_progress_on_time' END
            ELSE
                CASE WHEN %(deadline)s < %(as_of)s AND NOT %(held)s
                     THEN 'not_started_overdue' ELSE 'not_started_on_time' END
        END""",
        state=state,
        uncategorized=UNCATEGORIZED_STATES,
        settled=settled,
        deadline=deadline,
        date_done=date_done,
        reported=reported,
        held=held,
        as_of=as_of,
    )
