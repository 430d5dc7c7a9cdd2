from datetime import date

from odoo.tests import freeze_time, tagged, users, warmup

from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestOverview(TestHyCommon):
    """The leadership overview: its figures, what each role sees, and its cost."""

    def _kpis(self, user):
        # As the web client calls it: in the user's language.
        overview = self.env["hy.task.overview"].with_user(user).with_context(lang=user.lang)
        data = overview.get_overview()
        return data, {kpi["key"]: kpi for kpi in data["kpis"]}

    def _listed(self, user, kpi):
        """The tasks a click on ``kpi`` opens, as ``user``."""
        action = kpi["action"]
        self.assertEqual(action["res_model"], "hy.task")
        return self.env["hy.task"].with_user(user).search(action["domain"])

    @freeze_time("2026-06-20 03:00:00")
    def test_a_unit_member_sees_the_figures_of_its_own_unit(self):
        late = self._task(deadline=date(2026, 6, 1), state="in_progress")
        self._task(deadline=date(2026, 6, 24), state="assigned")
        self._task(deadline=date(2026, 9, 30), state="assigned")
        self._task(unit=self.unit_b, deadline=date(2026, 6, 1), state="assigned")
        data, kpis = self._kpis(self.user_a)
        self.assertEqual(kpis["open"]["value"], 3)
        self.assertEqual(kpis["overdue"]["value"], 1)
        self.assertEqual(kpis["due_soon"]["value"], 1)
        self.assertEqual(self._listed(self.user_a, kpis["overdue"]), late)
        self.assertEqual([row["id"] for row in data["longest_overdue"]], late.ids)
        self.assertEqual(data["longest_overdue"][0]["days_overdue"], 19)
        # Monday 1 June to Saturday 20 June: three weeks of five working days, less the 1st.
        self.assertEqual(data["longest_overdue"][0]["working_days_overdue"], 14)
        # Unit B's overdue task counts for unit B, not here.
        _data, kpis_b = self._kpis(self.user_b)
        self.assertEqual(kpis_b["overdue"]["value"], 1)

    @freeze_time("2026-06-20 03:00:00")
    def test_each_figure_opens_exactly_the_tasks_it_counts(self):
        self._task(deadline=date(2026, 6, 1), state="in_progress")
        self._task(unit=self.unit_b, deadline=date(2026, 6, 22), state="assigned")
        done = self._task(
            deadline=date(2026, 6, 15), state="in_progress", assigned=date(2026, 6, 1)
        )
        done._report_done("Đã ban hành kế hoạch", date(2026, 6, 12))
        checked = []
        for kpi in self._kpis(self.leader)[1].values():
            if kpi["key"] == "on_time_rate":
                continue  # a rate: it opens the results it is computed from (see below)
            with self.subTest(kpi=kpi["key"]):
                self.assertEqual(len(self._listed(self.leader, kpi)), kpi["value"])
            checked.append(kpi["key"])
        self.assertEqual(checked, ["open", "overdue", "due_soon", "to_confirm"])

    def _classified_overdue(self):
        """A task of the confidential directive, overdue since 1 May."""
        return self._task(
            directive_id=self.directive_conf.id,
            name=False,
            deadline=date(2026, 5, 1),
            state="assigned",
        )

    def test_the_clearance_applies_to_the_figures(self):
        def gap():
            with freeze_time("2026-06-20 03:00:00"):
                _data, cleared = self._kpis(self.officer)
                _data, uncleared = self._kpis(self.officer_uncleared)
            return cleared["overdue"]["value"] - uncleared["overdue"]["value"]

        # Whatever classified tasks the demo data holds: one more counts for the cleared only.
        before = gap()
        self._classified_overdue()
        self.assertEqual(gap(), before + 1)

    def test_classified_tasks_are_listed_without_content(self):
        task = self._classified_overdue()
        with freeze_time("2026-06-20 03:00:00"):
            data, _kpis = self._kpis(self.leader)
        [row] = [row for row in data["longest_overdue"] if row["id"] == task.id]
        self.assertEqual(row["title"], task.title)
        self.assertRegex(row["title"], r"\d+/\d+")

    def test_days_late_count_in_vietnam_time(self):
        task = self._task(deadline=date(2026, 6, 10), state="assigned")
        # 16:30 UTC on 10 June is 23:30 in Hà Nội: still the deadline day.
        with freeze_time("2026-06-10 16:30:00"):
            task.invalidate_recordset(["days_overdue"])
            self.env["hy.task"]._cron_recompute_timeliness()
            self.assertEqual(task.days_overdue, 0)
        # 17:30 UTC is 00:30 on 11 June there: one day late.
        with freeze_time("2026-06-10 17:30:00"):
            self.env["hy.task"]._cron_recompute_timeliness()
            task.invalidate_recordset(["days_overdue"])
            self.assertEqual(task.days_overdue, 1)
            data, _kpis = self._kpis(self.user_a)
            self.assertEqual(data["today"], "06/11/2026")

    def _on_time(self, user, tasks, since):
        """The on-time figure of the overview, over the confirmations of ``tasks`` only (the
        demo data confirms results too)."""
        overview = self.env["hy.task.overview"].with_user(user)
        domain = [
            ("change", "=", "confirmed"),
            ("new_value", "=", "1"),
            ("deadline", "!=", False),
            ("date", ">=", since),
            ("task_id", "in", tasks.ids),
        ]
        [kpi] = overview._on_time_kpis(domain)
        return kpi

    def test_on_time_rate_counts_the_results_as_confirmed_then(self):
        with freeze_time("2026-04-20 03:00:00"):
            assigned = date(2026, 4, 1)
            on_time = self._task(deadline=date(2026, 4, 30), state="in_progress", assigned=assigned)
            late = self._task(deadline=date(2026, 4, 10), state="in_progress", assigned=assigned)
            unconfirmed = self._task(
                deadline=date(2026, 4, 30), state="in_progress", assigned=assigned
            )
            for task in on_time | late | unconfirmed:
                task._report_done("Đã thực hiện", date(2026, 4, 18))
            (on_time | late).with_user(self.manager)._evaluate_and_confirm("good")
        ours = on_time | late | unconfirmed
        with freeze_time("2026-05-02 03:00:00"):
            kpi = self._on_time(self.leader, ours, date(2026, 4, 1))
            self.assertEqual(kpi["value"], "50.0 %")
            listed = (
                self.env["hy.task.ledger"].with_user(self.leader).search(kpi["action"]["domain"])
            )
            self.assertEqual(listed.task_id, on_time | late)
            # The drill-down says of each confirmation whether it was on time or late.
            [(view_id, _type), *_others] = kpi["action"]["views"]
            Ledger = self.env["hy.task.ledger"].with_user(self.leader)
            arch = Ledger.get_views([(view_id, "list")])["views"]["list"]["arch"]
            self.assertIn('name="status_category"', arch)
            self.assertEqual(
                {entry.task_id: entry.status_category for entry in listed},
                {on_time: "done_on_time", late: "done_late"},
            )
            # In May the Office sends the on-time result back: April's figure does not move.
            on_time.with_user(self.officer)._send_back("Thiếu báo cáo tổng hợp")
            self.assertEqual(self._on_time(self.leader, ours, date(2026, 4, 1))["value"], "50.0 %")
        # Twelve months later the April results leave the window.
        with freeze_time("2027-05-02 03:00:00"):
            self.assertEqual(self._on_time(self.leader, ours, date(2026, 6, 1))["value"], "–")
            data, _kpis = self._kpis(self.leader)
            self.assertEqual(
                data["charts"]["trend"]["domain"][-1], ("date", ">=", date(2026, 6, 1))
            )

    def test_units_get_no_history_figures(self):
        # Units do not read the task ledger: no on-time rate, no trend; everything else.
        data, kpis = self._kpis(self.user_a)
        self.assertNotIn("on_time_rate", kpis)
        self.assertFalse(data["charts"]["trend"])
        self.assertIn("overdue", kpis)
        data, kpis = self._kpis(self.leader)
        self.assertIn("on_time_rate", kpis)
        self.assertEqual(data["charts"]["trend"]["model"], "hy.task.ledger")

    def test_the_percentages_follow_the_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.user_a.lang = "vi_VN"
        with freeze_time("2026-06-20 03:00:00"):
            self._task(deadline=date(2026, 6, 1), state="assigned")
            self._task(deadline=date(2026, 8, 1), state="assigned")
            self._task(deadline=date(2026, 8, 1), state="assigned")
            data, kpis = self._kpis(self.user_a)
        self.assertIn("33,3 %", kpis["overdue"]["note"])
        self.assertEqual(data["today"], "20/06/2026")

    def test_busiest_directives_open_their_open_tasks(self):
        with freeze_time("2026-06-20 03:00:00"):
            self._task(deadline=date(2026, 6, 1), state="assigned")
            self._task(deadline=date(2026, 8, 1), state="assigned")
            data, _kpis = self._kpis(self.user_a)
        [directive] = data["directives"]
        self.assertEqual(directive["id"], self.directive.id)
        self.assertEqual((directive["open_count"], directive["overdue_count"]), (2, 1))
        listed = self.env["hy.task"].with_user(self.user_a).search(directive["action"]["domain"])
        self.assertEqual(len(listed), 2)

    @users("t_leader", "t_user_a")
    @warmup
    def test_the_cost_does_not_grow_with_the_number_of_tasks(self):
        # The leadership's overview (the ledger's figures too) and a unit's (its own tasks): as
        # many queries for 6 tasks as for 46, overdue or due soon (both lists of tasks read the
        # working calendar once, whatever holidays their dates reach, and the days the Office
        # held the overdue ones once). One query is the classification of the busiest
        # directives, read to log the classified ones; one the line of the Office (what it
        # holds, by what it has to do and whether it is late); the directives named are read
        # once, whichever the cache holds; three the line of urging (tasks urged, dispatches
        # sent, requests for information awaiting an answer).
        for count in (6, 40):
            self._task_batch(count, deadline=lambda i: (date(2026, 6, 1), date(2026, 6, 24))[i % 2])
            self.env.invalidate_all()
            with (
                freeze_time("2026-06-20 03:00:00"),
                self.assertQueryCount(t_leader=36, t_user_a=32),
            ):
                self.env["hy.task.overview"].get_overview()


@tagged("post_install", "-at_install")
class TestHome(TestHyCommon):
    """Where each role lands after login."""

    def _home(self):
        action = self.env["hy.task.overview"]._home_action()
        return action.get("tag") or action.get("res_model")

    @users("t_leader", "t_manager")
    def test_leadership_and_office_managers_land_on_the_overview(self):
        self.assertEqual(self._home(), "hy_task_overview")

    @users("t_officer", "t_user_a")
    def test_officers_and_unit_members_land_on_their_tasks(self):
        self.assertEqual(self._home(), "hy.task")

    @users("t_leader", "t_officer", "t_user_a")
    def test_task_tracking_is_the_first_app(self):
        menus = self.env["ir.ui.menu"].load_web_menus(False)
        first_app = menus[menus["root"]["children"][0]]
        self.assertEqual(first_app["xmlid"], "hy_task_tracking.hy_task_tracking_menu_root")
        home = self.env.ref("hy_task_tracking.hy_task_home_action")
        self.assertEqual(first_app["actionID"], home.id)
        # The server action runs for every role of the app.
        result = home.run()
        self.assertIn(result["type"], ("ir.actions.client", "ir.actions.act_window"))
