"""The access matrix of the security model: roles x access paths x security levels.

Each cell states what a role gets from one path on a task of unit A or unit B of a directive
of one level: ``full`` (content and metadata), ``meta`` (metadata and status only: the
record holds no content), or ``denied`` (AccessError, or absent from results and counts).
Each test ends by counting the cells it checked (roles x levels x units, written out), so that
a loop over fewer roles, levels or units than meant fails.
"""

import logging
from contextlib import contextmanager
from datetime import date

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TestHyCommon

_logger = logging.getLogger(__name__)

LEVELS = ("normal", "confidential", "top_secret")
CLEARANCE = {  # role -> highest level it is cleared for, None for none
    "manager": "secret",
    "officer": "confidential",
    "officer_uncleared": None,
    "leader": "top_secret",
}
ORDER = ("normal", "confidential", "secret", "top_secret")


def expected(role, level, unit):
    """What ``role`` may get from a task of ``unit`` ('a' or 'b') at ``level``."""
    if role in CLEARANCE:
        cleared = CLEARANCE[role] and ORDER.index(level) <= ORDER.index(CLEARANCE[role])
        if level == "normal" or cleared:
            return "full" if level == "normal" else "meta"
        return "denied"
    if role in ("user_a", "portal_a") and unit == "a":
        return "full" if level == "normal" else "meta"
    return "denied"  # unit A's members on unit B's task, and the public visitor


class AccessMatrixCommon(TestHyCommon):
    """A task of unit A and one of unit B for each level, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.env.ref("base.public_user")
        cls.tasks = {}
        for level in LEVELS:
            directive = cls.directive
            if level != "normal":
                directive = cls.env["hy.directive"].create(
                    {
                        "name": "Quyết định",
                        "number": f"8{LEVELS.index(level)}0/QĐ-UBND",
                        "issue_date": date(2026, 1, 5),
                        "signer": "Phan Đức Long",
                        "authority": "province",
                        "security_level": level,
                    }
                )
            for unit_key, unit in (("a", cls.unit_a), ("b", cls.unit_b)):
                task = cls.env["hy.task"].create(
                    {
                        "directive_id": directive.id,
                        "name": False if level != "normal" else f"Nội dung nhiệm vụ {unit_key}",
                        "lead_unit_id": unit.id,
                        "deadline": date(2026, 12, 31),
                    }
                )
                task.action_assign()
                cls.tasks[level, unit_key] = task
        cls.roles = {
            "manager": cls.manager,
            "officer": cls.officer,
            "officer_uncleared": cls.officer_uncleared,
            "leader": cls.leader,
            "user_a": cls.user_a,
            "portal_a": cls.portal_a,
            "public": cls.public,
        }
        cls.cells = 0

    def setUp(self):
        super().setUp()
        self.cells_checked = 0

    def _cells(self, skip=()):
        """Every cell of a path's column but the roles in ``skip``: (role, user, level, unit,
        task, what the role gets from the task)."""
        for role, user in self.roles.items():
            if role in skip:
                continue
            for level in LEVELS:
                for unit in ("a", "b"):
                    task = self.tasks[level, unit]
                    yield role, user, level, unit, task, expected(role, level, unit)

    @contextmanager
    def _cell(self, role, action, level=None, unit=None):
        """One cell of the matrix, its own subTest: every failing cell is reported."""
        type(self).cells += 1
        self.cells_checked += 1
        with self.subTest(role=role, action=action, level=level, unit=unit):
            yield

    def _attempt(self, action, *args, denied=AccessError):
        """How ``action`` ends, rolled back if it fails: what it returns ("full" or "meta" where
        the path tells them apart, else "ok"); "refused" when the model keeps no content on a
        classified record (ValidationError); "denied" by the rights and rules (``denied``,
        AccessError by default). Any other error fails the cell."""
        try:
            with self.env.cr.savepoint():
                return action(*args) or "ok"
        except ValidationError:
            return "refused"
        except denied:
            return "denied"

    def _assert_cells(self, count):
        """This test checked ``count`` cells: none of its loops ran over less than meant."""
        self.assertEqual(self.cells_checked, count, "cells checked")

    def _as(self, user, record):
        self.env.invalidate_all()  # so that record rules really apply to this user
        return record.with_user(user)

    @classmethod
    def tearDownClass(cls):
        _logger.info("Access matrix: %s cells checked", cls.cells)
        super().tearDownClass()


@tagged("post_install", "-at_install", "hy_access_matrix")
class TestAccessMatrix(AccessMatrixCommon):
    def _read(self, user, task, level):
        values = self._as(user, task).read(["reference", "name", "result", "state"])[0]
        if level != "normal":
            self.assertFalse(values["result"])
        return "full" if values["name"] else "meta"

    def _export(self, user, task):
        rows = self._as(user, task).export_data(["reference", "name"])["datas"]
        return "full" if rows[0][1] else "meta"

    def _accept(self, user, task):
        self._as(user, task).action_accept()
        task.sudo().write({"state": "assigned"})  # back for the next role

    def _post(self, user, task):
        self._as(user, task).message_post(body="Báo cáo tiến độ", message_type="comment")

    def _attach(self, user, task):
        self._as(user, self.env["ir.attachment"]).create(
            {"name": "bao-cao.pdf", "raw": b"%PDF-1.4", "res_model": "hy.task", "res_id": task.id}
        )

    def _schedule(self, user, task):
        self._as(user, self.env["mail.activity"]).create(
            {
                "res_model_id": self.env["ir.model"]._get_id("hy.task"),
                "res_id": task.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "note": "<p>Đôn đốc</p>",
                "user_id": user.id,
            }
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_read_by_id(self):
        for role, user, level, unit, task, outcome in self._cells():
            with self._cell(role, "read", level, unit):
                self.assertEqual(self._attempt(self._read, user, task, level), outcome)
        self._assert_cells(7 * 3 * 2)  # roles x levels x units

    def test_search_and_count(self):
        # The public visitor has no access right at all: see test_public_visitor_has_no_access.
        for role, user, level, unit, task, outcome in self._cells(skip=("public",)):
            with self._cell(role, "search", level, unit):
                model = self._as(user, self.env["hy.task"])
                found = model.search([("id", "=", task.id)])
                count = model.search_count([("reference", "=", task.reference)])
                got = "denied" if not found else ("full" if found.name else "meta")
                self.assertEqual(got, outcome)
                self.assertEqual(count, 0 if outcome == "denied" else 1)
        self._assert_cells(6 * 3 * 2)  # roles but the public x levels x units

    def test_read_group_and_pivot_counts(self):
        for role, user, level, unit, task, outcome in self._cells(skip=("public",)):
            with self._cell(role, "read_group", level, unit):
                groups = self._as(user, self.env["hy.task"])._read_group(
                    [("id", "=", task.id)], ["status_category"], ["__count"]
                )
                got = sum(count for _category, count in groups)
                self.assertEqual(got, 0 if outcome == "denied" else 1)
        self._assert_cells(6 * 3 * 2)  # roles but the public x levels x units

    def test_name_search_of_tasks_and_directives(self):
        for role, user, level, unit, task, outcome in self._cells(skip=("public",)):
            with self._cell(role, "name_search", level, unit):
                results = self._as(user, self.env["hy.task"]).name_search(task.reference)
                self.assertEqual(bool(results), outcome != "denied")
                # A task's name shows its content only when the directive is normal.
                for _id, label in results:
                    if level != "normal":
                        self.assertNotIn("Nội dung", label)
            with self._cell(role, "directive name_search", level, unit):
                directive_hits = self._as(user, self.env["hy.directive"]).name_search(
                    task.directive_id.number
                )
                # Every directive here also has a task of unit A: A's members see its metadata.
                sees_directive = (
                    role in ("user_a", "portal_a") or expected(role, level, "a") != "denied"
                )
                self.assertEqual(
                    task.directive_id.id in [i for i, _n in directive_hits], sees_directive
                )
        self._assert_cells(6 * 3 * 2 * 2)  # roles but the public x levels x units x 2 models

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_export(self):
        for role, user, level, unit, task, outcome in self._cells():
            if role in ("user_a", "portal_a"):
                outcome = "denied"  # exporting is for the Office and the leadership
            with self._cell(role, "export", level, unit):
                # Without the export right: a UserError, before any access check.
                got = self._attempt(self._export, user, task, denied=UserError)
                self.assertEqual(got, outcome)
        self._assert_cells(7 * 3 * 2)  # roles x levels x units
        exports = self.env["hy.classified.access.log"].search([("operation", "=", "export")])
        self.assertEqual(
            set(exports.user_id.mapped("login")), {"t_manager", "t_officer", "t_leader"}
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_write_status(self):
        writers = {"manager", "officer", "officer_uncleared", "user_a", "portal_a"}
        for role, user, level, unit, task, outcome in self._cells():
            may_write = outcome != "denied" and role in writers
            with self._cell(role, "write", level, unit):
                got = self._attempt(self._accept, user, task)
                self.assertEqual(got, "ok" if may_write else "denied")
        self._assert_cells(7 * 3 * 2)  # roles x levels x units

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_messages_attachments_and_activities(self):
        """Content on a task: taken where the role gets it in full, refused by the model where
        it gets metadata only, denied elsewhere."""
        paths = {
            # Portal members post and upload through the portal's routes only.
            "message": (self._post, ("public",), "portal_a"),
            # The leadership has no write path to a task: see test_write_status.
            "attachment": (self._attach, ("public", "leader"), "portal_a"),
            # Activities are a backend tool.
            "activity": (self._schedule, ("public", "portal_a"), None),
        }
        written = {"full": "ok", "meta": "refused", "denied": "denied"}
        for path, (action, skip, portal_only) in paths.items():
            for role, user, level, unit, task, outcome in self._cells(skip=skip):
                if role == portal_only and outcome == "full":
                    outcome = "denied"
                with self._cell(role, path, level, unit):
                    self.assertEqual(self._attempt(action, user, task), written[outcome])
        # (roles but those skipped for each path) x levels x units
        self._assert_cells((6 + 5 + 5) * 3 * 2)

    def test_public_visitor_has_no_access(self):
        for model in ("hy.task", "hy.directive", "hy.unit", "hy.classified.access.log"):
            with self._cell("public", f"search {model}"), self.assertRaises(AccessError):
                self.env[model].with_user(self.public).search([])
        self._assert_cells(4)  # models

    def test_classified_records_hold_no_content_whoever_writes(self):
        task = self.tasks["confidential", "a"]
        for vals in ({"name": "Nội dung mật"}, {"result": "Kết quả chi tiết"}):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                task.sudo().write(vals)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            task.directive_id.sudo().write({"summary": "Trích yếu mật"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            task.sudo().message_post(body="Nội dung mật")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["ir.attachment"].sudo().create(
                {
                    "name": "mat.pdf",
                    "raw": b"x",
                    "res_model": "hy.directive",
                    "res_id": task.directive_id.id,
                }
            )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            task.sudo().message_subscribe(partner_ids=self.officer_uncleared.partner_id.ids)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            task.sudo()._portal_ensure_token()
        # The unit still reports: status moves are metadata.
        task.with_user(self.user_a).action_accept()
        task.with_user(self.user_a)._report_done(False, task.date_assigned)
        self.assertEqual(task.status_category, "done_on_time")
        self.assertFalse(task.result)

    def test_removing_clearance_removes_access_at_once(self):
        task = self.tasks["confidential", "b"]
        self.assertTrue(self._as(self.officer, self.env["hy.task"]).search([("id", "=", task.id)]))
        self.officer.groups_id = [
            (3, self.env.ref("hy_task_tracking.group_clearance_confidential").id)
        ]
        self.assertFalse(self._as(self.officer, self.env["hy.task"]).search([("id", "=", task.id)]))
        log = self.env["hy.classified.access.log"].search(
            [("res_model", "=", "res.users"), ("res_id", "=", self.officer.id)]
        )
        self.assertIn("Confidential", log[:1].details)

    def test_access_error_never_names_the_record(self):
        task = self.tasks["top_secret", "b"]
        self.officer.groups_id = [(4, self.env.ref("base.group_no_one").id)]
        with (
            self.assertRaises(AccessError) as error,
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            self._as(self.officer, task).read(["state"])
        self.assertNotIn(task.reference, str(error.exception))
        self.assertNotIn(task.directive_id.number, str(error.exception))

    def test_reclassifying_a_directive_with_content_is_refused(self):
        self.tasks["normal", "a"].message_post(body="Ý kiến chỉ đạo", message_type="comment")
        with self.assertRaises(ValidationError):
            self.directive.write({"security_level": "confidential"})
        empty = self.env["hy.directive"].create(
            {
                "name": "Công văn",
                "number": "977/UBND-TH",
                "issue_date": date(2026, 2, 2),
                "signer": "Phan Đức Long",
                "authority": "province",
            }
        )
        empty.write({"security_level": "secret"})
        self.assertTrue(empty.is_classified)

    def test_access_log_records_reads_and_cannot_be_changed(self):
        task = self.tasks["confidential", "a"]
        self._as(self.user_a, task).read(["state"])
        log = self.env["hy.classified.access.log"].search(
            [
                ("res_model", "=", "hy.task"),
                ("res_id", "=", task.id),
                ("user_id", "=", self.user_a.id),
            ]
        )
        self.assertEqual(log.operation, "read")
        # search_read over RPC is logged too.
        self._as(self.user_a, self.env["hy.task"]).search_read([("id", "=", task.id)], ["state"])
        self.assertEqual(
            self.env["hy.classified.access.log"].search_count(
                [("res_id", "=", task.id), ("user_id", "=", self.user_a.id)]
            ),
            2,
        )
        self.assertNotIn("Nội dung", log.record_label)
        # Not even the superuser through the ORM; managers only read it.
        for who, unlink_error in ((self.env.user, UserError), (self.manager, AccessError)):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                log.with_user(who).write({"details": "sửa"})
            with self.assertRaises(unlink_error), self.env.cr.savepoint():
                log.with_user(who).unlink()
        self.assertTrue(log.with_user(self.manager).read(["operation"]))
        with self.assertRaises(AccessError):
            log.with_user(self.officer).read(["operation"])

    def test_office_groups_do_not_imply_system(self):
        system = self.env.ref("base.group_system")
        for xmlid in ("group_office_manager", "group_office_officer", "group_leadership"):
            group = self.env.ref(f"hy_task_tracking.{xmlid}")
            self.assertNotIn(system, group.trans_implied_ids)


@tagged("post_install", "-at_install", "hy_access_matrix")
class TestAccessMatrixPortalAndDigest(HttpCase, AccessMatrixCommon):
    """The same roles and levels through the portal pages and the digests."""

    def test_portal_task_page_and_list(self):
        for role in ("portal_a", "user_a", "public"):
            user = self.roles[role]
            if role == "public":
                self.authenticate(None, None)
            else:
                user.password = user.login
                self.authenticate(user.login, user.login)
            listing = self.url_open("/my/hy_tasks", allow_redirects=False)
            for level in LEVELS:
                for unit in ("a", "b"):
                    with self._cell(role, "portal page", level, unit):
                        self._check_portal_page(role, level, unit, listing)
        # A missing id answers like a forbidden one.
        self.authenticate(self.portal_a.login, self.portal_a.login)
        with self._cell("portal_a", "portal page of a missing id"):
            missing = self.url_open("/my/hy_tasks/999999", allow_redirects=False)
            self.assertEqual(missing.status_code, 404)
        self._assert_cells(3 * 3 * 2 + 1)  # roles x levels x units, and the missing id

    def _check_portal_page(self, role, level, unit, listing):
        task = self.tasks[level, unit]
        page = self.url_open(f"/my/hy_tasks/{task.id}", allow_redirects=False)
        if role == "public":
            # Anonymous: the login page, for every id, existing or not.
            self.assertEqual(page.status_code, 303)
            self.assertIn("/web/login", page.headers["Location"])
        elif expected(role, level, unit) == "denied":
            self.assertEqual(page.status_code, 404)
            self.assertNotIn(task.reference, listing.text)
        else:
            self.assertEqual(page.status_code, 200)
            self.assertIn(task.reference, listing.text)
            if level != "normal":
                self.assertNotIn(self.directive.summary, page.text)
                self.assertNotIn('id="discussion"', page.text, "no chatter when classified")

    def test_digest_counts_per_clearance(self):
        period = (date(2026, 6, 1), date(2026, 6, 7))
        ours = [("id", "in", [t.id for t in self.tasks.values()]), ("state", "=", "assigned")]
        for role in ("manager", "officer", "officer_uncleared", "leader"):
            with self._cell(role, "digest"):
                user = self.roles[role]
                self.env.invalidate_all()
                values = self.env["hy.digest"]._leadership_values(user, *period)
                visible = self.env["hy.task"].with_user(user).search_count(ours)
                seen = sum(
                    1 for level, unit in self.tasks if expected(role, level, unit) != "denied"
                )
                self.assertEqual(visible, seen)
                body = str(
                    self.env["ir.qweb"]._render(
                        "hy_task_tracking.mail_digest_leadership", dict(values, base_url="")
                    )
                )
                classified = [task for (level, _u), task in self.tasks.items() if level != "normal"]
                self.assertEqual(len(classified), 2 * 2)  # classified levels x units
                for task in classified:
                    self.assertNotIn(task.reference, body, "classified tasks are never listed")
        self._assert_cells(4)  # roles of the Office and the leadership

    def test_chatter_upload_route_refuses_files_on_classified_tasks(self):
        self.authenticate(self.officer.login, self.officer.login)
        for level, pending in (
            ("normal", "false"),
            ("confidential", "false"),
            ("confidential", "true"),
        ):
            with self._cell("officer", f"chatter upload (pending: {pending})", level, "a"):
                task = self.tasks[level, "a"]
                before = self.env["ir.attachment"].sudo().search_count([])  # sudo: count all rows
                response = self.url_open(
                    "/mail/attachment/upload",
                    data={
                        "thread_id": task.id,
                        "thread_model": "hy.task",
                        "is_pending": pending,
                        "csrf_token": http.Request.csrf_token(self),
                    },
                    files={"ufile": ("bien-ban.pdf", b"%PDF-1.4 noi dung", "application/pdf")},
                )
                # sudo: rows the user may not read count too
                created = self.env["ir.attachment"].sudo().search_count([]) - before  # sudo
                if level == "normal":
                    self.assertEqual(created, 1)
                else:
                    # The same answer as for a missing record: a 404 (test_id_probing.py).
                    self.assertEqual(response.status_code, 404)
                    self.assertEqual(created, 0, "nothing stored, not even as a pending file")
        self._assert_cells(3)

    def test_transfer_rotates_the_share_link(self):
        task = self.tasks["normal", "a"]
        token = task._portal_ensure_token()
        task.with_user(self.officer)._transfer_to_unit(self.unit_b, "Theo thẩm quyền")
        self.assertNotEqual(task.access_token, token)
