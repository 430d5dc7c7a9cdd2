from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestUnitIsolation(TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.task_a = cls._task(unit=cls.unit_a, state="assigned")
        cls.task_b = cls._task(unit=cls.unit_b, state="assigned")
        cls.task_b_with_a = cls._task(
            unit=cls.unit_b, state="assigned", support_unit_ids=[(6, 0, cls.unit_a.ids)]
        )
        cls.draft_a = cls._task(unit=cls.unit_a)

    def _visible(self, user):
        self.env.invalidate_all()
        return self.env["hy.task"].with_user(user).search([])

    @users("t_user_a", "t_portal_a")
    def test_unit_users_see_only_their_units_assigned_tasks(self):
        self.assertEqual(self._visible(self.env.user), self.task_a | self.task_b_with_a)
        with self.assertRaises(AccessError):
            self.task_b.with_env(self.env).read(["name"])
        with self.assertRaises(AccessError):
            self.draft_a.with_env(self.env).read(["name"])

    def test_coordinating_unit_reads_and_comments_but_does_not_change(self):
        task = self.task_b_with_a.with_user(self.user_a)
        task.message_post(body="Sở Nội vụ đã gửi số liệu phối hợp", message_type="comment")
        with self.assertRaises(AccessError):
            task.action_accept()
        with self.assertRaises(AccessError):
            task._return_to_office("Không phải của chúng tôi")
        self.assertEqual(self.task_b_with_a.state, "assigned")

    def test_lead_unit_member_can_accept(self):
        self.task_b.with_user(self.portal_b).action_accept()
        self.assertEqual(self.task_b.state, "in_progress")

    def test_moving_a_user_to_another_unit_changes_access_at_once(self):
        self.assertIn(self.task_a, self._visible(self.user_a))
        self.unit_a.user_ids = [(3, self.user_a.id)]
        self.unit_b.user_ids = [(4, self.user_a.id)]
        visible = self._visible(self.user_a)
        self.assertNotIn(self.task_a, visible)
        self.assertIn(self.task_b, visible)

    def test_office_and_leadership_see_everything_normal(self):
        everything = self.task_a | self.task_b | self.task_b_with_a | self.draft_a
        self.assertEqual(self._visible(self.officer) & everything, everything)
        self.assertEqual(self._visible(self.leader) & everything, everything)
        with self.assertRaises(AccessError):
            self.task_a.with_user(self.leader).write({"progress": 10})

    def test_read_group_counts_only_own_tasks(self):
        self.env.invalidate_all()
        groups = (
            self.env["hy.task"]
            .with_user(self.user_b)
            ._read_group([], ["lead_unit_id"], ["__count"])
        )
        self.assertEqual(dict(groups), {self.unit_b: 2})

    def test_uncleared_users_do_not_see_classified_tasks_of_other_units(self):
        classified_b = self.env["hy.task"].create(
            {"directive_id": self.directive_conf.id, "lead_unit_id": self.unit_b.id}
        )
        classified_b.action_assign()
        self.assertNotIn(classified_b, self._visible(self.officer_uncleared))
        self.assertIn(classified_b, self._visible(self.officer))
        self.assertIn(classified_b, self._visible(self.user_b))
        self.assertNotIn(classified_b, self._visible(self.user_a))
