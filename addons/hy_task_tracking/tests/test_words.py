"""The words a Vietnamese clerk reads: document types as Decree 30/2020 names them, the task
list's empty search, the chatter's creation line and the login page."""

from datetime import date

from odoo.tests import HttpCase, tagged

from ..models.hy_directive import DOCUMENT_TYPE_NAMES
from .common import TestHyCommon


def vietnamese(env):
    """Vietnamese active, with this module's terms in the database as shipped."""
    env["res.lang"]._activate_lang("vi_VN")
    env["ir.module.module"]._load_module_terms(["hy_task_tracking"], ["vi_VN"], overwrite=True)


@tagged("post_install", "-at_install")
class TestWords(TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vietnamese(cls.env)
        cls.officer.lang = "vi_VN"

    def test_document_types_read_as_the_decree_names_them(self):
        """The type list of the directive form, in Vietnamese: each type by its own name."""
        Directive = self.env["hy.directive"].with_context(lang="vi_VN")
        labels = dict(Directive.fields_get(["document_type"])["document_type"]["selection"])
        # "Văn bản" alone is what a document of no listed type is called; the list says "other".
        expected = dict(DOCUMENT_TYPE_NAMES, other="Văn bản khác")
        self.assertEqual(labels, expected)
        default = Directive.default_get(["document_type"])["document_type"]
        self.assertEqual(labels[default], "Quyết định")
        self.assertEqual(len(set(labels.values())), len(labels), "two types read alike")

    def test_task_creation_reads_naturally(self):
        env = self.env(user=self.officer, context=dict(self.env.context, lang="vi_VN"))
        directive = env["hy.directive"].create(
            {
                "name": "Chỉ thị",
                "number": "951/CT-UBND",
                "issue_date": date(2026, 3, 2),
                "signer": "Trần Quốc Văn",
                "authority": "province",
                "followup_unit_id": self.division.id,
            }
        )
        task = env["hy.task"].create(
            {
                "directive_id": directive.id,
                "name": "Rà soát thủ tục hành chính",
                "lead_unit_id": self.unit_a.id,
                "followup_unit_id": self.division.id,
            }
        )
        body = task.sudo().message_ids[-1].body  # sudo: the test reads what was posted
        self.assertIn("Nhiệm vụ được tạo", body)
        self.assertNotIn("được giao được tạo", body)

    def test_empty_task_search_says_how_to_widen(self):
        """The task list opens on open tasks: an empty search says that filter hides the rest."""
        action = self.env.ref("hy_task_tracking.hy_task_action").with_context(lang="vi_VN")
        self.assertIn("search_default_open", action.context)
        self.assertIn("Không có nhiệm vụ nào phù hợp", action.help)
        self.assertIn("Bỏ các bộ lọc", action.help)


@tagged("post_install", "-at_install")
class TestWordsLogin(HttpCase):
    def test_login_asks_for_the_user_name_and_offers_no_sign_up(self):
        vietnamese(self.env)
        page = self.url_open("/web/login", headers={"Accept-Language": "vi-VN,vi;q=0.9"}).text
        self.assertIn("Tên đăng nhập", page)
        self.assertNotIn('placeholder="Email"', page)
        # Accounts are made by the Office: no sign-up link on the login page.
        self.assertNotIn("/web/signup", page)
        scope = self.env["ir.config_parameter"].get_param("auth_signup.invitation_scope")
        self.assertEqual(scope, "b2b")
        # The browser tab names the Office, not "Odoo".
        company = self.env.company.name
        self.assertIn(f"<title>{company}</title>", page.replace("&amp;", "&"))
