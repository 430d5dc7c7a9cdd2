from datetime import date

from odoo.tests import freeze_time, tagged, warmup

from .common import TODAY, TestHyReportCommon

SHAPES = [  # state, assigned, deadline, done: one of each category in turn
    ("done", date(2026, 2, 1), date(2026, 3, 1), date(2026, 2, 20)),
    ("done", date(2026, 2, 1), date(2026, 3, 1), date(2026, 3, 20)),
    ("in_progress", date(2026, 2, 1), date(2026, 4, 1), False),
    ("in_progress", date(2026, 2, 1), date(2026, 12, 1), False),
    ("assigned", date(2026, 2, 1), date(2026, 4, 1), False),
    ("assigned", date(2026, 2, 1), False, False),
]
# The whole compute: entries with whose turn it was (the calendar read once), their delays in
# working days (the calendar read once more), the Office's turns (one query), one grouped
# count, lines, totals, whatever the number of tasks.
COMPUTE_QUERIES = 27


@tagged("post_install", "-at_install", "is_query_count")
class TestPerformance(TestHyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The year to date, from the ledger: the tasks are recorded today.
        with freeze_time(TODAY):
            cls.small = cls._period(kind="annual", unit_ids=cls._units_with_tasks("S", 10).ids)
            cls.large = cls._period(kind="annual", unit_ids=cls._units_with_tasks("L", 500).ids)

    @classmethod
    def _units_with_tasks(cls, code, count):
        units = cls.env["hy.unit"].create(
            [{"name": f"Đơn vị {code}{i}", "code": f"P-{code}{i}"} for i in range(2)]
        )
        cls.env["hy.task"].create(
            [
                {
                    "directive_id": cls.directive.id,
                    "name": f"Nhiệm vụ thử số {index}",
                    "lead_unit_id": units[index % 2].id,
                    "state": SHAPES[index % 6][0],
                    "date_assigned": SHAPES[index % 6][1],
                    "deadline": SHAPES[index % 6][2],
                    "date_done": SHAPES[index % 6][3],
                }
                for index in range(count)
            ]
        )
        return units

    @warmup
    def test_queries_do_not_depend_on_the_number_of_tasks(self):
        for period, tasks in ((self.small, 10), (self.large, 500)):
            with self.subTest(tasks=tasks), freeze_time(TODAY):
                period.action_compute()  # the lines exist: each compute replaces them
                self.env.flush_all()
                self.env.invalidate_all()
                with self.assertQueryCount(COMPUTE_QUERIES):
                    period.action_compute()
                self.assertEqual(period.assigned_count, tasks)
