from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.hy_task_tracking.models.hy_time import day_start_utc
from odoo.addons.hy_task_tracking.models.status_category import status_category_sql

from .report_figures import (
    AWAITING_CONFIRMATION,
    COUNT_FIELDS,
    FIGURE_DOMAINS,
    competition_ranks,
    derived_figures,
    unit_score,
)


class HyReportPeriod(models.Model):
    """The snapshot of a report period, in SQL: its entries from the task ledger, the figures
    of its lines and its totals. Kept apart from the period's workflow, as Odoo keeps the SQL
    of account.move.line's tax details in account_move_line_tax_details.py."""

    _inherit = "hy.report.period"

    def _counted_tasks_query(self):
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
        """
        self.ensure_one()
        scope = SQL()
        out_scope = SQL()
        if self.authority_ids:
            codes = tuple(self.authority_ids.mapped("code"))
            scope = SQL("AND s.authority IN %s", codes)
            out_scope = SQL("AND s.authority IN %s", codes)
        if self.unit_ids:
            units = tuple(self.unit_ids.ids)
            scope = SQL("%s AND s.lead_unit_id IN %s", scope, units)
            out_scope = SQL("%s AND m.from_unit_id IN %s", out_scope, units)
        return SQL(
            """
            WITH snap AS (
                SELECT DISTINCT ON (l.task_id)
                       l.task_id, l.state, l.lead_unit_id, l.deadline, l.date_done,
                       l.confirmed, l.quality, l.active, l.authority, l.is_classified
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
            ), extended AS (
                SELECT DISTINCT l.task_id
                  FROM hy_task_ledger l
                 WHERE l.change = 'deadline' AND l.extension_id IS NOT NULL
                   AND l.timestamp >= %(start)s AND l.timestamp < %(end)s
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
                   CASE WHEN c.settled THEN c.quality END AS quality
              FROM counted c
            UNION ALL
            SELECT DISTINCT m.task_id, m.from_unit_id, t.directive_id, FALSE, NULL, NULL::date,
                   NULL::date, NULL::boolean, COALESCE(s.is_classified, FALSE), FALSE, FALSE,
                   TRUE, FALSE, NULL::integer, NULL
              FROM moves m
              JOIN hy_task t ON t.id = m.task_id
              LEFT JOIN snap s ON s.task_id = m.task_id
             WHERE s.lead_unit_id IS DISTINCT FROM m.from_unit_id
               %(out_scope)s
            """,
            category=status_category_sql(
                SQL("c.state"),
                SQL("c.deadline"),
                SQL("c.date_done"),
                self._as_of(),
                settled=SQL("c.settled"),
                awaiting=AWAITING_CONFIRMATION,
            ),
            start=day_start_utc(self.date_from),
            end=day_start_utc(self.date_to + timedelta(days=1)),
            to=self.date_to,
            scope=scope,
            out_scope=out_scope,
            **{"from": self.date_from},
        )

    def _build_snapshot(self):
        """Store the entries of the period and the figures of each unit (lines) and in all.

        A fixed number of queries whatever the number of tasks: one INSERT ... SELECT of the
        entries, one grouped count of them, then the lines (one INSERT) and the totals.
        """
        self.ensure_one()
        self.env["hy.task"].flush_model()
        self.env["hy.directive"].flush_model(["is_classified", "authority"])
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM hy_report_entry WHERE period_id = %s", self.id))
        cr.execute(
            SQL(
                """
                INSERT INTO hy_report_entry
                       (period_id, task_id, unit_id, directive_id, counted, status_category,
                        deadline, date_done, has_deadline, is_classified, is_returned,
                        is_transferred_in, is_transferred_out, is_extended, delay_days, quality)
                SELECT %s, c.*
                  FROM (%s) c
                """,
                self.id,
                self._counted_tasks_query(),
            )
        )
        self._count_delays_in_working_days()
        self.env["hy.report.entry"].invalidate_model()
        figures = self._aggregate_entries()
        for unit in self.unit_ids:
            figures.setdefault(unit.id, {})
        self._write_lines(figures)

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
                           AS total_delay_days
                  FROM hy_report_entry
                 WHERE period_id = %s AND %s
              GROUP BY unit_id
                """,
                SQL(", ").join(counts),
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
        counts = (*COUNT_FIELDS, "total_delay_days")
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

    def _write_lines(self, figures):
        """Replace the lines of the period by one line per unit of ``figures``; store the
        totals of the period."""
        evaluations = {line.unit_id.id: line.evaluation for line in self.line_ids}
        self.line_ids.sudo().unlink()  # sudo: replaced by this computation only
        counts = (*COUNT_FIELDS, "total_delay_days")
        vals_list = self._ranked(figures)
        for values in vals_list:
            values.update(period_id=self.id, evaluation=evaluations.get(values["unit_id"]))
        # The lines come from this computation only (hy.write.guard refuses them to all).
        Line = self.env["hy.report.line"].sudo()  # sudo: see the comment above
        Line.with_context(hy_report_snapshot=True).create(vals_list)
        totals = {name: sum(values[name] for values in vals_list) for name in counts}
        totals.update(derived_figures(totals, self.late_credit))
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
