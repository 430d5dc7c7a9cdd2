"""Issue 22, findings 5, 6, 7, 11, 14 (res_id) and 17, tried as their authors tried them.

Clearance is the only key to classified records for the Office; only Office managers change
unit memberships, and every change is logged; a dialog refuses a task its user cannot read
as one that does not exist; classified records take no text by any path; reads of classified
records are logged; a record id is a whole number or a clean refusal; a unit user reads only
their own notifications.
"""

import base64

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import JsonRpcMixin, TestHyCommon

SECRET_TEXT = "Nội dung mật"


@tagged("post_install", "-at_install")
class TestClassifiedGate(JsonRpcMixin, TestHyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.task_a = cls._task(state="assigned")
        cls.task_b = cls._task(unit=cls.unit_b, state="assigned")
        # A task of the confidential directive, assigned to unit A.
        cls.secret_a = cls._task(directive_id=cls.directive_conf.id, name=False, state="assigned")
        g = "hy_task_tracking.group_"
        cls.manager_uncleared = new_test_user(
            cls.env, "t_manager_nc", groups=f"{g}office_manager", name="Ngô Văn Bình"
        )
        cls.admin_not_office = new_test_user(
            cls.env,
            "t_sysadmin",
            groups="base.group_system,base.group_partner_manager",
            name="Đinh Thị Hoa",
        )
        cls.admin_manager = new_test_user(
            cls.env,
            "t_admin_manager",
            groups=f"base.group_system,base.group_partner_manager,{g}office_manager",
            name="Lý Văn Toàn",
        )
        cls._flush_tracking()

    def _log_rows(self, user, records, operation="read"):
        return self.env["hy.classified.access.log"].search(
            [
                ("user_id", "=", user.id),
                ("operation", "=", operation),
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
        )

    def _missing_task_id(self):
        return (
            self.env["hy.task"]
            .with_context(active_test=False)
            .search([], order="id desc", limit=1)
            .id
            + 1000
        )

    # ------------------------------------------------------------------ finding 5

    @mute_logger("odoo.http")
    def test_finding_5_unit_membership_opens_nothing_to_the_office(self):
        """An Office officer or manager in a unit reads its classified records only with
        clearance; the unit's own users and portal members keep reading them."""
        for user in (self.officer_uncleared, self.manager_uncleared):
            self.unit_a.user_ids = [(4, user.id)]
        self.env["hy.task.extension"].create(
            {"task_id": self.secret_a.id, "new_deadline": "2027-01-15", "reason": False}
        )
        for user in (self.officer_uncleared, self.manager_uncleared):
            self._login(user)
            found = self.assertAnswered(
                self._call("hy.task", "search_read", [("id", "=", self.secret_a.id)], ["id"])
            )
            self.assertEqual(found, [], user.login)
            self.assertRefused(self._call("hy.task", "read", [self.secret_a.id], ["reference"]))
            count = self.assertAnswered(
                self._call("hy.directive", "search_count", [("id", "=", self.directive_conf.id)])
            )
            self.assertEqual(count, 0, user.login)
            count = self.assertAnswered(
                self._call(
                    "hy.task.extension", "search_count", [("task_id", "=", self.secret_a.id)]
                )
            )
            self.assertEqual(count, 0, user.login)
        # The exception stands for those who work the unit's tasks.
        for user in (self.user_a, self.portal_a):
            self._login(user)
            count = self.assertAnswered(
                self._call("hy.task", "search_count", [("id", "=", self.secret_a.id)])
            )
            self.assertEqual(count, 1, user.login)
        # Clearance opens it to an officer of no unit.
        self._login(self.officer)
        count = self.assertAnswered(
            self._call("hy.task", "search_count", [("id", "=", self.secret_a.id)])
        )
        self.assertEqual(count, 1)

    @mute_logger("odoo.http")
    def test_finding_5_only_office_managers_change_memberships(self):
        # An administrator outside the Office manages users, not unit memberships.
        self._login(self.admin_not_office)
        message = self.assertRefused(
            self._call(
                "res.users",
                "write",
                [self.admin_not_office.id],
                {"hy_unit_ids": [(4, self.unit_a.id)]},
            )
        )
        self.assertIn("Office managers", message)
        self.assertRefused(
            self._call(
                "res.users",
                "create",
                {
                    "name": "Mai Văn Phúc",
                    "login": "t_new_1",
                    "hy_unit_ids": [(6, 0, [self.unit_a.id])],
                },
            )
        )
        self.assertNotIn(self.admin_not_office, self.unit_a.user_ids)
        self.assertFalse(self.env["res.users"].search([("login", "=", "t_new_1")]))
        # Creating a user with no unit stays theirs.
        self.assertAnswered(
            self._call("res.users", "create", {"name": "Mai Văn Phúc", "login": "t_new_2"})
        )
        # An Office manager may.
        self._login(self.admin_manager)
        self.assertAnswered(
            self._call(
                "res.users", "write", [self.user_b.id], {"hy_unit_ids": [(4, self.unit_a.id)]}
            )
        )
        self.assertIn(self.user_b, self.unit_a.user_ids)

    def test_finding_5_every_membership_change_is_logged(self):
        Log = self.env["hy.classified.access.log"]

        def rows(record):
            return Log.search(
                [
                    ("operation", "=", "security_change"),
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                ]
            )

        # hy.unit.create with members
        manager = self.admin_manager
        unit = (
            self.env["hy.unit"]
            .with_user(manager)
            .create({"name": "Sở Y tế", "code": "T-SYT", "user_ids": [(4, self.user_b.id)]})
        )
        self.assertEqual(rows(unit).mapped("details"), ["+ t_user_b"])
        self.assertEqual(rows(unit).user_id, manager)
        self.assertIn("+ T-SYT", rows(self.user_b).mapped("details"))
        # res.users.create with units
        user = (
            self.env["res.users"]
            .with_user(manager)
            .create({"name": "Mai Văn Phúc", "login": "t_new_3", "hy_unit_ids": [(4, unit.id)]})
        )
        self.assertIn("+ T-SYT", rows(user).mapped("details"))
        self.assertIn("+ t_new_3", rows(unit).mapped("details"))
        # res.users.write, adding and removing: both sides
        self.user_a.with_user(manager).write({"hy_unit_ids": [(3, self.unit_a.id), (4, unit.id)]})
        self.assertIn("+ T-SYT; - T-SNV", rows(self.user_a).mapped("details"))
        self.assertIn("- t_user_a", rows(self.unit_a).mapped("details"))
        self.assertIn("+ t_user_a", rows(unit).mapped("details"))
        # hy.unit.write: both sides too
        unit.with_user(manager).write({"user_ids": [(3, self.user_b.id)]})
        self.assertIn("- t_user_b", rows(unit).mapped("details"))
        self.assertIn("- T-SYT", rows(self.user_b).mapped("details"))

    # ------------------------------------------------------------------ finding 6

    @mute_logger("odoo.http")
    def test_finding_6_a_dialog_on_a_task_one_cannot_read_looks_like_a_missing_one(self):
        Wizard = "hy.task.workflow.wizard"
        missing = self._missing_task_id()
        for user, hidden in (
            (self.user_b, self.task_a),  # another unit's task
            (self.user_b, self.secret_a),  # another unit's classified task
            (self.officer_uncleared, self.secret_a),  # a classified task above clearance
        ):
            self._login(user)
            answers = [
                self._call(Wizard, "create", {"task_id": task_id, "step": "return"})
                for task_id in (hidden.id, missing)
            ]
            messages = [self.assertRefused(answer) for answer in answers]
            self.assertEqual(messages[0], messages[1], user.login)
            self.assertNotIn(hidden.reference, messages[0])
            # The dialog's first onchange (defaults from the button's context) says the same.
            answers = [
                self._call(
                    Wizard,
                    "onchange",
                    [],
                    {},
                    [],
                    {"task_id": {"fields": {"display_name": {}}}, "current_deadline": {}},
                    context={"default_task_id": task_id, "default_step": "return"},
                )
                for task_id in (hidden.id, missing)
            ]
            self.assertEqual(
                [self.assertRefused(answer) for answer in answers], messages, user.login
            )
            # Moving one's own dialog to that task: the same.
            self._login(user)
            own = self.task_b if user == self.user_b else self.task_a
            wizard_id = self.assertAnswered(
                self._call(Wizard, "create", {"task_id": own.id, "step": "return"})
            )
            self.assertEqual(
                self.assertRefused(
                    self._call(Wizard, "write", [wizard_id], {"task_id": hidden.id})
                ),
                messages[0],
            )
            read = self.assertAnswered(self._call(Wizard, "read", [wizard_id], ["task_id"]))
            self.assertEqual(read[0]["task_id"][0], own.id)
        # The unit's own task opens the dialog.
        self._login(self.user_a)
        wizard_id = self.assertAnswered(
            self._call(Wizard, "create", {"task_id": self.task_a.id, "step": "return"})
        )
        read = self.assertAnswered(self._call(Wizard, "read", [wizard_id], ["task_id"]))
        self.assertEqual(read[0]["task_id"], [self.task_a.id, self.task_a.display_name])

    @mute_logger("odoo.http")
    def test_finding_6_the_mail_composer_names_no_task_one_cannot_read(self):
        Composer = "mail.compose.message"
        if not hasattr(self.env[Composer], "_hy_check_records_readable"):
            self.skipTest("wizard/mail_compose_message.py is not imported yet")
        missing = self._missing_task_id()
        self._login(self.user_b)
        messages = []
        for task_id in (self.task_a.id, missing):
            vals = {"model": "hy.task", "res_ids": str([task_id]), "composition_mode": "comment"}
            messages.append(self.assertRefused(self._call(Composer, "create", vals)))
            spec = {"subject": {}, "record_name": {}}
            context = {"default_model": "hy.task", "default_res_ids": [task_id]}
            messages.append(
                self.assertRefused(
                    self._call(Composer, "onchange", [], {}, [], spec, context=context)
                )
            )
        self.assertEqual(len(set(messages)), 1)
        self.assertNotIn(self.task_a.reference, messages[0])
        # Its own task: the composer opens, named after it.
        vals = {"model": "hy.task", "res_ids": str([self.task_b.id]), "composition_mode": "comment"}
        composer_id = self.assertAnswered(self._call(Composer, "create", vals))
        read = self.assertAnswered(self._call(Composer, "read", [composer_id], ["record_name"]))
        self.assertIn(self.task_b.reference, read[0]["record_name"])

    # ------------------------------------------------------------------ finding 7

    @mute_logger("odoo.http")
    def test_finding_7_no_subject_on_a_classified_record(self):
        self._login(self.officer)
        self.assertRefused(
            self._call("hy.task", "message_post", [self.secret_a.id], body="", subject=SECRET_TEXT),
            "odoo.exceptions.ValidationError",
        )
        self.assertRefused(
            self._call(
                "hy.directive",
                "message_post",
                [self.directive_conf.id],
                body="",
                subject=SECRET_TEXT,
            ),
            "odoo.exceptions.ValidationError",
        )
        # A normal task takes one.
        self.assertAnswered(
            self._call("hy.task", "message_post", [self.task_a.id], body="", subject="Ghi chú")
        )
        self.assertFalse(
            self.env["mail.message"].search([("subject", "=", SECRET_TEXT)]),
        )

    @mute_logger("odoo.http")
    def test_finding_7_no_attribute_only_body_on_a_classified_record(self):
        self._login(self.officer)
        for body in (
            f'<p title="{SECRET_TEXT}"></p>',
            f'<img alt="{SECRET_TEXT}">',
            f'<p data-x="{SECRET_TEXT}"><br></p>',
            f"<!-- {SECRET_TEXT} -->",
        ):
            answer = self._json(
                "/mail/message/post",
                {
                    "thread_model": "hy.task",
                    "thread_id": self.secret_a.id,
                    "post_data": {
                        "body": body,
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_note",
                    },
                },
            )
            self.assertRefused(answer, "odoo.exceptions.ValidationError")
        self.assertFalse(
            self.env["mail.message"].search([("body", "ilike", SECRET_TEXT)]),
        )

    @mute_logger("odoo.http")
    def test_finding_7_the_dialog_keeps_no_text_of_a_classified_task(self):
        Wizard = "hy.task.workflow.wizard"
        self._login(self.officer)
        for vals in (
            {"step": "send_back", "reason": SECRET_TEXT},
            {"step": "report_done", "result": SECRET_TEXT},
            {"step": "for_unit", "unit_step": "return", "reason": SECRET_TEXT},
        ):
            self.assertRefused(
                self._call(Wizard, "create", dict(vals, task_id=self.secret_a.id)),
                "odoo.exceptions.ValidationError",
            )
        # Nor written later, nor carried over from a normal task.
        wizard_id = self.assertAnswered(
            self._call(Wizard, "create", {"task_id": self.secret_a.id, "step": "send_back"})
        )
        self.assertRefused(
            self._call(Wizard, "write", [wizard_id], {"reason": SECRET_TEXT}),
            "odoo.exceptions.ValidationError",
        )
        wizard_id = self.assertAnswered(
            self._call(
                Wizard, "create", {"task_id": self.task_a.id, "step": "send_back", "reason": "Ok"}
            )
        )
        self.assertRefused(
            self._call(Wizard, "write", [wizard_id], {"task_id": self.secret_a.id}),
            "odoo.exceptions.ValidationError",
        )
        self.assertFalse(self.env[Wizard].search([("reason", "=", SECRET_TEXT)]))

    # ------------------------------------------------------------------ finding 14 (res_id)

    @mute_logger("odoo.http")
    def test_finding_14_record_ids_in_other_forms(self):
        """`res_id` as " 25", "+25", "25.0" is the record 25 (and its guard); anything that
        is not a whole number is a clean refusal, never a server error."""
        self._login(self.officer)
        datas = base64.b64encode(b"hello").decode()
        for form in (" {}", "+{}", "{}.0", "{} "):
            secret_id = form.format(self.secret_a.id)
            message = self.assertRefused(
                self._call(
                    "ir.attachment",
                    "create",
                    {"name": "a.txt", "datas": datas, "res_model": "hy.task", "res_id": secret_id},
                ),
                "odoo.exceptions.ValidationError",
            )
            self.assertIn("classified", message)
            self.assertRefused(
                self._call(
                    "mail.message",
                    "create",
                    {
                        "model": "hy.task",
                        "res_id": secret_id,
                        "body": SECRET_TEXT,
                        "message_type": "comment",
                    },
                ),
                "odoo.exceptions.ValidationError",
            )
            # The same forms for a normal task point at that task.
            attachment_id = self.assertAnswered(
                self._call(
                    "ir.attachment",
                    "create",
                    {
                        "name": "a.txt",
                        "datas": datas,
                        "res_model": "hy.task",
                        "res_id": form.format(self.task_a.id),
                    },
                )
            )
            self.assertEqual(self.env["ir.attachment"].browse(attachment_id).res_id, self.task_a.id)
        for wrong in ("25.5", "abc", "", "0x19", "1e400", [25], {"id": 25}, True):
            for model, vals in (
                ("ir.attachment", {"name": "a.txt", "datas": datas, "res_model": "hy.task"}),
                ("mail.message", {"model": "hy.task", "body": "x", "message_type": "comment"}),
            ):
                _result, name, message = self._call(model, "create", dict(vals, res_id=wrong))
                if wrong == "":
                    continue  # no record: Odoo's own checks answer, whatever they say
                self.assertEqual(name, "odoo.exceptions.ValidationError", f"{model} {wrong!r}")
        # Nor a model name in another spelling.
        for model in ("HY.TASK", "hy.task ", "no.such.model"):
            self.assertRefused(
                self._call(
                    "mail.message",
                    "create",
                    {"model": model, "res_id": self.secret_a.id, "body": SECRET_TEXT},
                ),
                "odoo.exceptions.ValidationError",
            )
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", SECRET_TEXT)]))

    # ------------------------------------------------------------------ finding 11

    def test_finding_11_grouped_searched_and_chatter_reads_are_logged(self):
        officer = self.officer
        self._login(officer)

        def logged(details):
            return self._log_rows(officer, self.secret_a).filtered(
                lambda row: row.details == details
            )

        self.assertAnswered(
            self._call(
                "hy.task",
                "web_read_group",
                [("id", "in", [self.secret_a.id, self.task_a.id])],
                ["lead_unit_id"],
                ["lead_unit_id"],
            )
        )
        self.assertEqual(len(logged("read_group")), 1)
        self.assertFalse(
            self._log_rows(officer, self.task_a), "a normal task is not in the access log"
        )
        result = self.assertAnswered(
            self._call("hy.task", "name_search", "", args=[("id", "=", self.secret_a.id)])
        )
        self.assertEqual([row[0] for row in result], [self.secret_a.id])
        self.assertEqual(len(logged("name_search")), 1)
        self.assertAnswered(
            self._json(
                "/mail/thread/messages", {"thread_model": "hy.task", "thread_id": self.secret_a.id}
            )
        )
        self.assertEqual(len(logged("chatter")), 1)
        # The directive is logged as well.
        self.assertAnswered(
            self._call(
                "hy.directive",
                "read_group",
                [("id", "=", self.directive_conf.id)],
                ["security_level"],
                ["security_level"],
            )
        )
        self.assertTrue(self._log_rows(officer, self.directive_conf))

    def test_finding_11_sub_records_are_logged_as_their_task(self):
        Extension = self.env["hy.task.extension"]
        if "hy.classified.mixin" not in Extension._inherit:
            self.skipTest("hy.task.extension does not inherit hy.classified.mixin yet")
        extension = Extension.create(
            {"task_id": self.secret_a.id, "new_deadline": "2027-01-15", "reason": False}
        )
        self._login(self.officer)
        self.assertAnswered(
            self._call("hy.task.extension", "read", [extension.id], ["new_deadline"])
        )
        rows = self._log_rows(self.officer, self.secret_a)
        self.assertEqual(rows.mapped("details"), ["hy.task.extension"])

    # ------------------------------------------------------------------ finding 17

    def test_finding_17_a_unit_user_reads_only_their_own_notifications(self):
        for user in (self.user_a, self.user_b):
            user.notification_type = "inbox"
        to_b = self.task_b.with_user(self.officer).message_post(
            body="Đề nghị báo cáo tiến độ",
            partner_ids=self.user_b.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        to_a = self.task_a.with_user(self.officer).message_post(
            body="Đề nghị báo cáo tiến độ",
            partner_ids=self.user_a.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        by_a = self.task_a.with_user(self.user_a).message_post(
            body="Đã gửi báo cáo",
            partner_ids=self.officer.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env.flush_all()
        Notification = self.env["mail.notification"]
        self.assertTrue(Notification.search([("mail_message_id", "=", to_b.id)]))

        self._login(self.user_a)
        rows = self.assertAnswered(
            self._call(
                "mail.notification", "search_read", [], ["mail_message_id", "res_partner_id"]
            )
        )
        message_ids = {row["mail_message_id"][0] for row in rows}
        self.assertNotIn(to_b.id, message_ids)
        self.assertIn(to_a.id, message_ids)
        self.assertIn(by_a.id, message_ids, "the delivery status of one's own message")
        groups = self.assertAnswered(
            self._call(
                "mail.notification",
                "read_group",
                [],
                ["res_partner_id"],
                ["res_partner_id"],
            )
        )
        partners = {group["res_partner_id"][0] for group in groups}
        self.assertNotIn(self.user_b.partner_id.id, partners)
        # The web client still works for them: the inbox, the failures, the chatter.
        inbox = self.assertAnswered(self._json("/mail/inbox/messages", {}))
        inbox_ids = [m["id"] if isinstance(m, dict) else m for m in inbox["messages"]]
        self.assertIn(to_a.id, inbox_ids)
        self.assertAnswered(self._json("/mail/data", {"failures": True}))
        self.assertAnswered(
            self._json(
                "/mail/thread/messages", {"thread_model": "hy.task", "thread_id": self.task_a.id}
            )
        )
        # The Office reads all, as before.
        self._login(self.officer)
        count = self.assertAnswered(
            self._call(
                "mail.notification",
                "search_count",
                [
                    ("mail_message_id", "=", to_b.id),
                    ("res_partner_id", "=", self.user_b.partner_id.id),
                ],
            )
        )
        self.assertEqual(count, 1)


@tagged("post_install", "-at_install")
class TestClassifiedGateOrm(TestHyCommon):
    """What no RPC finding names, but the same rules say."""

    def test_membership_check_is_on_the_result(self):
        # Copying a user without units (what the portal wizard does with its template)
        # changes no membership: not refused, not logged.
        admin = new_test_user(
            self.env, "t_sysadmin2", groups="base.group_system,base.group_partner_manager"
        )
        copy = self.user_b.with_user(admin).copy({"login": "t_copy", "hy_unit_ids": []})
        self.assertFalse(copy.hy_unit_ids)
        with self.assertRaises(AccessError):
            self.user_b.with_user(admin).copy({"login": "t_copy2"})
