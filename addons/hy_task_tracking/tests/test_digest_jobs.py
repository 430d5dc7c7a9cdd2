"""The digest jobs: what the leadership and the units' heads are sent."""

from datetime import date

from odoo.tests import freeze_time, tagged

from .common import HANOI_0030
from .jobs_common import UnitHeadsCommon


@tagged("post_install", "-at_install")
class TestDigestJobs(UnitHeadsCommon):
    """Each digest counts what its reader may see, and reaches those who want it."""

    def _classified_overdue_b(self):
        return self._assigned(date(2026, 6, 5), unit=self.unit_b, directive=self.directive_conf)

    def test_leadership_digest_counts_what_the_leader_may_see(self):
        Digest = self.env["hy.digest"]
        period = (date(2026, 6, 8), date(2026, 6, 14))

        def values():
            with freeze_time(HANOI_0030.format("2026-06-14")):
                self.env["hy.task"]._cron_recompute_timeliness()
                return (
                    Digest._leadership_values(self.leader, *period),
                    Digest._leadership_values(self.officer_uncleared, *period),
                )

        leader_before, uncleared_before = values()
        normal_late = self._assigned(date(2026, 6, 5), unit=self.unit_b, name="Lập quy hoạch")
        self._classified_overdue_b()
        leader, uncleared = values()
        self.assertEqual(leader["overdue"] - leader_before["overdue"], 2)
        self.assertEqual(
            uncleared["overdue"] - uncleared_before["overdue"],
            1,
            "no classified count without clearance",
        )
        self.assertEqual(dict(leader["overdue_by_unit"])[self.unit_b], 2)
        body = self.env["ir.qweb"]._render(
            "hy_task_tracking.mail_digest_leadership", dict(leader, base_url="")
        )
        self.assertIn(self.unit_b.name, str(body))
        self.assertNotIn(normal_late.name, str(body))  # due-next lists only; overdue counted
        self.assertNotIn(self.directive_conf.number, str(body))

    def test_unit_head_digest_shows_only_the_unit(self):
        mine = self._assigned(date(2026, 6, 5), unit=self.unit_a, name="Tổng hợp báo cáo")
        other = self._assigned(date(2026, 6, 5), unit=self.unit_b, name="Việc của Sở Tài chính")
        with freeze_time(HANOI_0030.format("2026-06-14")):
            self.env["hy.task"]._cron_recompute_timeliness()
            mails = self.env["hy.digest"]._send_unit_head_digests()
        to_a = mails.filtered(lambda m: self.user_a.partner_id in m.recipient_ids)
        self.assertEqual(len(to_a), 1)
        self.assertIn(mine.reference, to_a.body_html)
        self.assertNotIn(other.reference, to_a.body_html)
        to_b = mails.filtered(lambda m: self.portal_b.partner_id in m.recipient_ids)
        self.assertIn(other.access_url, to_b.body_html, "portal heads get portal links")

    def test_unsubscribed_leaders_get_no_digest(self):
        self.leader.email = "chutich@hungyen.example.com"
        with freeze_time(HANOI_0030.format("2026-06-14")):
            mails = self.env["hy.digest"]._send_leadership_digests("week")
            self.assertIn(self.leader.partner_id, mails.recipient_ids)
            self.leader.hy_digest_optout = True
            mails = self.env["hy.digest"]._send_leadership_digests("week")
            self.assertNotIn(self.leader.partner_id, mails.recipient_ids)
