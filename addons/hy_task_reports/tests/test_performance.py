from datetime import date

from odoo.tests import freeze_time, tagged

from .common import TODAY, TestHyReportCommon

SHAPES = [  # state, assigned, deadline, done: one of each category in turn
    ("done", date(2026, 2, 1), date(2026, 3, 1), date(2026, 2, 20)),
    ("done", date(2026, 2, 1), date(2026, 3, 1), date(2026, 3, 20)),
    ("in_progress", date(2026, 2, 1), date(2026, 4, 1), False),
    ("in_progress", date(2026, 2, 1), date(2026, 12, 1), False),
    ("assigned", date(2026, 2, 1), date(2026, 4, 1), False),
    ("assigned", date(2026, 2, 1), False, False),
]


@tagged("post_install", "-at_install", "is_query_count")
class TestPerformance(TestHyReportCommon):
    def _units_with_tasks(self, code, count):
        units = self.env["hy.unit"].create(
            [{"name": f"Đơn vị {code}{i}", "code": f"P-{code}{i}"} for i in range(2)]
        )
        self.env["hy.task"].create(
            [
                {
                    "directive_id": self.directive.id,
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

    def _queries_of_compute(self, period):
        period.action_compute()  # the lines exist: each compute replaces them
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        period.action_compute()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    @freeze_time(TODAY)
    def test_queries_do_not_depend_on_the_number_of_tasks(self):
        # The year to date, from the ledger: the tasks were recorded today.
        small = self._period(kind="annual", unit_ids=[(6, 0, self._units_with_tasks("S", 10).ids)])
        large = self._period(kind="annual", unit_ids=[(6, 0, self._units_with_tasks("L", 500).ids)])
        # The fewest of three: a cache of the ORM (the user of the lines' defaults) is now and
        # then cold again, which has nothing to do with the number of tasks.
        small_count = min(self._queries_of_compute(small) for _i in range(3))
        large_count = min(self._queries_of_compute(large) for _i in range(3))
        self.assertEqual((small.assigned_count, large.assigned_count), (10, 500))
        self.assertEqual(small_count, large_count)
        # The whole compute: entries, one grouped count, lines, totals, whatever the number of
        # tasks.
        self.assertLessEqual(large_count, 20)
