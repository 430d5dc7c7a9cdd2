from dateutil.relativedelta import relativedelta

from odoo import _, api, models
from odoo.tools import format_date
from odoo.tools.misc import formatLang

from .hy_task import OFFICE_WAITS, OPEN_STATES
from .hy_time import hy_today
from .status_category import AWAITING_CONFIRMATION as UNCONFIRMED
from .status_category import OVERDUE_CATEGORIES

# What the overview counts; each list opens exactly the tasks it counts.
OPEN = [("state", "in", OPEN_STATES)]
# Overdue against the unit: never a task with the Office (its deadline does not run then).
OVERDUE = [("progress_status", "in", OVERDUE_CATEGORIES)]
DUE_SOON = [("timeliness", "=", "due_soon")]
# Reported is not done: a result counts as done once the Office confirms it.
AWAITING_CONFIRMATION = [("progress_status", "=", UNCONFIRMED)]
# Whose turn it is: what waits for the Office, and what it holds beyond its own time limit.
WITH_OFFICE = [("with_office", "=", True)]
OFFICE_LATE = [("office_overdue", "=", True)]
# The results the on-time rate is computed from (as in the periodic reports): confirmations
# recorded in the task ledger, of tasks with a deadline to be judged against, each as it was
# when confirmed. A result sent back later stays counted in the month it was confirmed.
CONFIRMATIONS = [
    ("change", "=", "confirmed"),
    ("new_value", "=", "1"),
    ("deadline", "!=", False),
]
TREND_MONTHS = 12
LIST_LIMIT = 8
DIRECTIVE_LIMIT = 6


class HyTaskOverview(models.AbstractModel):
    """The leadership overview: how the province is doing, on one screen.

    Everything is read as the user, through the ORM: record rules and clearance apply, so a
    unit's member sees its own unit, the Chairman the province. The two charts of the screen
    are Odoo graph views (``hy_task_view_graph_overview_*``) over the domains given here.
    """

    _name = "hy.task.overview"
    _description = "Task Tracking Overview"

    @api.model
    def get_overview(self):
        """Everything the overview screen shows, in one call."""
        Task = self.env["hy.task"]
        today = hy_today()
        trend_start = today.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)
        trend_domain = [*CONFIRMATIONS, ("date", ">=", trend_start)]
        open_count = Task.search_count(OPEN)
        overdue_count = Task.search_count(OVERDUE)
        due_soon_count = Task.search_count(DUE_SOON)
        due_soon = Task.search(DUE_SOON, order="deadline asc, id asc", limit=LIST_LIMIT)
        longest_overdue = Task.search(OVERDUE, order="deadline asc, id asc", limit=LIST_LIMIT)
        # One prefetch set for both lists: their fields, and the working days counted on the
        # Office's calendar, are read once for all the tasks shown.
        shown = (due_soon | longest_overdue)._prefetch_ids
        due_soon, longest_overdue = (
            due_soon.with_prefetch(shown),
            longest_overdue.with_prefetch(shown),
        )
        # Every directive the overview names (its lists' and the busiest) is read in one go:
        # how many queries it makes never depends on which of them the cache already holds.
        busiest = Task._read_group(
            OPEN, ["directive_id"], ["__count"], order="__count desc", limit=DIRECTIVE_LIMIT
        )
        named = (due_soon | longest_overdue).directive_id.ids + [d.id for d, _n in busiest]
        self.env["hy.directive"].browse(named).fetch(["name", "number", "task_total"])
        due_soon_rows = self._task_rows(due_soon)
        longest_overdue_rows = self._task_rows(longest_overdue)
        # The lists name their tasks: a read of the classified ones (one INSERT at most).
        (due_soon | longest_overdue)._hy_log_classified("read", "overview")
        return {
            "today": format_date(self.env, today),
            "kpis": [
                self._kpi("open", _("Open tasks"), open_count, _("Open Tasks"), OPEN),
                self._kpi(
                    "overdue",
                    _("Overdue"),
                    overdue_count,
                    _("Overdue Tasks"),
                    OVERDUE,
                    note=_(
                        "%(rate)s of the open tasks",
                        rate=self._percent(100.0 * overdue_count / open_count if open_count else 0),
                    ),
                    tone="danger" if overdue_count else "success",
                ),
                self._kpi(
                    "due_soon",
                    _("Due in the next 7 days"),
                    due_soon_count,
                    _("Tasks Due in the Next 7 Days"),
                    DUE_SOON,
                    tone="warning" if due_soon_count else None,
                ),
                self._kpi(
                    "to_confirm",
                    _("Results awaiting confirmation"),
                    Task.search_count(AWAITING_CONFIRMATION),
                    _("Results Awaiting Confirmation"),
                    AWAITING_CONFIRMATION,
                ),
                *self._on_time_kpis(trend_domain),
            ],
            "due_soon": due_soon_rows,
            "due_soon_count": due_soon_count,
            "longest_overdue": longest_overdue_rows,
            "overdue_count": overdue_count,
            "office": self._office_line(),
            "urging": self._urging_line(today),
            "directives": self._busiest_directives(busiest),
            "latest_report": self._latest_report(),
            "charts": {
                "overdue_by_unit": {
                    "model": "hy.task",
                    "view_id": self._view_id("hy_task_view_graph_overview_overdue"),
                    "domain": OVERDUE,
                },
                # Units do not read the ledger: no trend for them.
                "trend": self._can_read_history()
                and {
                    "model": "hy.task.ledger",
                    "view_id": self._view_id("hy_task_ledger_view_graph_overview_trend"),
                    "domain": trend_domain,
                },
            },
        }

    @api.model
    def _home_action(self):
        """Where the app opens: the overview for the leadership and the Office's managers,
        the task kanban for the officers and the units, who work task by task."""
        user = self.env.user
        if user.has_group("hy_task_tracking.group_leadership") or user.has_group(
            "hy_task_tracking.group_office_manager"
        ):
            xmlid = "hy_task_tracking.hy_task_overview_action"
        else:
            xmlid = "hy_task_tracking.hy_task_action"
        return self.env["ir.actions.actions"]._for_xml_id(xmlid)

    # ------------------------------------------------------------------ helpers

    def _kpi(self, key, label, value, list_name, domain, note=None, tone=None):
        return {
            "key": key,
            "label": label,
            "value": value,
            "note": note,
            "tone": tone,
            "action": self._tasks_action(list_name, domain),
        }

    def _can_read_history(self):
        """Whether the user reads the task ledger (the Office and the leadership, not units)."""
        return self.env["hy.task.ledger"].has_access("read")

    def _on_time_kpis(self, domain):
        """The on-time rate of the results confirmed over ``domain``'s months, from the
        ledger, for those who read it."""
        if not self._can_read_history():
            return []
        counts = dict(
            self.env["hy.task.ledger"]._read_group(domain, ["status_category"], ["__count"])
        )
        results = sum(counts.values())
        on_time = counts.get("done_on_time", 0)
        return [
            {
                "key": "on_time_rate",
                "label": _("On-time rate, last 12 months"),
                "value": self._percent(100.0 * on_time / results) if results else "–",
                "note": _("of %(count)s confirmed results", count=results)
                if results
                else _("No result confirmed yet"),
                "tone": "success" if results and on_time >= 0.8 * results else None,
                "action": {
                    "type": "ir.actions.act_window",
                    "name": _("Results Confirmed in the Last 12 Months"),
                    "res_model": "hy.task.ledger",
                    # Its own list: each confirmation with its verdict, on time or late.
                    "views": [
                        [
                            # Cached lookup: env.ref() would query whether the view exists.
                            self.env["ir.model.data"]._xmlid_to_res_id(
                                "hy_task_tracking.hy_task_ledger_view_list_on_time"
                            ),
                            "list",
                        ],
                        [False, "form"],
                    ],
                    "domain": domain,
                    "context": {"create": False},
                },
            }
        ]

    def _tasks_action(self, name, domain):
        """The window action that lists exactly the tasks of ``domain``."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "hy.task",
            "views": [[False, "list"], [False, "kanban"], [False, "form"]],
            "domain": domain,
            "context": {"create": False},
        }

    def _percent(self, value):
        """A percentage in the user's language, e.g. "85,5 %" in Vietnamese."""
        return f"{formatLang(self.env, value, digits=1)} %"

    def _task_rows(self, tasks):
        return [
            {
                "id": task.id,
                "reference": task.reference,
                "title": task.title,
                "unit": task.lead_unit_id.name,
                "deadline": format_date(self.env, task.deadline),
                "days_overdue": task.days_overdue,
                "working_days_overdue": task.working_days_overdue,
                "category": task.progress_status,
            }
            for task in tasks
        ]

    @api.model
    def _office_counts(self):
        """The Office's own turn, as the user sees it: ``{office_wait: (tasks, of which beyond
        the Office's time limit)}`` of the tasks it holds now, in OFFICE_WAITS' order; one
        grouped query (the overview and the leadership digest)."""
        today = hy_today()
        groups = self.env["hy.task"]._read_group(
            WITH_OFFICE, ["office_wait", "office_due:day"], ["__count"]
        )
        counts = dict.fromkeys((wait for wait, _label in OFFICE_WAITS), (0, 0))
        for wait, due, count in groups:
            total, late = counts[wait]
            counts[wait] = (total + count, late + (count if due and due < today else 0))
        return {wait: pair for wait, pair in counts.items() if pair[0]}

    def _office_line(self):
        """The overview's line for the Office: what it holds now, by what it has to do."""
        counts = self._office_counts()
        labels = dict(self.env["hy.task"]._fields["office_wait"]._description_selection(self.env))
        return {
            "count": sum(count for count, _late in counts.values()),
            "late_count": sum(late for _count, late in counts.values()),
            "action": self._tasks_action(_("Tasks with the Office"), WITH_OFFICE),
            "late_action": self._tasks_action(
                _("Tasks the Office Holds beyond Its Time Limit"), OFFICE_LATE
            ),
            "rows": [
                {
                    "key": wait,
                    "label": labels[wait],
                    "count": count,
                    "late_count": late,
                    "action": self._tasks_action(
                        labels[wait], [*WITH_OFFICE, ("office_wait", "=", wait)]
                    ),
                    "late_action": self._tasks_action(
                        labels[wait], [*OFFICE_LATE, ("office_wait", "=", wait)]
                    ),
                }
                for wait, (count, late) in counts.items()
            ],
        }

    def _urging_line(self, today):
        """The overview's line for urging: the tasks urged this month (Hà Nội), the urging
        dispatches sent this month, and the requests for information awaiting an answer, of
        which those past their due date; each opens what it counts. Counted as the user (a
        unit: its own), one query each, whatever their number."""
        month_start = today.replace(day=1)
        urged = [("last_urge_date", ">=", month_start), ("last_urge_date", "<=", today)]
        sent = [("state", "=", "sent"), ("date", ">=", month_start), ("date", "<=", today)]
        waiting = [("state", "=", "open")]
        overdue = [*waiting, ("due_date", "<", today)]
        Request = self.env["hy.task.info.request"]
        by_due = Request._read_group(waiting, ["due_date:day"], ["__count"])
        return {
            "urged_count": self.env["hy.task"].search_count(urged),
            "urged_action": self._tasks_action(_("Tasks Urged This Month"), urged),
            "dispatch_count": self.env["hy.urge.dispatch"].search_count(sent),
            "dispatch_action": self._records_action(
                "hy.urge.dispatch", _("Urging Dispatches Sent This Month"), sent
            ),
            "info_request_count": sum(count for _due, count in by_due),
            "info_request_overdue_count": sum(
                count for due, count in by_due if due and due < today
            ),
            "info_request_action": self._records_action(
                Request._name, _("Requests for Information Awaiting an Answer"), waiting
            ),
            "info_request_overdue_action": self._records_action(
                Request._name, _("Requests for Information Past Their Due Date"), overdue
            ),
        }

    def _records_action(self, model, name, domain):
        """The window action that lists exactly the records of ``model`` in ``domain``."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [[False, "list"], [False, "form"]],
            "domain": domain,
            "context": {"create": False},
        }

    def _busiest_directives(self, busiest):
        """The directives with the most open tasks (``busiest``: [(directive, open tasks)]),
        with how many of those are overdue."""
        Task = self.env["hy.task"]
        directives = self.env["hy.directive"].browse([d.id for d, _count in busiest])
        overdue = dict(
            Task._read_group(
                [*OPEN, *OVERDUE, ("directive_id", "in", directives.ids)],
                ["directive_id"],
                ["__count"],
            )
        )
        rows = [
            {
                "id": directive.id,
                "name": directive.display_name,
                "open_count": count,
                "overdue_count": overdue.get(directive, 0),
                "action": self._tasks_action(
                    directive.display_name, [*OPEN, ("directive_id", "=", directive.id)]
                ),
            }
            for directive, count in busiest
        ]
        # Named on the overview: a read of the classified ones (their fields are read above).
        directives._hy_log_classified("read", "overview")
        return rows

    def _view_id(self, name):
        return self.env.ref(f"hy_task_tracking.{name}").id

    def _latest_report(self):
        """The latest approved periodic report, as hy_task_reports describes it, or False."""
        return False
