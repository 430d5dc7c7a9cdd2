"""Urging dispatches (issue 27, items 1-3): prepared per unit by the Office, sent by a
manager only, numbered in the Office's yearly register, recorded on each task, told to the
unit; prepared each month by a job that sends nothing."""

import base64
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from ..models.hy_time import hy_today
from ..models.hy_urge_dispatch import MONTHLY_DONE_PARAM
from .common import JsonRpcMixin, TestHyCommon

# Late on 1 June 2026 (its creation): an open task past its deadline of 20 May.
LATE = date(2026, 5, 20)


class UrgeCommon(TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.user_a, cls.user_b, cls.portal_a, cls.portal_b):
            user.partner_id.email = f"{user.login}@hungyen.example.com"
        cls.unit_a.partner_id = cls.env["res.partner"].create(
            {"name": "Sở Nội vụ", "email": "snv@hungyen.example.com"}
        )
        cls.Dispatch = cls.env["hy.urge.dispatch"]

    def _late(self, unit=None, directive=None, **vals):
        return self._assigned(LATE, unit=unit, directive=directive, **vals)

    def _prepare(self, tasks, user=None):
        """The drafts the Office prepares for ``tasks`` (as the officer by default)."""
        return self.Dispatch.with_user(user or self.officer)._hy_prepare_for_tasks(tasks)

    def _send(self, dispatches, user=None):
        dispatches.with_user(user or self.manager).action_send()
        self.env.invalidate_all()
        return dispatches

    def _urge_mails(self, user):
        """The mails telling ``user``'s unit of an urging dispatch."""
        return self._mails_to(user).filtered(lambda mail: "Urging dispatch" in mail.subject)


@tagged("post_install", "-at_install")
class TestUrgeDispatch(UrgeCommon):
    def test_prepare_one_draft_per_unit_from_a_selection(self):
        a1, a2 = self._late(), self._late(state="in_progress")
        a_secret = self._late(directive=self.directive_conf)
        b1 = self._late(unit=self.unit_b)
        tasks = a1 | a2 | a_secret | b1
        action = tasks.with_user(self.officer).action_prepare_urge_dispatches()
        drafts = self.Dispatch.search(action["domain"])
        self.assertEqual(len(drafts), 2)
        draft_a = drafts.filtered(lambda d: d.unit_id == self.unit_a)
        self.assertEqual(draft_a.line_ids.task_id, a1 | a2 | a_secret)
        self.assertEqual(drafts.filtered(lambda d: d.unit_id == self.unit_b).line_ids.task_id, b1)
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        self.assertEqual(set(drafts.mapped("origin")), {"manual"})
        self.assertFalse(any(drafts.mapped("number")))
        # The wording from the settings; reply within 5 working days.
        today = hy_today()
        working_days = self.env["resource.calendar"]._hy_working_days(today, today)
        self.assertEqual(draft_a.reply_date, working_days.add(today, 5))
        self.assertEqual(draft_a.place, "Hưng Yên")
        self.assertIn("Sở Nội vụ", draft_a.intro)
        # One draft: its form.
        action = self._late().with_user(self.officer).action_prepare_urge_dispatches()
        self.assertEqual(action["view_mode"], "form")

    def test_prepare_refuses_what_cannot_be_urged(self):
        late = self._late()
        in_draft = self._late()
        self._prepare(in_draft)
        draft_task = self._task()
        archived = self._late()
        archived.action_archive()
        for tasks, reason in (
            (late | in_draft, "1 already in a draft urging dispatch"),
            (late | draft_task, "1 not open"),
            (late | archived, "1 archived"),
        ):
            with self.subTest(reason=reason), self.assertRaisesRegex(UserError, reason):
                self._prepare(tasks)
        with self.assertRaises(AccessError):
            self._prepare(late, user=self.user_a)
        # A draft's tasks are its unit's, each in one draft only.
        draft = self._prepare(late)
        with self.assertRaises(ValidationError):
            draft.with_user(self.officer).line_ids = [
                (0, 0, {"task_id": self._late(unit=self.unit_b).id})
            ]
        with self.assertRaises(ValidationError):
            draft.with_user(self.officer).line_ids = [(0, 0, {"task_id": in_draft.id})]

    def test_only_a_manager_sends_and_nobody_writes_the_register(self):
        task = self._late()
        draft = self._prepare(task)
        for user in (self.officer, self.user_a, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                draft.with_user(user).action_send()
        for values in ({"state": "sent"}, {"number": "99/VP-TH"}, {"date": "2026-06-01"}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                draft.with_user(self.manager).write(values)
        self.assertEqual(draft.state, "draft")
        self._send(draft)
        self.assertEqual(draft.state, "sent")
        self.assertEqual(draft.sent_by_id, self.manager)
        # Sent: a record of the register, left as it was.
        with self.assertRaises(UserError):
            draft.with_user(self.officer).subject = "Khác"
        with self.assertRaises(UserError):
            draft.line_ids.with_user(self.officer).unlink()
        with self.assertRaises(UserError):
            draft.with_user(self.officer).action_cancel()
        with self.assertRaises(AccessError):
            draft.with_user(self.manager).unlink()

    def test_numbers_restart_each_year_in_hanoi_time(self):
        tasks = [self._late() for _i in range(3)]
        # 23:30 on 31 December in Hà Nội (16:30 UTC), then 00:30 on 1 January (17:30 UTC).
        with freeze_time("2026-12-31 16:30:00"):
            first = self._send(self._prepare(tasks[0]))
            second = self._send(self._prepare(tasks[1]))
        with freeze_time("2026-12-31 17:30:00"):
            third = self._send(self._prepare(tasks[2]))
        self.assertEqual(first.date, date(2026, 12, 31))
        self.assertEqual(third.date, date(2027, 1, 1))
        number, notation = first.number.split("/", 1)
        self.assertEqual(notation, "VP-TH")
        self.assertEqual(len(number), 2)
        self.assertEqual(second.number, f"{int(number) + 1:02d}/VP-TH")
        self.assertEqual(third.number, "01/VP-TH")

    def test_each_task_records_the_urge_with_its_number(self):
        a1, a2 = self._late(), self._late()
        dispatch = self._send(self._prepare(a1 | a2))
        for task in a1 | a2:
            entry = task.urge_entry_ids
            self.assertEqual(len(entry), 1)
            self.assertEqual(entry.urge_channel, "dispatch")
            self.assertEqual(entry.dispatch_id, dispatch)
            self.assertIn(dispatch.number, entry.new_display)
            self.assertEqual(entry.user_id, self.manager)
            self.assertEqual(task.urge_count, 1)
        # The line keeps the deadline and the working days late of the day it was sent.
        line = dispatch.line_ids[0]
        self.assertEqual(line.deadline, LATE)
        self.assertEqual(line.working_days_overdue, line.task_id.working_days_overdue)
        self.assertGreater(line.working_days_overdue, 0)
        # Urged again, by phone: counted with the dispatch.
        self._record_urge(a1, "phone", "Đã gọi đồng chí Phó Giám đốc")
        self.assertEqual(a1.urge_count, 2)
        self.assertEqual(a1.urge_entry_ids[0].note, "Đã gọi đồng chí Phó Giám đốc")
        # A second dispatch to the same tasks.
        self._send(self._prepare(a1 | a2))
        self.assertEqual((a1 | a2).mapped("urge_count"), [3, 2])

    def _record_urge(self, task, channel, note=False, user=None):
        wizard = (
            self.env["hy.task.urge.wizard"]
            .with_user(user or self.officer)
            .create({"task_id": task.id, "channel": channel, "note": note})
        )
        wizard.action_apply()
        task.invalidate_recordset()

    def test_a_classified_task_is_urged_without_words(self):
        secret = self._late(directive=self.directive_conf)
        with self.assertRaises(ValidationError):
            self._record_urge(secret, "meeting", "Nội dung trao đổi")
        self._record_urge(secret, "meeting")
        self.assertEqual(secret.urge_count, 1)
        self.assertFalse(secret.urge_entry_ids.note)
        with self.assertRaises(AccessError):
            self._record_urge(self._late(), "phone", user=self.user_a)

    def test_units_read_their_sent_dispatches_only(self):
        draft_a = self._prepare(self._late())
        sent_a = self._send(self._prepare(self._late()))
        sent_b = self._send(self._prepare(self._late(unit=self.unit_b)))
        for user in (self.user_a, self.portal_a):
            with self.subTest(user=user.login):
                Dispatch = self.Dispatch.with_user(user)
                self.assertEqual(Dispatch.search([]), sent_a)
                sent_a.with_user(user).read(["number", "reply_date"])
                for other in (draft_a, sent_b):
                    with self.assertRaises(AccessError):
                        other.with_user(user).read(["subject"])
                self.assertEqual(
                    self.env["hy.urge.dispatch.line"].with_user(user).search([]).dispatch_id,
                    sent_a,
                )

    def test_classified_lines_carry_no_content(self):
        normal = self._late(name="Rà soát thủ tục hành chính cấp xã")
        secret = self._late(directive=self.directive_conf)
        dispatch = self._send(self._prepare(normal | secret))
        line = dispatch.line_ids.filtered("is_classified")
        self.assertEqual(line.task_label, "Classified task")
        self.assertFalse(dispatch.line_ids.filtered(lambda li: not li.is_classified).task_label)
        # The unit's mail names no task and carries the mail edition of the document.
        mail = self._urge_mails(self.user_a)
        self.assertEqual(len(mail), 1)
        self.assertIn(dispatch.number, mail.subject)
        self.assertNotIn(secret.reference, mail.body_html)
        self.assertNotIn(self.directive_conf.number, mail.body_html)
        # The document counts the classified task; the edition mailed does not even count it.
        # (Tests render the documents' HTML, not their PDF.)
        kept = base64.b64decode(dispatch.with_context(bin_size=False).pdf_file).decode()
        mailed = mail.attachment_ids.raw.decode()
        self.assertIn(normal.name, kept)
        self.assertIn(normal.name, mailed)
        # (The sentence counting classified tasks, in whatever language the document is.)
        self.assertIn("o_hy_classified", kept)
        self.assertNotIn("o_hy_classified", mailed)
        for document in (kept, mailed):
            self.assertNotIn(secret.reference, document)
            self.assertNotIn(self.directive_conf.number, document)

    def test_the_unit_is_told_and_the_officer_follows_up(self):
        task = self._late()
        draft = self._prepare(task)
        draft.with_user(self.officer).reply_date = date(2027, 1, 15)
        self._send(draft)
        mail = self._urge_mails(self.user_a)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail, self._urge_mails(self.portal_a))
        self.assertIn(self.unit_a.partner_id, mail.recipient_ids)
        self.assertNotIn(self.user_b.partner_id, mail.recipient_ids)
        # The mail edition of the document, and the document kept on the dispatch.
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertEqual(mail.attachment_ids.name, draft.pdf_filename)
        self.assertEqual(mail.attachment_ids.res_id, draft.id)
        self.assertTrue(draft.pdf_file)
        activity_type = self.env.ref("hy_task_tracking.mail_activity_type_urge_reply")
        activity = self._activities(task, activity_type)
        self.assertEqual(activity.user_id, self.officer)
        self.assertEqual(activity.date_deadline, date(2027, 1, 15))
        # The dispatch's chatter says it was sent, and to whom.
        self.assertIn(self.unit_a.name, draft.message_ids[:1].body)

    def test_sending_leaves_out_tasks_no_longer_to_urge(self):
        kept, done = self._late(state="in_progress"), self._late(state="in_progress")
        draft = self._prepare(kept | done)
        done._report_done("Đã ban hành kế hoạch", date(2026, 6, 5))
        self._send(draft)
        self.assertEqual(draft.line_ids.task_id, kept)
        self.assertEqual(done.urge_count, 0)
        # A draft left with nothing to urge is refused; cancelled, its task is free again.
        other = self._late(state="in_progress")
        empty = self._prepare(other)
        other._report_done("Xong", date(2026, 6, 5))
        with self.assertRaisesRegex(UserError, "no task still to urge"):
            self._send(empty)
        empty.with_user(self.officer).action_cancel()
        self.assertEqual(empty.state, "cancelled")
        self.assertTrue(self._prepare(self._late()) - empty)

    def test_many_drafts_are_sent_in_one_go(self):
        drafts = self._prepare(self._late() | self._late(unit=self.unit_b))
        self._send(drafts)
        self.assertEqual(set(drafts.mapped("state")), {"sent"})
        self.assertEqual(len(set(drafts.mapped("number"))), 2)

    def test_urge_from_the_unit(self):
        overdue = self._late()
        self._task()  # not assigned: not urged
        action = self.unit_a.with_user(self.officer).action_prepare_urge_dispatch()
        draft = self.Dispatch.browse(action["res_id"])
        self.assertEqual(draft.line_ids.task_id, overdue)
        # Again: its draft, not a second one.
        action = self.unit_a.with_user(self.officer).action_prepare_urge_dispatch()
        self.assertEqual(action["res_id"], draft.id)
        self.unit_a.invalidate_recordset()
        self.assertEqual(self.unit_a.with_user(self.officer).urge_dispatch_count, 1)


# Sending one dispatch: numbering, rendering its two editions, the urges, the mail and the
# follow-ups; whatever its number of tasks (test_sending_fifty_tasks_takes_...).
QUERY_BUDGET = 100


@tagged("post_install", "-at_install", "is_query_count")
class TestUrgeDispatchQueries(UrgeCommon):
    def test_sending_fifty_tasks_takes_a_bounded_number_of_queries(self):
        # A first dispatch fills the caches (templates, report, activity type).
        self._send(self._prepare(self._late()))
        counts = {}
        for size in (10, 50):
            tasks = self._task_batch(
                size, deadline=LATE, followup_user_id=self.officer.id, lead_unit_id=self.unit_a.id
            )
            draft = self._prepare(tasks)
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            with self.assertQueryCount(QUERY_BUDGET):
                draft.with_user(self.manager).action_send()
            counts[size] = self.cr.sql_log_count - start
            self.assertEqual(len(draft.line_ids), size)
            self.assertEqual(set(tasks.mapped("urge_count")), {1})
        # Forty more tasks: a few queries more, not one per task.
        self.assertLess(counts[50] - counts[10], 10, counts)


@tagged("post_install", "-at_install")
class TestMonthlyUrgeDispatches(UrgeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(MONTHLY_DONE_PARAM, "")
        cls.env["ir.config_parameter"].set_param("hy_task_tracking.urge_monthly_day", "25")
        cls.status = cls.env.ref("hy_task_tracking.hy_job_status_urge_monthly")

    def _run(self, when):
        with freeze_time(when):
            self.env["hy.task"]._cron_recompute_timeliness()
            return self.env["hy.urge.dispatch"]._cron_prepare_monthly_dispatches()

    def test_monthly_drafts_on_their_day_once(self):
        late_a, late_b = self._late(), self._late(unit=self.unit_b)
        in_draft = self._late(unit=self.unit_b)
        self._prepare(in_draft)
        on_time = self._assigned(date(2026, 12, 31))
        self.assertFalse(self._run("2026-07-24 03:00:00"))
        drafts = self._run("2026-07-25 03:00:00")
        ours = drafts.filtered(lambda d: d.unit_id in self.unit_a | self.unit_b)
        self.assertEqual(len(ours), 2)
        self.assertEqual(set(ours.mapped("origin")), {"monthly"})
        self.assertEqual(set(ours.mapped("state")), {"draft"})
        self.assertEqual(ours.line_ids.task_id, late_a | late_b)
        self.assertNotIn(on_time, drafts.line_ids.task_id)
        self.assertEqual(self.status.last_state, "done")
        # The managers are told how many to check; nothing was sent.
        notice = self.status.message_ids[:1]
        self.assertIn(self.manager.partner_id, notice.partner_ids)
        self.assertIn(str(len(drafts)), notice.body)
        self.assertFalse(self._urge_mails(self.user_a))
        # Once a month, however often the job runs; again the next month.
        self._send(ours)
        self.assertFalse(self._run("2026-07-25 10:00:00"))
        self.assertFalse(self._run("2026-07-28 03:00:00"))
        self.assertFalse(self._run("2026-08-24 03:00:00"))
        # Again the next month; the task in a draft the Office keeps stays there.
        again = self._run("2026-08-25 03:00:00")
        self.assertEqual(
            again.filtered(lambda d: d.unit_id in self.unit_a | self.unit_b).line_ids.task_id,
            late_a | late_b,
        )

    def test_a_short_month_prepares_on_its_last_day(self):
        self._late()
        self.env["ir.config_parameter"].set_param("hy_task_tracking.urge_monthly_day", "31")
        self.assertFalse(self._run("2026-06-29 03:00:00"))
        self.assertTrue(self._run("2026-06-30 03:00:00"))

    def test_a_night_missed_is_caught_up_and_zero_means_never(self):
        self._late()
        self.assertTrue(self._run("2026-07-27 03:00:00"))
        self.env["ir.config_parameter"].set_param("hy_task_tracking.urge_monthly_day", "0")
        self.assertFalse(self._run("2026-08-25 03:00:00"))


@tagged("post_install", "-at_install")
class TestUrgeDispatchRpc(JsonRpcMixin, HttpCase, UrgeCommon):
    @mute_logger("odoo.http")
    def test_an_officer_cannot_send_or_number_through_json_rpc(self):
        draft = self._prepare(self._late())
        self._login(self.officer)
        message = self.assertRefused(self._call("hy.urge.dispatch", "action_send", [draft.id]))
        self.assertIn("Office managers", message)
        for values in (
            {"state": "sent"},
            {"number": "01/VP-TH"},
            {"date": "2026-06-01"},
            {"sent_by_id": self.officer.id},
        ):
            with self.subTest(values=values):
                self.assertRefused(self._call("hy.urge.dispatch", "write", [draft.id], values))
        # An officer still prepares through the same protocol.
        self.assertAnswered(
            self._call("hy.urge.dispatch", "write", [draft.id], {"subject": "V/v đôn đốc"})
        )
        self._login(self.portal_a)
        self.assertRefused(self._call("hy.urge.dispatch", "read", [draft.id], ["subject"]))
        self._login(self.manager)
        self.assertAnswered(self._call("hy.urge.dispatch", "action_send", [draft.id]))
        self.assertEqual(draft.state, "sent")
