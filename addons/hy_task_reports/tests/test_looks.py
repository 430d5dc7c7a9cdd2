import json
import re

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import format_date, formatLang

from ..models.report_figures import CHART_SEGMENTS
from ..tools.chart import stacked_bars
from .common import TODAY, TestHyReportCommon

# The keys of hy_task_tracking/static/src/scss/status_colors.scss that the chart uses.
CHART_KEYS = (
    "done_on_time",
    "done_late",
    "done_unconfirmed",
    "in_progress_on_time",
    "in_progress_overdue",
    "not_started_on_time",
    "not_started_overdue",
)


def vietnamese(env):
    env["res.lang"]._activate_lang("vi_VN")
    env["ir.module.module"]._load_module_terms(["hy_task_tracking", "hy_task_reports"], ["vi_VN"])


@tagged("post_install", "-at_install")
class TestLooksPublicPage(TestHyReportCommon, HttpCase):
    """The public results page as a citizen sees it: numbers, dates and colours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vietnamese(cls.env)
        with freeze_time(TODAY):
            cls.published = cls._period(unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)])
            cls.published.action_compute()
            cls.published.action_approve()
            cls.published._render_files()  # the files job, run now
            cls.published.action_publish()

    def _page(self, url, lang=None):
        self.opener.cookies.clear()
        if lang:
            self.opener.cookies.set("frontend_lang", lang)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_numbers_and_dates_follow_the_visitors_language(self):
        period = self.published
        # What the page shows: the published figures (normal directives only), not the lines.
        public = self.env["hy.report.period"]._public_data(period.id)[0]
        rates = [public["totals"]["on_time_rate"]]
        rates += [line["score"] for line in public["lines"] if line["rank"]]
        # A rate with nothing to count is None, shown "–" (tests/test_whose_turn.py).
        rates += [
            line["on_time_rate"] for line in public["lines"] if line["on_time_rate"] is not None
        ]
        self.assertTrue(len(rates) > 1)
        for lang, point in (("vi_VN", ","), ("en_US", ".")):
            with self.subTest(lang=lang):
                env = self.env(context={"lang": lang})
                detail = self._page(f"/bao-cao-nhiem-vu/{period.id}", lang=lang)
                listing = self._page("/bao-cao-nhiem-vu", lang=lang)
                for rate in rates:
                    shown = formatLang(env, rate, digits=2)
                    self.assertIn(point, shown)
                    self.assertIn(f">{shown}<", detail.replace("\n", "").replace(" ", ""))
                    if point == ",":  # 50,00 and never 50.00
                        self.assertNotIn(f"{rate:.2f}", detail)
                shown = formatLang(env, public["totals"]["on_time_rate"], digits=2)
                self.assertIn(f">{shown}<", listing.replace("\n", "").replace(" ", ""))
                for day in (period.date_from, period.date_to):
                    self.assertIn(format_date(env, day), detail)
                    self.assertIn(format_date(env, day), listing)
        # 30/06/2026 in Vietnamese, 06/30/2026 in English
        self.assertIn("30/06/2026", self._page(f"/bao-cao-nhiem-vu/{period.id}"))
        self.assertIn("06/30/2026", self._page(f"/bao-cao-nhiem-vu/{period.id}", "en_US"))

    def test_chart_uses_the_shared_status_classes(self):
        period = self.published
        public = self.env["hy.report.period"]._public_data(period.id)[0]
        labels = self.env["hy.report.period"]._category_labels()
        chart = stacked_bars(public["lines"], CHART_SEGMENTS, labels)
        self.assertNotIn("#", json.dumps(chart), "no literal colour is left in Python")
        page = self._page(f"/bao-cao-nhiem-vu/{period.id}")
        svg = page[page.index("<svg") : page.index("</svg>")]
        segments = re.findall(r'<rect [^>]*class="o_hy_status_fill_(\w+)"', svg)
        self.assertTrue(segments)
        self.assertLessEqual(set(segments), set(CHART_KEYS))
        self.assertNotIn("fill=", svg.replace("o_hy_status_fill_", ""))
        legend = re.findall(r'class="d-inline-block align-middle me-1 o_hy_status_bg_(\w+)"', page)
        self.assertEqual(tuple(legend), tuple(CHART_SEGMENTS))
        self.assertEqual(set(legend), set(CHART_KEYS))
        self.assertNotIn("background: #", page)


@tagged("post_install", "-at_install")
class TestLooksNames(TestHyReportCommon, HttpCase):
    """One name per page: the menu, the window title, the breadcrumbs and the page titles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vietnamese(cls.env)
        cls.officer.lang = "vi_VN"

    def test_menu_and_page_titles_say_the_same(self):
        menu = self.env.ref("hy_task_reports.hy_report_period_menu")
        for lang in ("en_US", "vi_VN"):
            with self.subTest(lang=lang):
                menu_lang = menu.with_context(lang=lang)
                self.assertEqual(menu_lang.name, menu_lang.action.name)
                # The public pages use the same name in their title and breadcrumb.
                self.opener.cookies.clear()
                self.opener.cookies.set("frontend_lang", lang)
                listing = self.url_open("/bao-cao-nhiem-vu").text
                self.assertIn(f'<h1 class="h3">{menu_lang.name}</h1>', listing)

    def test_units_portal_page_is_named_like_its_card_and_breadcrumb(self):
        self.authenticate("r_portal_a", "r_portal_a")
        page = self.url_open("/my/hy_reports").text
        self.assertIn('<li class="breadcrumb-item active">Our Unit\'s Reports</li>', page)
        self.assertNotIn("Periodic", page)
        home = self.url_open("/my").text
        self.assertIn("Our Unit's Reports", home)

    def test_period_creation_message_is_all_vietnamese(self):
        env = self.env(user=self.officer, context=dict(self.env.context, lang=self.officer.lang))
        period = env["hy.report.period"].create({"kind": "six_month", "year": 2026})
        body = period.sudo().message_ids[-1].body  # sudo: the test reads the chatter as is
        self.assertIn("Kỳ báo cáo nhiệm vụ được tạo", body)
        self.assertNotIn("Task Report Period", body)
