"""The rules across values of directives and tasks, each declared once.

The models' constraints, the integration API (hy.api) and the XLSX import check the same
rules before or while writing; a refusal must read the same wherever it comes from. Each rule
is a function of plain values (records, dates, strings) that returns its translated message
when the values break it, else None. The constraints name the record the message is about
(``for_task``, ``for_directive``); the API and the import place it on the offending value.
"""

from datetime import date

# The last deadline a task can have: counting days after a date of year 9999 overflows, and no
# directive gives a deadline beyond the century.
LAST_DEADLINE = date(2099, 12, 31)


def day(value):
    """A date as the Office writes it in messages (dd/mm/yyyy), whatever the user's language."""
    return value.strftime("%d/%m/%Y")


def for_task(env, reference, message):
    """A rule's ``message`` about the task ``reference``, as the constraints word it."""
    return env._("Task %(task)s: %(message)s", task=reference, message=message)


def for_directive(env, number, message):
    """A rule's ``message`` about the directive numbered ``number``."""
    return env._("Directive %(directive)s: %(message)s", directive=number, message=message)


# ---------------------------------------------------------------------- directives


def classified_directive_name(env, classified, name, named_type, document_type=None):
    """A classified directive is named by its type only (Art. 7.2). ``named_type`` is the
    type ``name`` names (hy.directive._type_from_name), None when it names none; an empty
    name is filled with the type's name."""
    if not classified or not name:
        return None
    if named_type and (not document_type or named_type == document_type):
        return None
    return env._(
        "A classified directive is named by its type only (e.g. Quyết định, Chỉ thị, "
        "Kế hoạch), without any other words (Art. 7.2)."
    )


def classified_summary(env, classified, summary):
    if classified and summary:
        return env._("A classified directive cannot hold a summary (Art. 7.2).")
    return None


def classified_document_file(env, classified, document_file, filename=None):
    if classified and (document_file or filename):
        return env._("A classified directive cannot hold its document file (Art. 7.2).")
    return None


# ---------------------------------------------------------------------- tasks


def classified_task_content(env, classified, *contents):
    """A task of a classified directive holds no content, result or reason (Art. 7.2.đ)."""
    if classified and any(contents):
        return env._(
            "A task of a classified directive cannot hold content or result detail (Art. 7.2)."
        )
    return None


def task_content_missing(env, classified, name):
    if not classified and not name:
        return env._("Please describe the content of the task.")
    return None


def lead_in_support(env, lead, support):
    """``lead`` a unit (record, possibly empty), ``support`` the coordinating units."""
    if lead and lead in support:
        return env._("The lead unit cannot also be a coordinating unit.")
    return None


def deadline_after_last(env, deadline):
    if deadline and deadline > LAST_DEADLINE:
        return env._("A deadline cannot be after %s.", day(LAST_DEADLINE))
    return None


def deadline_before_issue(env, deadline, issue_date):
    if deadline and issue_date and deadline < issue_date:
        return env._(
            "The deadline (%(deadline)s) cannot be before the issue date of the directive "
            "(%(issue)s).",
            deadline=day(deadline),
            issue=day(issue_date),
        )
    return None


def deadline_days_missing(env, rule, days):
    """A deadline in (working) days needs its number of days."""
    if rule and rule != "date" and not (days and days > 0):
        return env._("Give the number of days of a deadline in days (at least 1).")
    return None


# The two rules below concern what a request sends: a task itself computes the date of a
# deadline in days, and ignores the number of days of a deadline on a date.


def deadline_sent_with_rule(env, rule, deadline):
    if rule and rule != "date" and deadline:
        return env._("A deadline in days is computed by the software: send no date with it.")
    return None


def days_without_rule(env, rule, days):
    if (not rule or rule == "date") and days:
        return env._("A number of days goes with a deadline in days only.")
    return None


def date_done_missing(env, state, date_done):
    """A task reported done has the date it was done."""
    if state == "done" and not date_done:
        return env._("Please give the date the task was done.")
    return None


def date_done_in_future(env, date_done, today):
    if date_done and date_done > today:
        return env._("The date done cannot be in the future.")
    return None


def done_before_assigned(env, date_done, date_assigned):
    if date_done and date_assigned and date_done < date_assigned:
        return env._(
            "The date done cannot be before the task was assigned (%s).", day(date_assigned)
        )
    return None


# ---------------------------------------------------------------------- progress updates


def progress_out_of_range(env, progress):
    if not 0 <= (progress or 0) <= 100:
        return env._("Progress is a percentage between 0 and 100.")
    return None


def update_note_missing(env, classified, note):
    """A normal task's progress update says what was done; a classified one holds none."""
    if not classified and not (note or "").strip():
        return env._("Please describe the progress made.")
    return None


def return_reason_missing(env, classified, reason):
    if not classified and not (reason or "").strip():
        return env._("Please give the reason for returning the task.")
    return None
