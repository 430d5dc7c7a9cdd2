"""Whose turn it is, on every screen: a task with the Office is never shown overdue against its
unit, and a reported result is "awaiting confirmation", not done, until the Office confirms it."""

import ast
import re
from datetime import date, timedelta

from lxml import etree

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import format_date

from ..models.hy_time import hy_today
from .common import TestHyCommon
from .test_portal import TestPortalCommon


def _row(page, task):
    """The HTML of ``task``'s row in the portal list ``page``."""
    match = re.search(rf'<tr[^>]*data-task-id="{task.id}".*?</tr>', page.text, re.DOTALL)
    return match.group(0) if match else ""


@tagged("post_install", "-at_install")
class TestWhoseTurnPortal(TestPortalCommon):
    """What the unit reads in its portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Returned by the unit ten days after its deadline: the Office's turn.
        cls.task_returned = cls._task(
            directive_id=cls.directive_p.id,
            name="Điều chỉnh quy hoạch cụm công nghiệp",
            deadline=cls.today - timedelta(days=10),
            state="assigned",
        )
        cls.task_returned.with_user(cls.user_a)._return_to_office("Không thuộc chức năng của Sở")
        # Reported done, not confirmed yet.
        cls.task_reported = cls._task(
            directive_id=cls.directive_p.id,
            name="Tổng kết mô hình một cửa liên thông",
            deadline=cls.today + timedelta(days=10),
            state="in_progress",
        )
        cls.task_reported._report_done("Đã tổ chức hội nghị tổng kết", cls.today)
        (cls.task_returned | cls.task_reported).flush_recordset()

    def _list(self, query=""):
        page = self._get(f"/my/hy_tasks?{query}")
        self.assertEqual(page.status_code, 200)
        return page

    def _references(self, query):
        return re.findall(r'o_hy_task_link"[^>]*>([^<]+)<', self._list(query).text)

    def test_a_returned_task_past_its_deadline_is_with_the_office_not_overdue(self):
        task = self.task_returned
        self.assertTrue(task.with_office)
        self.assertEqual(task.office_wait, "return")
        self._login(self.portal_a)
        reader = self.env(context={"lang": self.portal_a.lang})
        turn = (
            f"With the Provincial Office since {format_date(reader, task.office_since)}: "
            "its decision on the returned task"
        )
        row = _row(self._list(), task)
        self.assertIn(turn, row)
        self.assertNotIn("overdue", row.lower())
        self.assertIn('data-category="not_started_on_time"', row)
        # Not among the unit's overdue tasks; among those with the Office.
        self.assertNotIn(task.reference, self._references("filterby=overdue"))
        self.assertIn(task.reference, self._references("filterby=with_office"))
        page = self._get(f"/my/hy_tasks/{task.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(turn, page.text)
        self.assertNotIn("overdue", page.text.lower())
        self.assertNotIn("o_hy_status_bg_not_started_overdue", page.text)

    def test_a_reported_result_awaits_confirmation_and_is_not_done(self):
        task = self.task_reported
        self.assertEqual(task.progress_status, "done_unconfirmed")
        done_before = self.directive_p.task_done_count
        self._login(self.portal_a)
        row = _row(self._list(), task)
        self.assertIn('data-category="done_unconfirmed"', row)
        self.assertIn("Reported, awaiting confirmation", row)
        self.assertNotIn("Done on time", row)
        self.assertIn(task.reference, self._references("filterby=done_unconfirmed"))
        self.assertIn(task.reference, self._references("filterby=to_confirm"))
        self.assertNotIn(task.reference, self._references("filterby=done_on_time"))
        page = self._get(f"/my/hy_tasks/{task.id}").text
        self.assertIn("Reported, awaiting confirmation", page)
        self.assertIn("Reported completed on", page)
        self.assertNotIn("Done on", page)
        # The directive counts it done once the Office confirms it, and the portal says so.
        task.with_user(self.manager)._evaluate_and_confirm("good")
        self.env.invalidate_all()
        self.assertEqual(self.directive_p.task_done_count, done_before + 1)
        row = _row(self._list(), task)
        self.assertIn('data-category="done_on_time"', row)
        self.assertIn("Done on time", row)
        self.assertNotIn(task.reference, self._references("filterby=done_unconfirmed"))

    def test_the_directive_counts_a_reported_result_only_once_confirmed(self):
        before = self.directive_p.task_done_count
        task = self._task(
            directive_id=self.directive_p.id,
            deadline=self.today + timedelta(days=5),
            state="in_progress",
        )
        task._report_done("Đã hoàn thành", self.today)
        self.env.invalidate_all()
        self.assertEqual(self.directive_p.task_done_count, before)
        task.with_user(self.manager)._evaluate_and_confirm("excellent")
        self.env.invalidate_all()
        self.assertEqual(self.directive_p.task_done_count, before + 1)

    def test_the_status_chips_count_reported_results_apart(self):
        self._login(self.portal_a)
        page = self._list().text
        chip = re.search(
            r'data-category="done_unconfirmed">\s*<span>([^<]+)</span>: <strong>(\d+)</strong>',
            page,
        )
        self.assertTrue(chip, "a chip for the results awaiting confirmation")
        self.assertEqual(chip.groups(), ("Reported, awaiting confirmation", "1"))

    def test_an_extension_closed_without_decision_shows_its_reason(self):
        task = self._task(
            directive_id=self.directive_p.id,
            deadline=self.today + timedelta(days=5),
            state="in_progress",
        )
        self._request_extension(task, self.today + timedelta(days=40), "Chờ ý kiến của Bộ")
        task.with_user(self.user_a)._report_done("Đã hoàn thành sớm", self.today)
        self.assertEqual(task.extension_ids.state, "closed")
        self._login(self.portal_a)
        page = self._get(f"/my/hy_tasks/{task.id}").text
        section = page[page.index('id="hy_task_extensions"') :]
        self.assertRegex(section, r'data-state="closed"[^>]*>Closed without decision<')
        self.assertIn(task.extension_ids.refuse_reason, section)


@tagged("post_install", "-at_install")
class TestWhoseTurnBackend(TestHyCommon):
    """The Office's screens: the overview's line for the Office, the search filters, the
    digest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday 1 June 2026: a returned task, a reported result and an extension request
        # reach the Office (its limits: 5, 5 and 3 working days); one task is simply late.
        with freeze_time("2026-06-01 03:00:00"):
            cls.returned = cls._task(deadline=date(2026, 5, 20), state="assigned")
            cls.returned.with_user(cls.user_a)._return_to_office("Không thuộc chức năng")
            cls.reported = cls._task(deadline=date(2026, 6, 30), state="in_progress")
            cls.reported._report_done("Đã hoàn thành", date(2026, 6, 1))
            cls.extension = cls._task(deadline=date(2026, 6, 10), state="in_progress")
            cls.env["hy.task.extension"].with_user(cls.user_a).create(
                {"task_id": cls.extension.id, "new_deadline": date(2026, 7, 10), "reason": "Chờ"}
            )
            cls.late = cls._task(deadline=date(2026, 5, 25), state="in_progress")
            cls.env.flush_all()
        cls.ours = cls.returned | cls.reported | cls.extension | cls.late

    def test_each_task_is_with_whom_it_waits_for(self):
        self.assertEqual(
            [(t.with_office, t.office_wait) for t in self.ours],
            [(True, "return"), (True, "confirmation"), (True, "extension"), (False, False)],
        )
        self.assertEqual(self.returned.office_due, date(2026, 6, 8))
        self.assertEqual(self.extension.office_due, date(2026, 6, 4))

    def _overview(self, user):
        data = self.env["hy.task.overview"].with_user(user).get_overview()
        return data, {kpi["key"]: kpi for kpi in data["kpis"]}

    def test_the_overview_has_a_line_for_the_office(self):
        # Friday 5 June: the extension request is past the Office's limit (3 working days).
        with freeze_time("2026-06-05 03:00:00"):
            data, kpis = self._overview(self.user_a)
        office = data["office"]
        self.assertEqual((office["count"], office["late_count"]), (3, 1))
        self.assertEqual(
            [(row["key"], row["count"], row["late_count"]) for row in office["rows"]],
            [("return", 1, 0), ("confirmation", 1, 0), ("extension", 1, 1)],
        )
        Task = self.env["hy.task"].with_user(self.user_a)
        with freeze_time("2026-06-05 03:00:00"):
            self.assertEqual(Task.search(office["action"]["domain"]), self.ours - self.late)
            self.assertEqual(Task.search(office["late_action"]["domain"]), self.extension)
        # The returned task is not overdue against its unit; the reported one awaits
        # confirmation, it is not done.
        self.assertEqual(kpis["overdue"]["value"], 1)
        self.assertEqual(kpis["to_confirm"]["value"], 1)
        self.assertEqual([row["id"] for row in data["longest_overdue"]], self.late.ids)
        # Tuesday 9 June: the Office is late on all three.
        with freeze_time("2026-06-09 03:00:00"):
            data, _kpis = self._overview(self.user_a)
        self.assertEqual((data["office"]["count"], data["office"]["late_count"]), (3, 3))

    def _filter(self, name):
        """The domain of the task search view's filter ``name``."""
        arch = self.env["hy.task"].get_views([(False, "search")])["views"]["search"]["arch"]
        [node] = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")
        return ast.literal_eval(node.get("domain"))

    def test_the_search_filters_find_whose_turn_it_is(self):
        Task = self.env["hy.task"].with_user(self.officer)
        in_ours = [("id", "in", self.ours.ids)]
        with freeze_time("2026-06-05 03:00:00"):
            found = {
                name: Task.search([*in_ours, *self._filter(name)])
                for name in ("with_office", "office_overdue", "to_confirm", "overdue")
            }
        self.assertEqual(found["with_office"], self.ours - self.late)
        self.assertEqual(found["office_overdue"], self.extension)
        self.assertEqual(found["to_confirm"], self.reported)
        self.assertEqual(found["overdue"], self.late)

    def test_the_task_screens_show_the_status_shown(self):
        Task = self.env["hy.task"].with_user(self.officer)
        kanban = etree.fromstring(Task.get_views([(False, "kanban")])["views"]["kanban"]["arch"])
        self.assertEqual(kanban.get("default_group_by"), "progress_status")
        # The kanban's columns: the result awaiting confirmation has its own.
        groups = Task.read_group(
            [("id", "in", self.ours.ids)], ["progress_status"], ["progress_status"]
        )
        counts = {group["progress_status"]: group["progress_status_count"] for group in groups}
        self.assertEqual(counts["done_unconfirmed"], 1)
        self.assertNotIn("done_on_time", {key for key, count in counts.items() if count})
        form = Task.get_views([(False, "form")])["views"]["form"]["arch"]
        [banner, _late] = etree.fromstring(form).xpath(
            "//div[contains(@class, 'o_hy_office_banner')]"
        )
        self.assertEqual(
            banner.xpath(".//field/@name"), ["office_since", "office_wait", "office_due"]
        )

    def test_the_digest_counts_reported_results_apart_and_the_office_line(self):
        with freeze_time("2026-06-05 03:00:00"):
            values = self.env["hy.digest"]._leadership_values(
                self.user_a, date(2026, 5, 29), date(2026, 6, 4)
            )
        self.assertEqual(values["awaiting_confirmation"], 1)
        self.assertEqual(values["done_on_time"] + values["done_late"], 0)
        self.assertEqual(values["overdue"], 1)
        self.assertEqual(values["office"]["count"], 3)
        self.assertEqual(values["office"]["late_count"], 1)
        body = str(
            self.env["ir.qweb"]._render(
                "hy_task_tracking.mail_digest_leadership", dict(values, base_url="")
            )
        )
        self.assertIn("Reported, awaiting confirmation", body)
        self.assertIn("With the Office now: 3", body)
        self.assertIn("Decide on the extension request", body)
        # A returned task listed in a mail is with the Office, not "0 left" nor late.
        rows = str(
            self.env["ir.qweb"]._render(
                "hy_task_tracking.mail_task_rows",
                {"rows": self.returned, "portal": True, "base_url": ""},
            )
        )
        self.assertIn("with the Office", rows)
        self.assertNotIn("late", rows)


# Waits for what the web client renders, then checks it; any error fails the test.
WEB_CLIENT_CHECK = """
const until = async (selector, text) => {
    for (let i = 0; i < 150; i++) {
        const found = [...document.querySelectorAll(selector)].find(
            (el) => !text || el.textContent.includes(text)
        );
        if (found) {
            return found;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Not shown: ${selector} ${text || ""}`);
};
(async () => {
    const banner = await until(".o_form_view .o_hy_office_banner", "With the Office since");
    if (!banner.textContent.includes("Decide on the returned task")) {
        throw new Error(`The banner does not say what the Office has to do: ${banner.textContent}`);
    }
    if (document.querySelector(".o_hy_status_bg_not_started_overdue")) {
        throw new Error("A task with the Office is shown overdue");
    }
    document.querySelector(".o_breadcrumb .breadcrumb-item a").click();
    await until(".o_kanban_group .o_column_title", "Reported, awaiting confirmation");
    await until(".o_kanban_record .o_hy_office_turn", "Decide on the returned task");
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestWhoseTurnWebClient(TestHyCommon, HttpCase):
    """The web client renders the task form and kanban with whose turn it is."""

    def test_the_task_form_and_kanban_show_whose_turn_it_is(self):
        task = self._task(deadline=hy_today() - timedelta(days=3), state="assigned")
        task.with_user(self.user_a)._return_to_office("Không thuộc chức năng")
        self.browser_js(
            f"/odoo/action-hy_task_tracking.hy_task_action/{task.id}",
            WEB_CLIENT_CHECK,
            login=self.officer.login,
        )
