from datetime import date

from odoo import Command
from odoo.tests import freeze_time, tagged

from ..models.hy_report_period import TOTAL_FIELDS
from ..models.report_figures import OFFICE_FIGURES, SNAPSHOT_FIELDS
from .common import TestHyReportCommon, at

ENTRY_FIELDS = (
    "counted",
    "status_category",
    "deadline",
    "date_done",
    "has_deadline",
    "is_classified",
    "is_returned",
    "is_transferred_in",
    "is_transferred_out",
    "is_extended",
    "delay_days",
    "quality",
    "effectiveness",
    "unit_days",
    "office_days",
)


@tagged("post_install", "-at_install")
class TestReproducible(TestHyReportCommon):
    """A past period computed at any later date gives the same figures, whatever happened to
    its tasks after its last day."""

    def _figures(self, period):
        """Everything a computed period says: lines, totals and the tasks behind them."""
        period.invalidate_recordset()
        entries = self.env["hy.report.entry"].search([("period_id", "=", period.id)])
        return (
            {line.unit_id: {f: line[f] for f in SNAPSHOT_FIELDS} for line in period.line_ids},
            {f: period[f] for f in (*TOTAL_FIELDS, *OFFICE_FIGURES)},
            sorted(
                (e.task_id.id, e.unit_id.id, *(e[f] or False for f in ENTRY_FIELDS))
                for e in entries
            ),
        )

    def _change_everything_after_the_period(self):
        """Every way a task can change after 30 June, each on its own day."""
        t, do = self.t, self._at
        office, manager = self.officer, self.manager
        # Moved to another unit.
        do(
            t["in_progress_overdue"],
            at(date(2026, 8, 20)),
            lambda task: task.with_user(office)._transfer_to_unit(self.unit_b, "Điều chỉnh"),
        )
        # Its deadline extended, after it had passed.
        do(t["not_started_overdue"], at(date(2026, 8, 20)), self._extend(date(2026, 9, 30)))
        # Cancelled; archived.
        do(
            t["in_progress_on_time"],
            at(date(2026, 8, 21)),
            lambda task: task.with_user(office).action_cancel(),
        )
        do(
            t["no_deadline"],
            at(date(2026, 8, 21)),
            lambda task: task.with_user(office).action_archive(),
        )
        # A result reported in July, confirmed now.
        do(
            t["done_after_deadline_to"],
            at(date(2026, 8, 22)),
            lambda task: task.with_user(manager)._evaluate_and_confirm("good"),
        )
        # A confirmed result reopened, reported again with another date, confirmed again.
        do(
            t["done_on_deadline"],
            at(date(2026, 8, 22)),
            lambda task: task.with_user(office)._send_back("Thiếu văn bản kèm theo"),
        )
        do(
            t["done_on_deadline"],
            at(date(2026, 8, 23)),
            lambda task: task.with_user(self.user_a)._report_done("Bổ sung", date(2026, 8, 23)),
        )
        do(
            t["done_on_deadline"],
            at(date(2026, 8, 23)),
            lambda task: task.with_user(manager)._evaluate_and_confirm("satisfactory"),
        )
        # Evaluated again.
        do(
            t["done_on_date_from"],
            at(date(2026, 8, 23)),
            lambda task: task.with_user(manager)._evaluate_and_confirm("excellent"),
        )
        # A returned task adjusted: another unit, another deadline, assigned again.
        do(
            t["returned"],
            at(date(2026, 8, 24)),
            lambda task: task.with_user(office).write(
                {"lead_unit_id": self.unit_b.id, "deadline": date(2026, 12, 31)}
            ),
        )
        do(
            t["returned"],
            at(date(2026, 8, 24)),
            lambda task: task.with_user(office).action_assign(),
        )
        # Coordinating units; a progress update.
        do(
            t["b_on_time"],
            at(date(2026, 8, 24)),
            lambda task: task.with_user(office).write(
                {"support_unit_ids": [Command.link(self.unit_a.id)]}
            ),
        )
        do(
            t["extended"],
            at(date(2026, 8, 24)),
            lambda task: (
                task.env["hy.task.update"]
                .with_user(self.user_a)
                .create({"task_id": task.id, "progress": 80, "note": "Đã trình dự thảo"})
            ),
        )
        # Archived after the period, then restored; cancelled before it, then revived.
        do(
            t["archived_after"],
            at(date(2026, 8, 25)),
            lambda task: task.with_user(office).action_unarchive(),
        )
        do(
            t["cancelled"],
            at(date(2026, 8, 25)),
            lambda task: task.with_user(office).action_reset_to_draft(),
        )
        do(
            t["cancelled"],
            at(date(2026, 8, 25)),
            lambda task: task.with_user(office).action_assign(),
        )
        # A draft deleted; the directive of a task re-attributed, then archived with its tasks.
        with freeze_time(at(date(2026, 8, 26))):
            t["draft"].with_user(office).unlink()
            self.directive_gov.with_user(office).authority = "province"
        with freeze_time(at(date(2026, 8, 27))):
            self.directive_gov.with_user(office).action_archive()
        # The nightly job, two months later.
        with freeze_time("2026-10-01 17:10:00"):
            self.env["hy.task"]._cron_recompute_timeliness()
        self.env.flush_all()  # fmt: skip

    def test_a_past_period_gives_the_same_figures_whenever_it_is_computed(self):
        everything = [(6, 0, self.env["hy.report.authority"].search([]).ids)]
        with freeze_time("2026-07-01 03:00:00"):
            periods = (
                self._period(authority_ids=everything),
                # The default scope: UBND tỉnh and its Chairman, judged as they stood then.
                self._period(),
                self._period(unit_ids=[(6, 0, self.unit_b.ids)]),
            )
            for period in periods:
                period.action_compute()
            first = [self._figures(period) for period in periods]
        for lines, _totals, entries in first:
            self.assertTrue(lines and entries, "each period compared has lines and tasks")
        self.assertIn(self.t["government"], self._tasks_of(periods[0], "assigned_count"))
        self.assertNotIn(self.t["government"], self._tasks_of(periods[1], "assigned_count"))
        self._change_everything_after_the_period()
        for when in ("2026-08-30 03:00:00", "2026-12-31 16:59:00", "2027-03-01 03:00:00"):
            with freeze_time(when):
                for period, figures in zip(periods, first, strict=True):
                    period.action_compute()
                    self.assertEqual(self._figures(period), figures, f"{period.name} on {when}")
        # A new period of the same half-year, created later, says the same.
        with freeze_time("2027-03-01 03:00:00"):
            again = self._period(authority_ids=everything)
            again.action_compute()
            self.assertEqual(self._figures(again), first[0])

    def test_the_annual_report_sees_the_changes(self):
        """What changed in August belongs to the year: the annual report counts it."""
        self._change_everything_after_the_period()
        with freeze_time("2026-09-01 03:00:00"):
            period = self._period(kind="annual", unit_ids=[(6, 0, self.unit_b.ids)])
            period.action_compute()
        line_b = self._line(period, self.unit_b)
        moved = self.t["in_progress_overdue"] | self.t["returned"]
        self.assertEqual(self._tasks_of(line_b, "transferred_in_count") & moved, moved)
        self.assertIn(self.t["in_progress_overdue"], self._tasks_of(line_b, "assigned_count"))
