import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TestHyCommon

MIGRATION = Path(__file__).resolve().parents[1] / "migrations" / "18.0.1.6.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestSentMarks(TestHyCommon):
    """What the nightly jobs already sent is a model, not lists of ids in system parameters."""

    def test_a_mark_is_recorded_once_per_recipient(self):
        Sent = self.env["hy.sent.mark"]
        units = self.unit_a | self.unit_b
        Sent._mark("report_reminder.2026-06-20", self.unit_a)
        self.assertEqual(Sent._marked("report_reminder.2026-06-20", units), self.unit_a)
        Sent._mark("report_reminder.2026-06-20", units)
        self.assertEqual(Sent._marked("report_reminder.2026-06-20", units), units)
        self.assertEqual(Sent.search_count([("key", "=", "report_reminder.2026-06-20")]), 2)
        # The same key for users is another list.
        self.assertFalse(Sent._marked("report_reminder.2026-06-20", self.user_a))

    def test_nobody_writes_a_mark_by_hand(self):
        for user in (self.manager, self.officer, self.user_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["hy.sent.mark"].with_user(user).create(
                    {"key": "digest.week.2026-06-14", "res_model": "res.users", "res_id": 1}
                )

    def test_the_upgrade_turns_the_parameters_into_marks(self):
        params = self.env["ir.config_parameter"].sudo()  # sudo: system parameters
        params.set_param("hy_task_tracking.digest_sent.week.2026-06-14", f"{self.leader.id}")
        params.set_param(
            "hy_task_tracking.report_reminder_sent.2026-06-20", f"{self.unit_a.id},{self.unit_b.id}"
        )
        # The first version kept the day it reminded every unit, not a list.
        params.set_param("hy_task_tracking.report_reminder_sent.2026-11-30", "2026-11-23")
        spec = importlib.util.spec_from_file_location("hy_migration_1_6", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.5.0")
        self.env.invalidate_all()
        Sent = self.env["hy.sent.mark"]
        self.assertEqual(Sent._marked("digest.week.2026-06-14", self.leader), self.leader)
        units = self.unit_a | self.unit_b | self.unit_off
        self.assertEqual(
            Sent._marked("report_reminder.2026-06-20", units), self.unit_a | self.unit_b
        )
        every_unit = self.env["hy.unit"].search([("unit_type", "in", ("department", "district"))])
        self.assertEqual(Sent._marked("report_reminder.2026-11-30", every_unit), every_unit)
        self.assertFalse(params.search([("key", "like", "hy_task_tracking.%_sent.%")]))
