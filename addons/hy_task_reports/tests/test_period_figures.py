from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from ..models.report_figures import COUNT_FIELDS, unit_score
from .common import H1, TODAY, TestHyReportCommon, expected_figures

CHECKED = (
    "assigned_count",
    "done_on_time_count",
    "done_late_count",
    "in_progress_on_time_count",
    "in_progress_overdue_count",
    "not_started_on_time_count",
    "not_started_overdue_count",
    "no_deadline_count",
    "overdue_count",
    "classified_count",
    "returned_count",
    "total_delay_days",
)


@tagged("post_install", "-at_install")
class TestPeriodFigures(TestHyReportCommon):
    def _computed(self, **vals):
        period = self._period(**vals)
        period.action_compute()
        return period

    def _assert_matches_python_count(self, period, today):
        expected = expected_figures(self.tasks, period.date_from, period.date_to, today)
        lines = period.line_ids.filtered(lambda line: line.unit_id in (self.unit_a | self.unit_b))
        self.assertEqual(set(lines.unit_id), set(expected))
        for line in lines:
            got = {name: line[name] for name in CHECKED}
            self.assertEqual(got, expected[line.unit_id], line.unit_id.name)

    @freeze_time(TODAY)
    def test_past_period_matches_an_independent_count(self):
        """A period that ended before today: categories are judged at its end."""
        period = self._computed()
        self.assertEqual((period.date_from, period.date_to), H1)
        self._assert_matches_python_count(period, date(2026, 8, 15))
        line_a = self._line(period, self.unit_a)
        # Every category is represented in the data set.
        for name in CHECKED:
            if name not in ("classified_count", "transferred_count"):
                self.assertTrue(
                    line_a[name] or self._line(period, self.unit_b)[name], f"{name} is empty"
                )
        self.assertEqual(self._line(period, self.unit_b).classified_count, 1)

    @freeze_time(TODAY)
    def test_period_boundaries(self):
        period = self._computed()
        line_a, line_b = self._line(period, self.unit_a), self._line(period, self.unit_b)
        t = self.t
        counted = self._tasks_of(line_a, "assigned_count") | self._tasks_of(
            line_b, "assigned_count"
        )
        for key in (
            "done_on_date_from",
            "done_on_date_to",
            "done_early",
            "done_after_deadline_to",
            "assigned_on_date_to",
            "returned",
            "no_deadline",
        ):
            self.assertIn(t[key], counted, key)
        for key in ("done_before", "assigned_after", "cancelled", "draft", "archived"):
            self.assertNotIn(t[key], counted, key)

        def category(key, line=line_a):
            return next(
                name
                for name in COUNT_FIELDS
                if name.startswith(("done_", "in_progress_", "not_started_"))
                and name != "done_count"
                and t[key] in self._tasks_of(line, name)
            )

        self.assertEqual(category("done_on_deadline"), "done_on_time_count")
        self.assertEqual(category("done_on_date_from"), "done_late_count")
        self.assertEqual(category("done_on_date_to"), "done_late_count")
        self.assertEqual(category("done_early"), "done_on_time_count")
        # Done after the end of the period: in progress at its end; the deadline on the last
        # day is not yet overdue, the day before is.
        self.assertEqual(category("done_after_deadline_to"), "in_progress_on_time_count")
        self.assertEqual(category("done_after_overdue"), "in_progress_overdue_count")
        # Overdue today, but not at the end of the period.
        self.assertEqual(t["in_progress_on_time"].status_category, "in_progress_overdue")
        self.assertEqual(category("in_progress_on_time"), "in_progress_on_time_count")
        self.assertEqual(category("returned"), "not_started_overdue_count")
        self.assertEqual(category("assigned_on_date_to"), "not_started_on_time_count")
        # Transferred at 23:30 on 30 June in Hà Nội: within the period; at 00:30 on 1 July: not.
        self.assertEqual(self._tasks_of(line_b, "transferred_count"), t["b_transferred"])
        self.assertEqual(line_b.transferred_count, 1)
        self.assertEqual(self._tasks_of(line_a, "returned_count"), t["returned"])
        self.assertEqual(self._tasks_of(line_b, "classified_count"), t["b_classified"])
        self.assertEqual(
            self._tasks_of(line_a, "no_deadline_count"), t["no_deadline"] | t["no_deadline_done"]
        )

    @freeze_time(TODAY)
    def test_current_period_uses_today_and_the_stored_category(self):
        """A period that has not ended yet is judged today: the stored category."""
        self.env["hy.task"]._cron_recompute_timeliness()
        period = self._computed(kind="annual")
        self._assert_matches_python_count(period, date(2026, 8, 15))
        entries = self.env["hy.report.entry"].search(
            [("period_id", "=", period.id), ("unit_id", "in", (self.unit_a | self.unit_b).ids)]
        )
        self.assertTrue(entries)
        for entry in entries:
            self.assertEqual(
                entry.status_category, entry.task_id.status_category, entry.task_id.reference
            )

    @freeze_time(TODAY)
    def test_every_figure_opens_exactly_its_tasks(self):
        period = self._computed()
        for line in period.line_ids:
            for figure in COUNT_FIELDS:
                self.assertEqual(
                    len(self._tasks_of(line, figure)), line[figure], f"{line.unit_id.name} {figure}"
                )
            self.assertEqual(len(self._tasks_of(line, "on_time_rate")), line.done_count)
            self.assertEqual(len(self._tasks_of(line, "avg_delay_days")), line.done_late_count)
        for figure in COUNT_FIELDS:
            self.assertEqual(len(self._tasks_of(period, figure)), period[figure], figure)
        action = self._line(period, self.unit_a).action_open_tasks("done_late_count")
        self.assertEqual(action["res_model"], "hy.task")
        self.assertEqual(action["type"], "ir.actions.act_window")

    @freeze_time(TODAY)
    def test_rates_delays_quality_and_totals(self):
        period = self._computed()
        line_a = self._line(period, self.unit_a)
        # done on time: on deadline, early, without deadline; late: 1, 9 and 15 days
        self.assertEqual((line_a.done_on_time_count, line_a.done_late_count), (3, 3))
        self.assertEqual(line_a.on_time_rate, 50.0)
        self.assertEqual(line_a.avg_delay_days, round(25 / 3, 1))
        # Evaluated after the end of the period: not counted.
        self.assertEqual(
            (
                line_a.quality_excellent_count,
                line_a.quality_good_count,
                line_a.quality_satisfactory_count,
            ),
            (1, 1, 0),
        )
        self.assertEqual(line_a.quality_score, 90.0)
        self.assertEqual(period.assigned_count, sum(period.line_ids.mapped("assigned_count")))
        self.assertEqual(
            period.on_time_rate,
            round(100 * period.done_on_time_count / period.done_count, 2),
        )

    @freeze_time(TODAY)
    def test_ranking(self):
        period = self._computed(unit_ids=[(6, 0, (self.unit_a | self.unit_b | self.unit_idle).ids)])
        line_a, line_b = self._line(period, self.unit_a), self._line(period, self.unit_b)
        idle = self._line(period, self.unit_idle)
        self.assertEqual((idle.assigned_count, idle.rank), (0, 0))
        # Unit B: nothing done, nothing evaluated: only the overdue share counts.
        self.assertEqual(
            line_b.score, round(100 - 100 * line_b.overdue_count / line_b.assigned_count, 2)
        )
        expected_a = (
            50 * line_a.on_time_rate
            + 30 * (100 - round(100 * line_a.overdue_count / line_a.assigned_count, 2))
            + 20 * line_a.quality_score
        ) / 100
        self.assertAlmostEqual(line_a.score, expected_a, places=2)
        ranked = (line_a | line_b).sorted("score", reverse=True)
        self.assertEqual(ranked.mapped("rank"), [1, 2])
        self.assertEqual(period._sorted_lines()[-1], idle)
        self.assertIsNone(unit_score({"assigned_count": 0}, (1, 1, 1)))
        # Changing the weights sends the computed period back to draft.
        period.weight_quality = 0
        self.assertEqual(period.state, "draft")
        with self.assertRaises(ValidationError):
            period.write({"weight_on_time": 0, "weight_overdue": 0})

    @freeze_time(TODAY)
    def test_scope_by_authority_and_unit(self):
        government = self.env.ref("hy_task_reports.hy_report_authority_government")
        period = self._computed(
            authority_ids=[(6, 0, government.ids)],
            unit_ids=[(6, 0, (self.unit_a | self.unit_b).ids)],
        )
        # Units in the scope get a line even without tasks.
        self.assertEqual(period.line_ids.mapped("assigned_count"), [1, 0])
        self.assertEqual(self._tasks_of(period, "assigned_count"), self.t["government"])
        period = self._computed(unit_ids=[(6, 0, (self.unit_b | self.unit_idle).ids)])
        self.assertEqual(period.line_ids.unit_id, self.unit_b | self.unit_idle)

    @freeze_time(TODAY)
    def test_defaults_of_each_kind(self):
        six = self._period()
        self.assertEqual((six.date_from, six.date_to), H1)
        self.assertEqual(six.unit_report_deadline, date(2026, 6, 20))
        self.assertTrue(six.collect_unit_reports)
        annual = self._period(kind="annual")
        self.assertEqual((annual.date_from, annual.date_to), (date(2026, 1, 1), date(2026, 12, 31)))
        self.assertEqual(annual.unit_report_deadline, date(2026, 11, 30))
        ad_hoc = self._period(
            kind="ad_hoc", name="Báo cáo đột xuất", date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 31),
        )  # fmt: skip
        self.assertFalse(ad_hoc.collect_unit_reports)
        self.assertFalse(ad_hoc.unit_report_deadline)
        with self.assertRaises(ValidationError):
            ad_hoc.date_to = date(2026, 2, 1)
