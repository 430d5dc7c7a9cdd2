from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TestHyCommon
from .test_api import TestApiCommon
from .test_import import TestImportCommon
from .test_portal import TestPortalCommon

# What the ledger says a task was after each entry: the reports read these.
SNAPSHOT = ("state", "lead_unit_id", "deadline", "date_done", "confirmed", "quality", "active")


@tagged("post_install", "-at_install")
class TestLedgerCommon(TestHyCommon):
    def _entries(self, task, change=None):
        """The ledger of ``task``, oldest first, read as the Office would."""
        domain = [("task_id", "=", task.id)]
        if change:
            domain.append(("change", "=", change))
        Ledger = self.env["hy.task.ledger"].with_context(active_test=False)
        return Ledger.search(domain, order="timestamp, id")

    def _states_by_day(self, task):
        """{Hà Nội date: the task's snapshot at the end of that day}, from its ledger."""
        days = {}
        for entry in self._entries(task):
            days[entry.date] = tuple(entry[name] for name in SNAPSHOT)
        return days

    def _assigned_task(self, day, **vals):
        with freeze_time(f"{day.isoformat()} 03:00:00"):
            task = self._task(state="assigned", **vals)
        return task


@tagged("post_install", "-at_install")
class TestLedger(TestLedgerCommon):
    def test_each_step_is_recorded_with_who_when_and_what(self):
        with freeze_time("2026-06-01 03:00:00"):
            task = self._task()
        created = self._entries(task)
        self.assertEqual(len(created), 1)
        self.assertEqual(
            (created.change, created.new_value, created.state, created.date),
            ("create", "draft", "draft", date(2026, 6, 1)),
        )
        with freeze_time("2026-06-01 04:00:00"):
            task.with_user(self.officer).action_assign()
        # 23:30 on 2 June in Hà Nội is 16:30 UTC: the ledger dates it 2 June.
        with freeze_time("2026-06-02 16:30:00"):
            task.with_user(self.user_a).action_accept()
        # 00:30 on 3 June in Hà Nội is still 2 June in UTC: the ledger dates it 3 June.
        with freeze_time("2026-06-02 17:30:00"):
            task.with_user(self.user_a).write({"progress": 40})
        with freeze_time("2026-06-05 03:00:00"):
            task.with_user(self.user_a)._report_done("Đã ban hành Kế hoạch", date(2026, 6, 5))
        with freeze_time("2026-06-08 03:00:00"):
            task.with_user(self.manager)._evaluate_and_confirm("good", "Đạt yêu cầu")
        state = self._entries(task, "state")
        self.assertEqual(
            state.mapped(lambda e: (e.old_value, e.new_value)),
            [("draft", "assigned"), ("assigned", "in_progress"), ("in_progress", "done")],
        )
        self.assertEqual(state.user_id, self.officer | self.user_a)
        accepted = state[1]
        self.assertEqual(accepted.timestamp, datetime(2026, 6, 2, 16, 30))  # noqa: DTZ001 (UTC)
        self.assertEqual(accepted.date, date(2026, 6, 2))
        progress = self._entries(task, "progress")
        self.assertEqual(progress[0].date, date(2026, 6, 3))
        self.assertEqual(progress.mapped("new_value"), ["40", "100"])
        self.assertEqual(progress[0].new_display, "40 %")
        done = self._entries(task, "date_done")
        self.assertEqual((done.new_value, done.user_id), ("2026-06-05", self.user_a))
        confirmation = self._entries(task, "confirmed") | self._entries(task, "quality")
        self.assertEqual(confirmation.user_id, self.manager)
        self.assertEqual(set(confirmation.mapped("date")), {date(2026, 6, 8)})
        last = self._entries(task)[-1]
        self.assertEqual(
            tuple(last[name] for name in SNAPSHOT),
            ("done", self.unit_a, date(2026, 12, 31), date(2026, 6, 5), True, "good", True),
        )
        # The history tab of the form: Office and leadership.
        self.assertEqual(task.with_user(self.leader).ledger_ids, self._entries(task))

    def test_transfer_extension_cancellation_and_archiving(self):
        task = self._assigned_task(date(2026, 6, 1), deadline=date(2026, 6, 20))
        with freeze_time("2026-06-03 03:00:00"):
            task.with_user(self.officer)._transfer_to_unit(self.unit_b, "Đúng chức năng của Sở")
        moved = self._entries(task, "lead_unit_id")
        self.assertEqual(
            (moved.old_value, moved.new_value), (str(self.unit_a.id), str(self.unit_b.id))
        )
        self.assertEqual((moved.old_display, moved.new_display), ("Sở Nội vụ", "Sở Tài chính"))
        self.assertEqual(moved.transfer_id, task.transfer_ids)
        self.assertEqual(moved.note, "Đúng chức năng của Sở")
        with freeze_time("2026-06-10 03:00:00"):
            extension = self._request_extension(task, date(2026, 7, 15), "Chờ", user=self.user_b)
            extension.with_user(self.officer).action_approve()
        extended = self._entries(task, "deadline")
        self.assertEqual((extended.old_value, extended.new_value), ("2026-06-20", "2026-07-15"))
        self.assertEqual(extended.extension_id, extension)
        with freeze_time("2026-06-11 03:00:00"):
            task.with_user(self.officer).support_unit_ids = [Command.link(self.unit_off.id)]
        self.assertEqual(self._entries(task, "support_unit_ids").new_display, "UBND huyện Kim Động")
        with freeze_time("2026-06-12 03:00:00"):
            task.with_user(self.officer).action_cancel()
            task.with_user(self.officer).action_archive()
        self.assertEqual(self._entries(task, "state")[-1].new_value, "cancelled")
        archived = self._entries(task, "active")
        self.assertEqual((archived.new_display, archived.active), ("Archived", False))

    def test_sudo_code_and_the_nightly_job_are_recorded_too(self):
        task = self._assigned_task(date(2026, 6, 1), deadline=date(2026, 6, 9))
        # sudo() code run for a unit member (the portal controllers do this) is the member.
        with freeze_time("2026-06-02 03:00:00"):
            task.with_user(self.user_a).sudo().write({"state": "in_progress"})
        self.assertEqual(self._entries(task, "state")[-1].user_id, self.user_a)
        # 00:10 on 10 June in Hà Nội: the deadline has passed.
        with freeze_time("2026-06-09 17:10:00"):
            self.env["hy.task"]._cron_recompute_timeliness()
        overdue = self._entries(task, "status_category")[-1]
        self.assertEqual(
            (overdue.old_value, overdue.new_value, overdue.date),
            ("in_progress_on_time", "in_progress_overdue", date(2026, 6, 10)),
        )
        self.assertEqual(overdue.state, "in_progress")
        self.assertEqual(overdue.deadline, date(2026, 6, 9))

    def test_nobody_changes_the_ledger(self):
        task = self._assigned_task(date(2026, 6, 1))
        entry = self._entries(task)[0]
        recorded = (entry.change, entry.new_value, entry.state)
        admin = self.env.ref("base.user_admin")
        for env in (self.env, self.env(user=admin), self.env(user=admin, su=True)):
            with self.subTest(user=env.user.login, su=env.su):
                with self.assertRaises(UserError):
                    entry.with_env(env).write({"new_value": "done"})
                with self.assertRaises(UserError):
                    entry.with_env(env).unlink()
                with self.assertRaises(UserError):
                    env["hy.task.ledger"].create({"task_id": task.id, "change": "state"})
        # (AccessError is a UserError: refused by the rights or by the model, it is refused.)
        for user in (self.officer, self.manager, self.leader):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    entry.with_user(user).write({"new_value": "done"})
                with self.assertRaises(UserError):
                    entry.with_user(user).unlink()
        entry.invalidate_recordset()
        self.assertEqual((entry.change, entry.new_value, entry.state), recorded)

    def test_who_reads_the_ledger(self):
        task = self._assigned_task(date(2026, 6, 1))
        with freeze_time("2026-06-01 03:00:00"):
            classified = self.env["hy.task"].create(
                {
                    "directive_id": self.directive_conf.id,
                    "lead_unit_id": self.unit_a.id,
                    "followup_unit_id": self.division.id,
                }
            )
            classified.action_assign()
            classified._transfer_to_unit(self.unit_b, "Lý do chỉ gửi qua kênh mật")
        Ledger = self.env["hy.task.ledger"]
        for user in (self.officer, self.leader, self.manager):
            with self.subTest(user=user.login):
                seen = Ledger.with_user(user).search([("task_id", "in", (task | classified).ids)])
                self.assertEqual(seen.task_id, task | classified)
        # Below the directive's level: the classified task's history is not there.
        seen = Ledger.with_user(self.officer_uncleared).search(
            [("task_id", "in", (task | classified).ids)]
        )
        self.assertEqual(seen.task_id, task)
        for user in (self.user_a, self.portal_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Ledger.with_user(user).search([("task_id", "=", task.id)])
        # Metadata only on a classified task: the unit moved, the reason is not kept.
        moved = self._entries(classified, "lead_unit_id")
        self.assertEqual(moved.new_value, str(self.unit_b.id))
        self.assertFalse(moved.note)


@tagged("post_install", "-at_install")
class TestConfirmationLock(TestLedgerCommon):
    def _confirmed_task(self):
        task = self._assigned_task(date(2026, 6, 1))
        with freeze_time("2026-06-05 03:00:00"):
            task.with_user(self.user_a)._report_done("Đã trình Đề án", date(2026, 6, 4))
            task.with_user(self.manager)._evaluate_and_confirm("good", "Đạt yêu cầu")
        return task

    @freeze_time("2026-06-20 03:00:00")
    def test_a_confirmed_result_cannot_change_by_any_path(self):
        task = self._confirmed_task()
        attempts = {
            "back-dated": {"date_done": date(2026, 6, 2)},
            "cleared": {"date_done": False},
            "rewritten": {"result": "Kết quả khác"},
            "progress": {"progress": 50},
            "state": {"state": "in_progress"},
        }
        for user, sudo in (
            (self.user_a, False),
            (self.user_a, True),
            (self.portal_a, True),
            (self.officer, False),
            (self.manager, False),
        ):
            for label, vals in attempts.items():
                with self.subTest(user=user.login, sudo=sudo, attempt=label):
                    record = task.with_user(user).sudo() if sudo else task.with_user(user)
                    with self.assertRaises(UserError), self.env.cr.savepoint():
                        record.write(vals)
        # A progress update cannot reopen it either.
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["hy.task.update"].with_user(self.user_a).create(
                {"task_id": task.id, "progress": 60, "note": "Bổ sung"}
            )
        task.invalidate_recordset()
        self.assertEqual(
            (task.state, task.date_done, task.result, task.progress, task.confirmed),
            ("done", date(2026, 6, 4), "Đã trình Đề án", 100, True),
        )
        # Sending the same value again changes nothing, so it is not refused.
        task.with_user(self.user_a).write({"progress": 100})

    @freeze_time("2026-06-20 03:00:00")
    def test_only_the_office_reopens_it_with_a_reason_that_goes_to_the_ledger(self):
        task = self._confirmed_task()
        with self.assertRaises(AccessError):
            task.with_user(self.user_a)._send_back("Tự mở lại")
        reopening = {"state": "in_progress", "date_done": False, "confirmed": False}
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            task.with_user(self.user_a).sudo().with_context(hy_ledger_note="x").write(reopening)
        with self.assertRaises(UserError):
            task.with_user(self.officer)._send_back("  ")
        task.with_user(self.officer)._send_back("Kết quả chưa kèm văn bản ban hành")
        self.assertEqual((task.state, task.confirmed, task.quality), ("in_progress", False, False))
        self.assertFalse(task.date_done)
        reopened = self._entries(task, "state")[-1]
        self.assertEqual((reopened.old_value, reopened.new_value), ("done", "in_progress"))
        self.assertEqual(reopened.note, "Kết quả chưa kèm văn bản ban hành")
        self.assertEqual(reopened.user_id, self.officer)
        # The unit can report again.
        task.with_user(self.user_a)._report_done("Đã trình, kèm Quyết định", date(2026, 6, 19))
        self.assertEqual(task.state, "done")

    @freeze_time("2026-06-20 03:00:00")
    def test_a_done_task_has_a_plausible_completion_date(self):
        task = self._assigned_task(date(2026, 6, 10))
        task.with_user(self.user_a).action_accept()
        # A unit may not write the status at all (hy.write.guard); even code run as superuser
        # cannot report a task done without its date.
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            task.with_user(self.user_a).write({"state": "done"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            task.write({"state": "done"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            task.with_user(self.user_a)._report_done("Xong", date(2026, 6, 9))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            task.with_user(self.user_a)._report_done("Xong", date(2026, 6, 21))
        self.assertEqual(task.state, "in_progress")
        task.with_user(self.user_a)._report_done("Xong", date(2026, 6, 10))
        self.assertEqual(task.date_done, date(2026, 6, 10))


@tagged("post_install", "-at_install")
class TestOpeningHistory(TestLedgerCommon):
    def _forget_ledger(self, tasks):
        """What a database upgraded from before the ledger holds: no entry at all."""
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM hy_task_ledger WHERE task_id IN %s", [tuple(tasks.ids)])
        self.env.invalidate_all()

    def test_rebuilt_from_the_chatter_as_it_was_recorded(self):
        """The upgrade's opening entries give each task the same state, day by day, as the
        ledger would have recorded live: the chatter tracked every change at its time."""
        task = self._assigned_task(date(2026, 3, 2), deadline=date(2026, 4, 30))
        self._flush_tracking()
        steps = [
            ("2026-03-05", lambda: task.with_user(self.user_a).action_accept()),
            (
                "2026-03-20",
                lambda: task.with_user(self.officer)._transfer_to_unit(self.unit_b, "x"),
            ),
            ("2026-03-21", lambda: task.with_user(self.user_b).action_accept()),
            ("2026-04-02", lambda: task.with_user(self.user_b).write({"progress": 70})),
            (
                "2026-05-04",
                lambda: task.with_user(self.user_b)._report_done("Xong", date(2026, 5, 4)),
            ),
            ("2026-05-06", lambda: task.with_user(self.manager)._evaluate_and_confirm("excellent")),
        ]
        for day, step in steps:
            with freeze_time(f"{day} 03:00:00"):
                step()
                self._flush_tracking()
        # A task recorded in its final state (as demo data or old imports were).
        with freeze_time("2026-06-01 03:00:00"):
            recorded = self.env["hy.task"].create(
                {
                    "directive_id": self.directive.id,
                    "name": "Nhiệm vụ đã hoàn thành trước khi có phần mềm",
                    "lead_unit_id": self.unit_a.id,
                    "deadline": date(2026, 3, 31),
                    "date_assigned": date(2026, 3, 2),
                    "state": "done",
                    "date_done": date(2026, 3, 25),
                    "progress": 100,
                    "result": "Đã hoàn thành",
                    "quality": "good",
                    "confirmed": True,
                    "confirmed_date": date(2026, 3, 27),
                }
            )
        live = self._states_by_day(task)
        self._forget_ledger(task | recorded)
        count = self.env["hy.task.ledger"]._open_from_history(task | recorded)
        self.assertTrue(count)
        self.assertEqual(set(self._entries(task).mapped("origin")), {"opening"})
        self.assertEqual(self._states_by_day(task), live)
        rebuilt = self._states_by_day(recorded)
        self.assertEqual(rebuilt[date(2026, 3, 2)][0], "in_progress")
        self.assertEqual(
            rebuilt[date(2026, 3, 25)][:4],
            ("done", self.unit_a, date(2026, 3, 31), date(2026, 3, 25)),
        )
        self.assertEqual(rebuilt[date(2026, 3, 27)][4:6], (True, "good"))
        # Run twice (an upgrade restarted): nothing more.
        self.assertFalse(self.env["hy.task.ledger"]._open_from_history(task | recorded))


@tagged("post_install", "-at_install")
class TestLedgerThroughTheApi(TestApiCommon):
    def test_api_creation_assignment_and_progress_are_recorded(self):
        payload = self._payload()
        payload["assign"] = True
        response = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(response.status_code, 201, response.text)
        reference = response.json()["tasks"][0]["reference"]
        task = self.env["hy.task"].search([("reference", "=", reference)])
        ledger = self.env["hy.task.ledger"].search([("task_id", "=", task.id)], order="id")
        self.assertEqual(ledger.mapped("change")[:2], ["create", "state"])
        self.assertEqual(ledger.user_id, self.officer)
        self.assertEqual(ledger.filtered(lambda e: e.change == "state").new_value, "assigned")
        url = f"/tasks/{self.task_a.reference}/updates"
        response = self._api("POST", url, {"progress": 35, "note": "Đã có dự thảo"}, self.key_a)
        self.assertEqual(response.status_code, 201, response.text)
        entries = self.env["hy.task.ledger"].search(
            [
                ("task_id", "=", self.task_a.id),
                ("user_id", "=", self.user_a.id),
                ("change", "in", ("progress", "state")),
            ]
        )
        self.assertEqual(
            sorted(entries.mapped(lambda e: (e.change, e.new_value))),
            [("progress", "35"), ("state", "in_progress")],
        )


@tagged("post_install", "-at_install")
class TestLedgerThroughThePortal(TestPortalCommon):
    def test_portal_steps_are_recorded(self):
        self._login(self.portal_a)
        self._post(self.task_open, "accept")
        accepted = self.env["hy.task.ledger"].search(
            [("task_id", "=", self.task_open.id), ("change", "=", "state")],
            order="id desc",
            limit=1,
        )
        self.assertEqual((accepted.new_value, accepted.user_id), ("in_progress", self.portal_a))
        today = self.today.isoformat()
        self._post(self.task_due_soon, "done", {"date_done": today, "result": "Đã rà soát"})
        done = self.env["hy.task.ledger"].search(
            [("task_id", "=", self.task_due_soon.id), ("change", "=", "date_done")]
        )
        self.assertEqual((done.new_value, done.user_id), (today, self.portal_a))
        # Confirmed by the Office: the unit can no longer touch the result from the portal.
        self.task_due_soon.with_user(self.manager)._evaluate_and_confirm("good")
        response = self._post(self.task_due_soon, "done", {"date_done": today, "result": "Sửa"})
        self.assertLess(response.status_code, 500)
        self.assertEqual(self.task_due_soon.result, "Đã rà soát")


@tagged("post_install", "-at_install")
class TestLedgerThroughTheImport(TestImportCommon):
    def test_imported_tasks_open_their_history(self):
        self._import(self._xlsx(self._clean_rows()))
        tasks = self.env["hy.task"].search([("directive_id.number", "=", "25/CT-UBND")])
        self.assertTrue(tasks)
        ledger = self.env["hy.task.ledger"].search([("task_id", "in", tasks.ids)])
        created = ledger.filtered(lambda e: e.change == "create")
        self.assertEqual(created.task_id, tasks)
        self.assertEqual(created.user_id, self.officer)
