import base64
import io
import re
from datetime import date

from lxml import etree
from PIL import Image

from odoo.tests import HttpCase, tagged
from odoo.tools import file_open, format_date

from .common import TestHyCommon
from .test_portal import TestPortalCommon

# The status classes of static/src/scss/status_colors.scss, one per category.
STATUS_CLASS = re.compile(r"o_hy_status_bg_(\w+)")
# The Bootstrap colours the portal used for the categories before they had their own.
BOOTSTRAP_COLOURS = re.compile(r"text-bg-(danger|success|warning|primary|secondary)")


def vietnamese(env):
    """Vietnamese active, with this module's terms (model names included) in the database."""
    env["res.lang"]._activate_lang("vi_VN")
    env["ir.module.module"]._load_module_terms(["hy_task_tracking"], ["vi_VN"])


@tagged("post_install", "-at_install")
class TestLooksChatter(TestHyCommon):
    """What a Vietnamese Office officer reads in the chatter of what they create."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vietnamese(cls.env)
        cls.officer.lang = "vi_VN"

    def test_creation_message_names_the_record_in_vietnamese(self):
        env = self.env(user=self.officer, context=dict(self.env.context, lang=self.officer.lang))
        directive = env["hy.directive"].create(
            {
                "name": "Chỉ thị",
                "number": "950/CT-UBND",
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
        for record, name in ((directive, "Văn bản chỉ đạo"), (task, "Nhiệm vụ")):
            with self.subTest(model=record._name):
                # mail.thread logs "<model description> created" in the creator's language.
                body = record.sudo().message_ids[-1].body  # sudo: the test reads what was posted
                self.assertIn(f"{name} được tạo", body)
                self.assertNotIn(record._description, body)


@tagged("post_install", "-at_install")
class TestLooksPortal(TestPortalCommon):
    """The portal of the units: the shared status colours, dates in the reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vietnamese(cls.env)
        # A deadline whose day cannot be read as a month: 25/01 and 01/25 tell the formats apart.
        cls.task_far = cls._task(
            directive_id=cls.directive_p.id,
            name="Tổng kết số hóa hồ sơ",
            deadline=date(cls.today.year + 1, 1, 25),
            state="assigned",
        )

    def test_category_badges_and_chips_carry_the_shared_status_class(self):
        self._login(self.portal_a)
        page = self._get("/my/hy_tasks").text
        badges = re.findall(r'<span class="(badge o_hy_badge [^"]*)" data-category="(\w+)"', page)
        self.assertTrue(badges)
        for classes, category in badges:
            self.assertEqual(STATUS_CLASS.findall(classes), [category])
            self.assertNotRegex(classes, BOOTSTRAP_COLOURS)
        chips = re.findall(r'<a [^>]*class="([^"]*o_hy_chip[^"]*)"[^>]*data-category="(\w+)"', page)
        # Seven statuses: a reported result is apart until the Office confirms it.
        self.assertEqual(len(chips), 7)
        for classes, category in chips:
            self.assertEqual(STATUS_CLASS.findall(classes), [category])
            self.assertNotRegex(classes, BOOTSTRAP_COLOURS)
        # One task page: the same class on its category badge.
        page = self._get(f"/my/hy_tasks/{self.task_overdue.id}").text
        badge = re.search(r'class="(badge fs-6 o_hy_badge [^"]*)" data-category="(\w+)"', page)
        self.assertEqual(badge[2], "not_started_overdue")
        self.assertEqual(STATUS_CLASS.findall(badge[1]), ["not_started_overdue"])

    def test_dates_follow_the_readers_language(self):
        deadline = self.task_far.deadline
        for lang, shown in (("vi_VN", "25/01/"), ("en_US", "01/25/")):
            with self.subTest(lang=lang):
                self.portal_a.lang = lang
                expected = format_date(self.env(context={"lang": lang}), deadline)
                self.assertTrue(expected.startswith(shown))
                self.opener.cookies.clear()  # the language of the last page is in a cookie
                self._login(self.portal_a)
                for url in ("/my/hy_tasks", f"/my/hy_tasks/{self.task_far.id}"):
                    page = self.url_open(url).text
                    self.assertIn(expected, page)
                    other = "01/25/" if shown == "25/01/" else "25/01/"
                    self.assertNotIn(f"{other}{deadline.year}", page)

    def test_portal_chatter_strings_are_translated(self):
        """The portal loads mail's JS translations: its chatter speaks Vietnamese."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["mail"], ["vi_VN"])
        response = self.url_open("/website/translations/any?lang=vi_VN")
        modules = response.json()["modules"]
        self.assertIn("mail", modules)
        terms = {m["id"]: m["string"] for m in modules["mail"]["messages"]}
        self.assertEqual(terms["The conversation is empty."], "Cuộc trò chuyện trống.")


@tagged("post_install", "-at_install")
class TestLooksCompanyLogo(TestHyCommon, HttpCase):
    """The demo company shows its own logo, not Odoo's "Your logo" placeholder."""

    def test_login_page_and_portal_show_the_drawn_logo(self):
        # The logo is demo data: `make test` installs it, a database without it fails here.
        self.assertTrue(
            self.env["ir.module.module"]._get("hy_task_tracking").demo,
            "this test checks the demo data, which is not installed",
        )
        company = self.env.ref("base.main_company")
        self.assertFalse(company.uses_default_logo)
        with file_open("hy_task_tracking/static/src/img/hy_company_logo.png", "rb") as file:
            drawn = Image.open(io.BytesIO(file.read()))
        # The login page shows /web/binary/company_logo, the portal header /logo.png.
        login = self.url_open("/web/login")
        self.assertIn("/web/binary/company_logo", login.text)
        for url in ("/web/binary/company_logo", f"/logo.png?company={company.id}"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.content, base64.b64decode(company.logo_web))
                shown = Image.open(io.BytesIO(response.content))
                # The drawing scaled to Odoo's 180 px wide web logo.
                self.assertEqual(shown.width, 180)
                self.assertEqual(shown.height, round(180 * drawn.height / drawn.width))
        self.authenticate("vanlam_portal", "vanlam_portal")
        self.assertIn(f'src="/logo.png?company={company.id}"', self.url_open("/my").text)


@tagged("post_install", "-at_install")
class TestLooksScreens(TestHyCommon):
    """Nothing cut on the Office's screens: short titles over narrow columns, the full name in
    the tooltip; on a phone, cards where a list would be wider than the screen."""

    def _arch(self, model, xmlid, view_type):
        view = self.env.ref(xmlid)
        views = self.env[model].with_user(self.officer).get_views([(view.id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_directive_task_lines_leave_the_width_to_the_content(self):
        form = self._arch("hy.directive", "hy_task_tracking.hy_directive_view_form", "form")
        [tasks] = form.xpath("//field[@name='task_ids']")
        # Their titles and values wrap (task_views.scss) rather than being cut.
        self.assertIn("o_hy_directive_tasks", tasks.get("class"))
        [task_list] = tasks.xpath("./list")
        shown = task_list.xpath("./field[not(@optional='hide')]")
        # Every column but the content has a fixed width: the content takes the rest.
        self.assertEqual([f.get("name") for f in shown if not f.get("width")], ["name"])
        # "Giao nhiệm vụ" does not fit the last column: an icon, the name in the tooltip.
        [assign] = task_list.xpath("./button[@name='action_assign']")
        self.assertFalse(assign.get("string"))
        self.assertEqual(assign.get("title"), "Assign")
        # A phone shows cards (mode list,kanban), each with the whole content, and opens a
        # form with the fields of a line.
        self.assertEqual(tasks.get("mode"), "list,kanban")
        [cards] = tasks.xpath("./kanban")
        for name in ("name", "lead_unit_id", "deadline", "progress_status"):
            self.assertTrue(cards.xpath(f".//field[@name='{name}']"), name)
        [line_form] = tasks.xpath("./form")
        self.assertEqual(
            {f.get("name") for f in line_form.xpath(".//field")} - {"state"},
            {f.get("name") for f in task_list.xpath("./field")}
            & {
                "name",
                "kind",
                "lead_unit_id",
                "support_unit_ids",
                "followup_unit_id",
                "deadline_rule",
                "deadline_days",
                "deadline_from",
                "deadline",
            },
        )

    def test_extension_list_tells_its_two_deadlines_apart(self):
        extensions = self._arch(
            "hy.task.extension", "hy_task_tracking.hy_task_extension_view_list", "list"
        )
        titles = {
            name: extensions.xpath(f"./field[@name='{name}']/@string")
            for name in ("previous_deadline", "new_deadline")
        }
        # Both field names begin with "Thời hạn…": "From" and "To" (Thời hạn cũ / mới).
        self.assertEqual(titles, {"previous_deadline": ["From"], "new_deadline": ["To"]})
        for field in extensions.xpath("./field[not(@optional='hide')]"):
            if field.get("name") not in ("task_id", "reason"):
                self.assertTrue(field.get("width"), field.get("name"))
        # On a phone Odoo opens the first view that fits it: the cards, which decide too.
        action = self.env.ref("hy_task_tracking.hy_task_extension_action")
        self.assertEqual(action.view_mode, "list,kanban,form")
        cards = self._arch(
            "hy.task.extension", "hy_task_tracking.hy_task_extension_view_kanban", "kanban"
        )
        self.assertEqual(set(cards.xpath("//button/@name")), {"action_approve", "action_refuse"})

    def test_task_list_numbers_have_short_titles(self):
        tasks = self._arch("hy.task", "hy_task_tracking.hy_task_view_list", "list")
        [late] = tasks.xpath("./field[@name='working_days_overdue']")
        # "Số ngày làm việc quá hạn" was cut to "Số ngày làm v…"; the tooltip keeps it whole.
        self.assertEqual((late.get("string"), late.get("width")), ("Overdue", "90px"))
        field = self.env["hy.task"]._fields["working_days_overdue"]
        self.assertEqual(field.string, "Working Days Late")
