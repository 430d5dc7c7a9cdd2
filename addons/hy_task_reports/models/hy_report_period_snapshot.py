from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.hy_task_tracking.models.hy_task import OFFICE_WAIT_DAYS
from odoo.addons.hy_task_tracking.models.hy_time import day_start_utc
from odoo.addons.hy_task_tracking.models.status_category import (
    DONE_CATEGORIES,
    status_category_sql,
)

from .report_figures import (
    COUNT_FIELDS,
    FIGURE_DOMAINS,
    OFFICE_FIGURES,
    OFFICE_WAIT_KEYS,
    QUALITY_POINTS,
    SUM_FIELDS,
    competition_ranks,
    derived_figures,
    unit_score,
)


class TurnCalendar:
    """The working days of the Office's calendar over the days ``first`` to ``last``, for SQL:
    ``cumulative[i]`` is the number of working days d with first < d <= first + i, so the
    working days d with a < d <= b are cum(b) - cum(a), for a and b within the span."""

    def __init__(self, first, last, cumulative):
        self.first, self.last, self.cumulative = first, last, cumulative

    def cum(self, day):
        """SQL: the working days after ``first`` up to the date SQL expression ``day``."""
        return SQL("(%s::int[])[(%s) - %s::date + 1]", self.cumulative, day, self.first)


def with_office_sql(alias):
    """SQL: whether the task waited for the Office after ledger entry ``alias``. Entries
    written before the ledger recorded it (with_office NULL) tell it by their state: returned,
    or reported done and not confirmed, an active task."""
    return SQL(
        """COALESCE(%(a)s.with_office,
                    COALESCE(%(a)s.active, FALSE)
                    AND (%(a)s.state = 'returned'
                         OR (%(a)s.state = 'done' AND NOT COALESCE(%(a)s.confirmed, FALSE))))""",
        a=SQL.identifier(alias),
    )


def office_wait_sql(alias):
    """SQL: what the task waited for from the Office after entry ``alias`` (a key of
    OFFICE_WAITS), or NULL when it was not with the Office (hy.task.ledger._office_wait_after)."""
    return SQL(
        """CASE WHEN %(held)s THEN
                CASE WHEN %(a)s.state = 'returned' THEN 'return'
                     WHEN %(a)s.state = 'done' THEN 'confirmation'
                     ELSE 'extension' END
           END""",
        held=with_office_sql(alias),
        a=SQL.identifier(alias),
    )


class HyReportPeriod(models.Model):
    """The snapshot of a report period, in SQL: its entries from the task ledger, the figures
    of its lines and its totals. Kept apart from the period's workflow, as Odoo keeps the SQL
    of account.move.line's tax details in account_move_line_tax_details.py."""

    _inherit = "hy.report.period"

    def _counted_tasks_query(self, calendar):
        """SELECT of the entries of this period, from the task ledger as of its last day.

        Each task is taken as it was at the end of ``date_to`` (Asia/Ho_Chi_Minh): the last
        ledger entry before that instant gives its lead unit, deadline, state, completion,
        confirmation and evaluation then. It counts, for the unit that led it then, when it
        was neither draft, cancelled nor archived, and either not done-and-confirmed, or done
        within the period, or due within it. Its category is judged on ``as_of`` =
        min(date_to, today). Changes made after the period (transfers, extensions,
        cancellations, archiving, results) never alter it. Besides the counted tasks, one
        entry per task a unit transferred to another unit within the period (not counted).
        See readme/DESCRIPTION.md.

        Urges: each "urge" entry of the ledger dated within the period counts for the unit
        its snapshot names, the unit that led the task then, in scope as the entry stood:
        on that unit's entry of the task (counted or transferred out), or on an entry of its
        own, not counted, when the unit has none (a task cancelled since, say). An urge
        before a transfer stays with the unit urged.

        Whose turn it was: each counted entry also gets the working days of the period (up
        to ``as_of``, on ``calendar``, see _turn_calendar()) that its task was open with the
        unit it counts for (assigned or in progress, led by that unit, not waiting for the
        Office) and with the Office. Each ledger entry holds the task until the next one: a
        day d belongs to the last entry dated before d. Returned on the 8th and decided on the
        15th, the task was the Office's from the 9th to the 15th (as hy_task_tracking counts
        the Office's days after a deadline).
        """
        self.ensure_one()
        scope = SQL()
        out_scope = SQL()
        urge_scope = SQL()
        if self.authority_ids:
            codes = tuple(self.authority_ids.mapped("code"))
            scope = SQL("AND s.authority IN %s", codes)
            out_scope = SQL("AND s.authority IN %s", codes)
            urge_scope = SQL("AND l.authority IN %s", codes)
        if self.unit_ids:
            units = tuple(self.unit_ids.ids)
            scope = SQL("%s AND s.lead_unit_id IN %s", scope, units)
            out_scope = SQL("%s AND m.from_unit_id IN %s", out_scope, units)
            urge_scope = SQL("%s AND l.lead_unit_id IN %s", urge_scope, units)
        return SQL(
            """
            WITH snap AS (
                SELECT DISTINCT ON (l.task_id)
                       l.task_id, l.state, l.lead_unit_id, l.deadline, l.date_done,
                       l.confirmed, l.quality, l.effectiveness, l.active, l.authority,
                       l.is_classified, l.with_office
                  FROM hy_task_ledger l
                 WHERE l.timestamp < %(end)s
              ORDER BY l.task_id, l.timestamp DESC, l.id DESC
            ), counted AS (
                SELECT s.*, t.directive_id, s.state = 'done' AND s.confirmed AS settled
                  FROM snap s
                  JOIN hy_task t ON t.id = s.task_id
                 WHERE s.active AND s.state NOT IN ('draft', 'cancelled')
                   AND s.lead_unit_id IS NOT NULL
                   AND (NOT (s.state = 'done' AND s.confirmed)
                        OR s.date_done BETWEEN %(from)s AND %(to)s
                        OR s.deadline BETWEEN %(from)s AND %(to)s)
                   %(scope)s
            ), moves AS (
                SELECT l.task_id, l.old_value::integer AS from_unit_id,
                       l.lead_unit_id AS to_unit_id
                  FROM hy_task_ledger l
                 WHERE l.change = 'lead_unit_id' AND l.old_value IS NOT NULL
                   AND l.state <> 'draft'
                   AND l.timestamp >= %(start)s AND l.timestamp < %(end)s
            ), outs AS (
                SELECT DISTINCT m.task_id, m.from_unit_id AS unit_id,
                       COALESCE(s.is_classified, FALSE) AS is_classified
                  FROM moves m
                  LEFT JOIN snap s ON s.task_id = m.task_id
                 WHERE s.lead_unit_id IS DISTINCT FROM m.from_unit_id
                   %(out_scope)s
            ), urges AS (
                SELECT l.task_id, l.lead_unit_id AS unit_id, count(*) AS urge_count,
                       max(l.date) AS last_urge_date,
                       bool_or(COALESCE(l.is_classified, FALSE)) AS is_classified
                  FROM hy_task_ledger l
                 WHERE l.change = 'urge' AND l.lead_unit_id IS NOT NULL
                   AND l.timestamp >= %(start)s AND l.timestamp < %(end)s
                   %(urge_scope)s
              GROUP BY l.task_id, l.lead_unit_id
            ), extended AS (
                SELECT DISTINCT l.task_id
                  FROM hy_task_ledger l
                 WHERE l.change = 'deadline' AND l.extension_id IS NOT NULL
                   AND l.timestamp >= %(start)s AND l.timestamp < %(end)s
            ), steps AS (
                SELECT l.task_id, l.lead_unit_id, %(held)s AS with_office,
                       COALESCE(l.active, FALSE) AND l.state IN ('assigned', 'in_progress')
                           AS open,
                       LEAST(GREATEST(l.date, %(first)s), %(last)s) AS since,
                       GREATEST(LEAST(COALESCE(LEAD(l.date) OVER (PARTITION BY l.task_id
                                                                  ORDER BY l.timestamp, l.id),
                                               %(last)s), %(last)s), %(first)s) AS until
                  FROM hy_task_ledger l
                 WHERE l.timestamp < %(end)s
                   AND l.task_id IN (SELECT task_id FROM counted)
            ), turn_days AS (
                SELECT s.task_id,
                       sum(%(days)s) FILTER (WHERE s.open AND NOT s.with_office
                                               AND s.lead_unit_id = c.lead_unit_id)
                           AS unit_days,
                       sum(%(days)s) FILTER (WHERE s.with_office) AS office_days
                  FROM steps s
                  JOIN counted c ON c.task_id = s.task_id
                 WHERE s.until > s.since
              GROUP BY s.task_id
            )
            SELECT c.task_id, c.lead_unit_id AS unit_id, c.directive_id, TRUE AS counted,
                   %(category)s AS status_category,
                   c.deadline, c.date_done,
                   c.deadline IS NOT NULL AS has_deadline,
                   COALESCE(c.is_classified, FALSE),
                   c.state = 'returned' AS is_returned,
                   COALESCE((c.task_id, c.lead_unit_id) IN (SELECT task_id, to_unit_id
                                                              FROM moves), FALSE)
                       AS is_transferred_in,
                   FALSE AS is_transferred_out,
                   c.task_id IN (SELECT task_id FROM extended) AS is_extended,
                   CASE WHEN c.settled AND c.date_done > c.deadline
                        THEN c.date_done - c.deadline END AS delay_days,
                   c.quality, c.effectiveness,
                   COALESCE(d.unit_days, 0)::integer AS unit_days,
                   COALESCE(d.office_days, 0)::integer AS office_days,
                   COALESCE(u.urge_count, 0)::integer AS urge_count, u.last_urge_date
              FROM counted c
              LEFT JOIN turn_days d ON d.task_id = c.task_id
              LEFT JOIN urges u ON u.task_id = c.task_id AND u.unit_id = c.lead_unit_id
            UNION ALL
            SELECT o.task_id, o.unit_id, t.directive_id, FALSE, NULL, NULL::date,
                   NULL::date, NULL::boolean, o.is_classified, FALSE, FALSE,
                   TRUE, FALSE, NULL::integer, NULL, NULL, NULL::integer, NULL::integer,
                   COALESCE(u.urge_count, 0)::integer, u.last_urge_date
              FROM outs o
              JOIN hy_task t ON t.id = o.task_id
              LEFT JOIN urges u ON u.task_id = o.task_id AND u.unit_id = o.unit_id
            UNION ALL
            SELECT u.task_id, u.unit_id, t.directive_id, FALSE, NULL, NULL::date,
                   NULL::date, NULL::boolean, u.is_classified, FALSE, FALSE,
                   FALSE, FALSE, NULL::integer, NULL, NULL, NULL::integer, NULL::integer,
                   u.urge_count::integer, u.last_urge_date
              FROM urges u
              JOIN hy_task t ON t.id = u.task_id
             WHERE NOT EXISTS (SELECT 1 FROM counted c
                                WHERE c.task_id = u.task_id AND c.lead_unit_id = u.unit_id)
               AND NOT EXISTS (SELECT 1 FROM outs o
                                WHERE o.task_id = u.task_id AND o.unit_id = u.unit_id)
            """,
            category=status_category_sql(
                SQL("c.state"),
                SQL("c.deadline"),
                SQL("c.date_done"),
                self._as_of(),
                confirmed=SQL("c.confirmed"),
                with_office=SQL("c.with_office"),
            ),
            start=day_start_utc(self.date_from),
            end=day_start_utc(self.date_to + timedelta(days=1)),
            to=self.date_to,
            scope=scope,
            out_scope=out_scope,
            urge_scope=urge_scope,
            held=with_office_sql("l"),
            first=calendar.first,
            last=calendar.last,
            days=SQL("%s - %s", calendar.cum(SQL("s.until")), calendar.cum(SQL("s.since"))),
            **{"from": self.date_from},
        )

    def _build_snapshot(self):
        """Store the entries of the period and the figures of each unit (lines) and in all.

        A fixed number of queries whatever the number of tasks: one INSERT ... SELECT of the
        entries (with whose turn it was), one UPDATE of their delays in working days, the
        Office's turns (one query), one grouped count of the entries, then the lines (one
        INSERT) and the totals; the Office's calendar is read once for the turns and once for
        the delays.
        """
        self.ensure_one()
        self.env["hy.task"].flush_model()
        self.env["hy.directive"].flush_model(["is_classified", "authority"])
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM hy_report_entry WHERE period_id = %s", self.id))
        calendar = self._turn_calendar()
        cr.execute(
            SQL(
                """
                INSERT INTO hy_report_entry
                       (period_id, task_id, unit_id, directive_id, counted, status_category,
                        deadline, date_done, has_deadline, is_classified, is_returned,
                        is_transferred_in, is_transferred_out, is_extended, delay_days, quality,
                        effectiveness, unit_days, office_days, urge_count, last_urge_date)
                SELECT %s, c.*
                  FROM (%s) c
                """,
                self.id,
                self._counted_tasks_query(calendar),
            )
        )
        self._count_delays_in_working_days()
        office = self._office_turns(calendar)
        self.env["hy.report.entry"].invalidate_model()
        figures = self._aggregate_entries()
        for unit in self.unit_ids:
            figures.setdefault(unit.id, {})
        self._write_lines(figures, office)

    def _turn_calendar(self):
        """The working days of the Office's calendar that the turns count, from the day before
        the period (``first``: the days after it) to its as-of day (``last``), as a
        TurnCalendar: read once (the calendar's few queries), handed to SQL as an array."""
        first = self.date_from - timedelta(days=1)
        last = max(self._as_of(), first)
        calendar = self.env["resource.calendar"]._hy_office_calendar()
        working = calendar._hy_working_dates(first + timedelta(days=1), last)
        cumulative, count = [0], 0
        for offset in range(1, (last - first).days + 1):
            count += (first + timedelta(days=offset)) in working
            cumulative.append(count)
        return TurnCalendar(first, last, cumulative)

    def _office_turns(self, calendar):
        """The Office's own line ({figure: value}, see OFFICE_FIGURES): each time a task in the
        scope came to the Office within the period (up to its as-of day), what for, how many
        working days it waited up to the Office's decision or the as-of day, and whether that
        was beyond the Office's time limit (settings): decided after the limit's last day, or
        still waiting on the as-of day with that day passed. One query from the task ledger.
        """
        last = calendar.last
        Settings = self.env["hy.settings"]
        limits = {key: Settings._hy_param(OFFICE_WAIT_DAYS[key]) for key in OFFICE_WAIT_KEYS}
        scope = SQL()
        if self.authority_ids:
            scope = SQL("AND c.authority IN %s", tuple(self.authority_ids.mapped("code")))
        if self.unit_ids:
            scope = SQL("%s AND c.lead_unit_id IN %s", scope, tuple(self.unit_ids.ids))
        self.env.cr.execute(
            SQL(
                """
                WITH marks AS (
                    SELECT l.task_id, l.timestamp, l.id, l.date, l.lead_unit_id, l.authority,
                           %(wait)s AS wait
                      FROM hy_task_ledger l
                     WHERE l.timestamp < %(end)s
                       AND l.task_id IN (SELECT m.task_id FROM hy_task_ledger m
                                          WHERE m.date BETWEEN %(from)s AND %(last)s
                                            AND %(held)s)
                ), changes AS (
                    SELECT *, LAG(wait) OVER (PARTITION BY task_id ORDER BY timestamp, id)
                                  AS before
                      FROM marks
                ), turns AS (
                    SELECT c.wait, c.date AS since, c.lead_unit_id, c.authority,
                           LEAD(c.date) OVER (PARTITION BY c.task_id
                                              ORDER BY c.timestamp, c.id) AS until
                      FROM changes c
                     WHERE c.wait IS DISTINCT FROM c.before
                ), held AS (
                    SELECT c.wait, c.since, LEAST(COALESCE(c.until, %(last)s), %(last)s) AS until
                      FROM turns c
                     WHERE c.wait IS NOT NULL AND c.since BETWEEN %(from)s AND %(last)s
                       %(scope)s
                ), judged AS (
                    SELECT h.wait, h.since, h.until, lim.days AS limit_days,
                           %(days)s AS days,
                           %(working_until)s AS working_until
                      FROM held h
                      JOIN (VALUES %(limits)s) AS lim(wait, days) ON lim.wait = h.wait
                )
                SELECT wait, count(*),
                       count(*) FILTER (WHERE days > limit_days
                                           OR (days = limit_days AND until > since
                                               AND NOT working_until)),
                       COALESCE(sum(days), 0)::integer
                  FROM judged
              GROUP BY wait
                """,
                wait=office_wait_sql("l"),
                days=SQL("%s - %s", calendar.cum(SQL("h.until")), calendar.cum(SQL("h.since"))),
                working_until=SQL(
                    "%s > %s",
                    calendar.cum(SQL("h.until")),
                    calendar.cum(SQL("h.until - 1")),
                ),
                held=with_office_sql("m"),
                end=day_start_utc(self.date_to + timedelta(days=1)),
                last=last,
                limits=SQL(", ").join(SQL("(%s, %s)", key, days) for key, days in limits.items()),
                scope=scope,
                **{"from": self.date_from},
            )
        )
        figures = dict.fromkeys(OFFICE_FIGURES, 0)
        figures.update({f"office_{key}_limit": days for key, days in limits.items()})
        for wait, count, late, days in self.env.cr.fetchall():
            figures[f"office_{wait}_count"] = count
            figures[f"office_{wait}_late"] = late
            figures[f"office_{wait}_days"] = days
        return figures

    def _count_delays_in_working_days(self):
        """The delay of each task done late, in working days of the Office's calendar (the
        entries' query counted calendar days): one read, one load of the calendar, one
        UPDATE, whatever the number of tasks."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, deadline, date_done FROM hy_report_entry"
                " WHERE period_id = %s AND delay_days IS NOT NULL",
                self.id,
            )
        )
        rows = cr.fetchall()
        if rows:
            working_days = self.env["resource.calendar"]._hy_working_days(
                min(row[1] for row in rows), max(row[2] for row in rows)
            )
            values = SQL(", ").join(
                SQL("(%s, %s)", entry_id, working_days.count(deadline, done))
                for entry_id, deadline, done in rows
            )
            cr.execute(
                SQL(
                    "UPDATE hy_report_entry e SET delay_days = v.days"
                    " FROM (VALUES %s) AS v(id, days) WHERE e.id = v.id",
                    values,
                )
            )
        # Written in SQL like the figures: write() refuses them (see write()).
        cr.execute(SQL("UPDATE hy_report_period SET delay_unit = 'working' WHERE id = %s", self.id))
        self.invalidate_recordset(["delay_unit"])

    def _aggregate_entries(self, condition=None):
        """{unit_id: {figure: value}} from the entries of this period (those matching the SQL
        ``condition``, if given), in one query."""
        counts = [
            SQL(
                "count(*) FILTER (WHERE %s) AS %s",
                self._entry_condition(name),
                SQL.identifier(name),
            )
            for name in COUNT_FIELDS
        ]
        self.env.cr.execute(
            SQL(
                """
                SELECT unit_id, %s,
                       COALESCE(sum(delay_days) FILTER (WHERE status_category = 'done_late'), 0)
                           AS total_delay_days,
                       COALESCE(sum(CASE quality %s ELSE 0 END)
                                    FILTER (WHERE status_category IN %s), 0) AS quality_points,
                       COALESCE(sum(unit_days), 0) AS unit_days,
                       COALESCE(sum(office_days), 0) AS office_days,
                       COALESCE(sum(urge_count), 0) AS urge_count
                  FROM hy_report_entry
                 WHERE period_id = %s AND %s
              GROUP BY unit_id
                """,
                SQL(", ").join(counts),
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", key, points) for key, points in QUALITY_POINTS.items()
                ),
                DONE_CATEGORIES,
                self.id,
                condition or SQL("TRUE"),
            )
        )
        return {row.pop("unit_id"): row for row in self.env.cr.dictfetchall()}

    @api.model
    def _entry_condition(self, figure):
        """SQL condition on hy_report_entry equivalent to FIGURE_DOMAINS[figure]."""
        Entry = self.env["hy.report.entry"]
        query = Entry._where_calc(FIGURE_DOMAINS[figure], active_test=False)
        return query.where_clause or SQL("TRUE")

    def _ranked(self, figures):
        """One dict per unit of ``figures`` ({unit id: counts}): rates, score, rank, sequence,
        in the order of the report (ranked units first, by rank)."""
        weights = (self.weight_completion, self.weight_quality)
        counts = (*COUNT_FIELDS, *SUM_FIELDS)
        vals_list = []
        for unit_id, values in figures.items():
            values = dict.fromkeys(counts, 0) | values
            values.update(derived_figures(values, self.late_credit))
            score = unit_score(values, weights)
            values.update(unit_id=unit_id, score=score or 0.0, rank=score)
            vals_list.append(values)
        ranks = competition_ranks({index: v["rank"] for index, v in enumerate(vals_list)})
        for index, values in enumerate(vals_list):
            values["rank"] = ranks[index]
        names = {unit.id: unit.name for unit in self.env["hy.unit"].browse(figures)}
        vals_list.sort(
            key=lambda v: (not v["rank"], v["rank"], -v["assigned_count"], names[v["unit_id"]])
        )
        for sequence, values in enumerate(vals_list, start=1):
            values["sequence"] = sequence
        return vals_list

    def _write_lines(self, figures, office):
        """Replace the lines of the period by one line per unit of ``figures``; store the
        totals of the period and the Office's own line (``office``)."""
        evaluations = {line.unit_id.id: line.evaluation for line in self.line_ids}
        self.line_ids.sudo().unlink()  # sudo: replaced by this computation only
        counts = (*COUNT_FIELDS, *SUM_FIELDS)
        vals_list = self._ranked(figures)
        for values in vals_list:
            values.update(period_id=self.id, evaluation=evaluations.get(values["unit_id"]))
        # The lines come from this computation only (hy.write.guard refuses them to all).
        Line = self.env["hy.report.line"].sudo()  # sudo: see the comment above
        Line.with_context(hy_report_snapshot=True).create(vals_list)
        totals = {name: sum(values[name] for values in vals_list) for name in counts}
        totals.update(derived_figures(totals, self.late_credit))
        totals.update(office, turns_counted=True, urges_counted=True)
        # Written in SQL like the entries: write() refuses figures to everyone (see write()).
        self.env.cr.execute(
            SQL(
                "UPDATE hy_report_period SET %s WHERE id = %s",
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value) for name, value in totals.items()
                ),
                self.id,
            )
        )
        self.invalidate_recordset(list(totals))
