from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from ..models.report_figures import COUNT_FIELDS, derived_figures, unit_score
from .common import CHECKED_FIGURES, H1, TODAY, TestHyReportCommon, at, expected_figures

# The seven categories a counted task falls in (assigned_count is their sum).
CATEGORY_FIGURES = CHECKED_FIGURES[1:8]


@tagged("post_install", "-at_install")
class TestPeriodFigures(TestHyReportCommon):
    def _computed(self, **vals):
        period = self._period(**vals)
        period.action_compute()
        return period

    def _all_authorities(self):
        return [(6, 0, self.env["hy.report.authority"].search([]).ids)]

    def _assert_matches_python_count(self, period, today):
        expected = expected_figures(
            self._histories(), period.date_from, period.date_to, today, self._days_off()
        )
        lines = period.line_ids.filtered(lambda line: line.unit_id in (self.unit_a | self.unit_b))
        self.assertEqual(lines.unit_id, self.unit_a | self.unit_b, "both units are compared")
        self.assertEqual(set(lines.unit_id), set(expected))
        for line in lines:
            got = {name: line[name] for name in CHECKED_FIGURES}
            self.assertEqual(got, expected[line.unit_id], line.unit_id.name)

    def _category(self, line, task):
        return next(name for name in CATEGORY_FIGURES if task in self._tasks_of(line, name))

    @freeze_time(TODAY)
    def test_past_period_matches_an_independent_count(self):
        """A period that ended before today: each task as it stood on its last day."""
        period = self._computed(authority_ids=self._all_authorities())
        self.assertEqual((period.date_from, period.date_to), H1)
        self._assert_matches_python_count(period, date(2026, 8, 15))
        line_a, line_b = self._line(period, self.unit_a), self._line(period, self.unit_b)
        for name in CHECKED_FIGURES:
            self.assertTrue(line_a[name] or line_b[name], f"{name} is empty")
        self.assertEqual(line_b.classified_count, 1)

    @freeze_time(TODAY)
    def test_period_boundaries(self):
        period = self._computed(authority_ids=self._all_authorities())
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
            # cancelled and archived after the period: they were open on its last day
            "cancelled_after",
            "archived_after",
        ):
            self.assertIn(t[key], counted, key)
        for key in ("done_before", "assigned_after", "cancelled", "draft", "archived"):
            self.assertNotIn(t[key], counted, key)

        category = self._category
        self.assertEqual(category(line_a, t["done_on_deadline"]), "done_on_time_count")
        self.assertEqual(category(line_a, t["done_on_date_from"]), "done_late_count")
        # Confirmed on the last day of the period: done; confirmed after it: awaiting.
        self.assertEqual(category(line_a, t["done_on_date_to"]), "done_late_count")
        self.assertEqual(category(line_a, t["done_late"]), "awaiting_confirmation_count")
        self.assertEqual(category(line_a, t["reported"]), "awaiting_confirmation_count")
        self.assertEqual(category(line_a, t["done_early"]), "done_on_time_count")
        # Done after the end of the period: in progress at its end; the deadline on the last
        # day is not yet overdue, the day before is.
        self.assertEqual(category(line_a, t["done_after_deadline_to"]), "in_progress_on_time_count")
        self.assertEqual(category(line_a, t["done_after_overdue"]), "in_progress_overdue_count")
        # Overdue today, but not at the end of the period.
        self.env["hy.task"]._cron_recompute_timeliness()
        self.assertEqual(t["in_progress_on_time"].status_category, "in_progress_overdue")
        self.assertEqual(category(line_a, t["in_progress_on_time"]), "in_progress_on_time_count")
        # Returned to the Office on 10 February, undecided on 30 June: with the Office, so
        # never overdue against the unit, though its deadline (1 June) has passed.
        self.assertEqual(category(line_a, t["returned"]), "not_started_on_time_count")
        self.assertEqual(category(line_a, t["assigned_on_date_to"]), "not_started_on_time_count")
        # Extended within the period before its deadline: on time, and counted as extended.
        self.assertEqual(category(line_a, t["extended"]), "in_progress_on_time_count")
        # Extended after the period when its deadline had passed: still overdue for it.
        self.assertEqual(t["extended_late"].status_category, "in_progress_on_time")
        self.assertEqual(category(line_a, t["extended_late"]), "in_progress_overdue_count")
        self.assertEqual(self._tasks_of(line_a, "extended_count"), t["extended"])
        # Transferred at 23:30 on 30 June in Hà Nội: B's task in the period, in from A; at
        # 00:30 on 1 July: still A's.
        self.assertIn(t["b_transferred"], self._tasks_of(line_b, "assigned_count"))
        self.assertEqual(self._tasks_of(line_b, "transferred_in_count"), t["b_transferred"])
        self.assertEqual(self._tasks_of(line_a, "transferred_out_count"), t["b_transferred"])
        self.assertNotIn(t["b_transferred"], self._tasks_of(line_a, "assigned_count"))
        self.assertIn(t["b_transferred_late"], self._tasks_of(line_a, "assigned_count"))
        self.assertEqual((line_b.transferred_in_count, line_a.transferred_out_count), (1, 1))
        self.assertEqual(self._tasks_of(line_a, "returned_count"), t["returned"])
        self.assertEqual(self._tasks_of(line_b, "classified_count"), t["b_classified"])
        self.assertEqual(
            self._tasks_of(line_a, "no_deadline_count"), t["no_deadline"] | t["no_deadline_done"]
        )

    @freeze_time(TODAY)
    def test_current_period_uses_today_and_the_stored_category(self):
        """A period that has not ended yet is judged today: the stored category, except that
        a result the Office has not confirmed is not done yet."""
        self.env["hy.task"]._cron_recompute_timeliness()
        period = self._computed(kind="annual", authority_ids=self._all_authorities())
        self._assert_matches_python_count(period, date(2026, 8, 15))
        entries = self.env["hy.report.entry"].search(
            [
                ("period_id", "=", period.id),
                ("unit_id", "in", (self.unit_a | self.unit_b).ids),
                ("counted", "=", True),
            ]
        )
        self.assertTrue(entries)
        for entry in entries:
            task = entry.task_id
            expected = task.status_category
            if task.state == "done" and not task.confirmed:
                expected = "done_unconfirmed"
            self.assertEqual(entry.status_category, expected, task.reference)

    @freeze_time(TODAY)
    def test_every_figure_opens_exactly_its_tasks(self):
        period = self._computed(authority_ids=self._all_authorities())
        self.assertLessEqual(self.unit_a | self.unit_b, period.line_ids.unit_id)
        for line in period.line_ids:
            for figure in COUNT_FIELDS:
                self.assertEqual(
                    len(self._tasks_of(line, figure)), line[figure], f"{line.unit_id.name} {figure}"
                )
            self.assertEqual(
                len(self._tasks_of(line, "on_time_rate")),
                line.done_count - line.done_no_deadline_count,
            )
            self.assertEqual(len(self._tasks_of(line, "avg_delay_days")), line.done_late_count)
            self.assertEqual(len(self._tasks_of(line, "score")), line.rated_count)
        for figure in COUNT_FIELDS:
            self.assertEqual(len(self._tasks_of(period, figure)), period[figure], figure)
        action = self._line(period, self.unit_a).action_open_tasks("done_late_count")
        self.assertEqual(action["res_model"], "hy.task")
        self.assertEqual(action["type"], "ir.actions.act_window")

    @freeze_time(TODAY)
    def test_done_means_confirmed_and_rates_leave_out_tasks_without_deadline(self):
        period = self._computed()
        line_a = self._line(period, self.unit_a)
        # Confirmed by 30 June: on time = on the deadline, early, without deadline; late = 1
        # and 15 days. Two more were reported done but not confirmed by then.
        self.assertEqual((line_a.done_on_time_count, line_a.done_late_count), (3, 2))
        self.assertEqual((line_a.done_count, line_a.done_no_deadline_count), (5, 1))
        self.assertEqual(line_a.awaiting_confirmation_count, 2)
        # 2 of the 4 with a deadline were on time: the task without deadline stays out.
        self.assertEqual(line_a.on_time_rate, 50.0)
        # In working days: 1 January 2026 is a public holiday (0), 16 to 30 June holds 11.
        self.assertEqual(line_a.avg_delay_days, 5.5)
        # Evaluations confirmed by the end of the period (the one of 10 July is not).
        self.assertEqual(
            (
                line_a.quality_excellent_count,
                line_a.quality_good_count,
                line_a.quality_satisfactory_count,
                line_a.quality_unsatisfactory_count,
            ),
            (1, 3, 0, 1),
        )
        # Rated: 5 confirmed results and 4 overdue tasks (the one A sent back waits for the
        # Office: not overdue, not rated).
        self.assertEqual((line_a.overdue_count, line_a.rated_count), (4, 9))
        self.assertEqual(line_a.completion_score, round(100 * (3 + 0.5 * 2) / 9, 2))
        self.assertEqual(line_a.quality_score, round((100 + 3 * 80) / 9, 2))
        self.assertEqual(
            line_a.score, round((70 * line_a.completion_score + 30 * line_a.quality_score) / 100, 2)
        )
        self.assertEqual(period.assigned_count, sum(period.line_ids.mapped("assigned_count")))
        self.assertEqual(period.awaiting_confirmation_count, 2)
        done_with_deadline = period.done_count - period.done_no_deadline_count
        self.assertEqual(
            period.on_time_rate,
            round(100 * (period.done_on_time_count - period.done_no_deadline_count)
                  / done_with_deadline, 2),
        )  # fmt: skip

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
    def test_the_title_says_what_is_counted(self):
        vietnamese = self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["hy_task_tracking", "hy_task_reports"], ["vi_VN"]
        )
        six = self._period()
        # By default, a 6-month or annual report counts what its title names.
        self.assertEqual(set(six.authority_ids.mapped("code")), {"province", "province_chairman"})
        six.action_compute()
        self.assertNotIn(self.t["government"], self._tasks_of(six, "assigned_count"))
        vi = six.with_context(lang=vietnamese.code)
        self.assertEqual(
            vi.name,
            "Báo cáo kết quả thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao 6 tháng "
            "đầu năm 2026",
        )
        self.assertEqual(
            vi._subject(), "Kết quả thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao"
        )
        everything = self._period(kind="annual", authority_ids=self._all_authorities())
        self.assertEqual(
            everything.with_context(lang=vietnamese.code).name,
            "Báo cáo kết quả thực hiện nhiệm vụ do Chính phủ, Thủ tướng Chính phủ, UBND tỉnh, "
            "Chủ tịch UBND tỉnh giao năm 2026",
        )
        government = self.env.ref("hy_task_reports.hy_report_authority_government")
        ad_hoc = self._period(
            kind="ad_hoc", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31),
            authority_ids=[(6, 0, government.ids)],
        )  # fmt: skip
        self.assertEqual(
            ad_hoc.with_context(lang="en_US").name,
            "Report on the tasks assigned by Government from 01/03/2026 to 31/03/2026",
        )
        # Found by its title in the reader's language.
        found = (
            self.env["hy.report.period"]
            .with_context(lang=vietnamese.code)
            .search([("name", "ilike", "6 tháng đầu năm 2026")])
        )
        self.assertIn(six, found)
        self.assertFalse((everything | ad_hoc) & found)

    @freeze_time(TODAY)
    def test_defaults_of_each_kind(self):
        # Decree 09/2019's cut-offs (settings): 15/12 to 14/06; the annual one ends before the
        # units' report is due ("before 30/11", so by 29/11).
        Period = self.env["hy.report.period"]
        six = Period.create({"kind": "six_month", "year": 2026})
        self.assertEqual((six.date_from, six.date_to), (date(2025, 12, 15), date(2026, 6, 14)))
        self.assertEqual(six.unit_report_deadline, date(2026, 6, 19))
        self.assertTrue(six.collect_unit_reports)
        annual = Period.create({"kind": "annual", "year": 2026})
        self.assertEqual(
            (annual.date_from, annual.date_to), (date(2025, 11, 15), date(2026, 11, 14))
        )
        self.assertEqual(annual.unit_report_deadline, date(2026, 11, 29))
        ad_hoc = self._period(kind="ad_hoc", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
        self.assertFalse(ad_hoc.collect_unit_reports)
        self.assertFalse(ad_hoc.unit_report_deadline)
        self.assertFalse(ad_hoc.authority_ids, "an ad-hoc report counts every authority")
        with self.assertRaises(ValidationError):
            ad_hoc.date_to = date(2026, 2, 1)

    def test_a_transfer_shows_on_both_units(self):
        """Moved from A to B and back to A within the period: out of B, in to A."""
        task = self._task("in_progress", date(2026, 2, 1), date(2026, 9, 30))
        self._at(task, at(date(2026, 3, 1)), lambda t: t._transfer_to_unit(self.unit_b, "Sai"))
        self._at(task, at(date(2026, 4, 1)), lambda t: t._transfer_to_unit(self.unit_a, "Lại"))
        with freeze_time(TODAY):
            period = self._computed(unit_ids=[(6, 0, (self.unit_a | self.unit_b).ids)])
        line_a, line_b = self._line(period, self.unit_a), self._line(period, self.unit_b)
        self.assertIn(task, self._tasks_of(line_a, "transferred_in_count"))
        self.assertNotIn(task, self._tasks_of(line_a, "transferred_out_count"))
        self.assertIn(task, self._tasks_of(line_b, "transferred_out_count"))
        self.assertNotIn(task, self._tasks_of(line_b, "assigned_count"))

    def test_the_worked_example_of_the_readme(self):
        """readme/DESCRIPTION.md, "Worked example", step by step."""
        snv = self.env["hy.unit"].create({"name": "Sở Nội vụ (ví dụ)", "code": "VD-SNV"})
        stc = self.env["hy.unit"].create({"name": "Sở Tài chính (ví dụ)", "code": "VD-STC"})
        d = date
        task_a = self._task("in_progress", d(2026, 2, 10), d(2026, 5, 31), unit=snv)
        self._at(task_a, at(d(2026, 6, 20)), lambda t: t._transfer_to_unit(stc, "Đúng chức năng"))
        self._at(task_a, at(d(2026, 6, 28)), lambda t: t._report_done("Đã trình", d(2026, 6, 28)))
        self._at(task_a, at(d(2026, 7, 3)), lambda t: t._evaluate_and_confirm("good"))
        task_b = self._task("in_progress", d(2026, 2, 10), d(2026, 6, 15), unit=snv)
        self._at(task_b, at(d(2026, 7, 5)), self._extend(d(2026, 8, 31)))
        task_c = self._task("in_progress", d(2026, 2, 10), d(2026, 9, 30), unit=snv)
        self._at(task_c, at(d(2026, 7, 10)), lambda t: t.action_cancel())
        units = [(6, 0, (snv | stc).ids)]
        for when in ("2026-07-01 03:00:00", "2026-07-15 03:00:00", "2027-02-01 03:00:00"):
            with freeze_time(when):
                period = self._computed(unit_ids=units)
            line_snv, line_stc = self._line(period, snv), self._line(period, stc)
            self.assertEqual(self._tasks_of(line_stc, "awaiting_confirmation_count"), task_a)
            self.assertEqual(self._tasks_of(line_stc, "transferred_in_count"), task_a)
            self.assertEqual(self._tasks_of(line_snv, "transferred_out_count"), task_a)
            self.assertEqual(self._tasks_of(line_snv, "assigned_count"), task_b | task_c)
            self.assertEqual(self._tasks_of(line_snv, "in_progress_overdue_count"), task_b)
            self.assertEqual(self._tasks_of(line_snv, "in_progress_on_time_count"), task_c)
        with freeze_time("2026-12-20 03:00:00"):
            annual = self._computed(kind="annual", unit_ids=units)
        line_snv, line_stc = self._line(annual, snv), self._line(annual, stc)
        self.assertEqual(self._tasks_of(line_stc, "done_late_count"), task_a)
        self.assertEqual(self._tasks_of(line_stc, "quality_good_count"), task_a)
        self.assertEqual(self._tasks_of(line_snv, "assigned_count"), task_b)
        self.assertEqual(self._tasks_of(line_snv, "extended_count"), task_b)

    def test_the_ranking_rewards_work(self):
        d = date
        units = self.env["hy.unit"].create(
            [{"name": f"Đơn vị xếp hạng {i}", "code": f"XH-{i}"} for i in range(5)]
        )
        idle, diligent, unevaluated, late, nothing = units
        # Nothing due and nothing done in the period.
        self._task("in_progress", d(2026, 3, 1), d(2026, 9, 30), unit=idle)
        self._task("assigned", d(2026, 3, 1), d(2026, 10, 31), unit=idle)
        # Everything due done on time, confirmed, evaluated "unsatisfactory" (0 points).
        for _i in range(2):
            self._task("done", d(2026, 3, 1), d(2026, 4, 30), d(2026, 4, 20), unit=diligent,
                       quality="unsatisfactory", confirmed_on=d(2026, 4, 25))  # fmt: skip
        # The same results, confirmed without an evaluation.
        for _i in range(2):
            task = self._task("done", d(2026, 3, 1), d(2026, 4, 30), d(2026, 4, 20),
                              unit=unevaluated)  # fmt: skip
            self._at(task, at(d(2026, 4, 25)), lambda t: t.write({"confirmed": True}))
        # One done late and evaluated excellent; one overdue.
        self._task("done", d(2026, 3, 1), d(2026, 4, 30), d(2026, 5, 20), unit=late,
                   quality="excellent", confirmed_on=d(2026, 5, 25))  # fmt: skip
        self._task("in_progress", d(2026, 3, 1), d(2026, 5, 31), unit=late)
        # Nothing finished, everything overdue.
        self._task("assigned", d(2026, 3, 1), d(2026, 5, 31), unit=nothing)
        with freeze_time(TODAY):
            period = self._computed(unit_ids=[(6, 0, units.ids)])
        line = {unit: self._line(period, unit) for unit in units}
        self.assertEqual((line[idle].rank, line[idle].rated_count), (0, 0), "never first")
        # Evaluated as unsatisfactory or not evaluated at all: the same rank.
        self.assertEqual(line[diligent].score, line[unevaluated].score)
        self.assertEqual(line[diligent].rank, line[unevaluated].rank)
        self.assertEqual(line[diligent].rank, 1)
        self.assertEqual(line[diligent].score, 70.0)
        # (100 × 50 % late) / 2 rated = 25 completion; 100 / 2 = 50 quality
        self.assertEqual(line[late].score, round((70 * 25 + 30 * 50) / 100, 2))
        self.assertEqual(line[late].rank, 3)
        self.assertEqual((line[nothing].score, line[nothing].rank), (0.0, 4))
        self.assertEqual(period._sorted_lines()[-1], line[idle])

    def test_evaluating_never_lowers_a_score(self):
        """Whatever the figures, adding evaluations to results never lowers the score."""
        base = dict.fromkeys(COUNT_FIELDS, 0) | {"total_delay_days": 0}
        for on_time, late, overdue in ((1, 0, 0), (2, 1, 1), (0, 3, 2), (5, 0, 5)):
            for weights in ((70, 30), (50, 50), (100, 0), (1, 99)):
                figures = base | {
                    "done_on_time_count": on_time,
                    "done_late_count": late,
                    "done_count": on_time + late,
                    "rated_count": on_time + late + overdue,
                }
                plain = unit_score(figures | derived_figures(figures, 50), weights)
                for key in ("excellent", "good", "satisfactory", "unsatisfactory"):
                    evaluated = figures | {f"quality_{key}_count": on_time + late}
                    score = unit_score(evaluated | derived_figures(evaluated, 50), weights)
                    self.assertGreaterEqual(score, plain, (on_time, late, overdue, weights, key))
