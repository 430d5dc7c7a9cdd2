import re

from markupsafe import escape

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, tagged

from ..models.report_figures import CHART_SEGMENTS
from .common import TODAY, TestHyReportCommon

# What the publish button of the form sends (views/hy_report_period_views.xml).
BUTTON = {"hy_publish_check_twins": True}


@tagged("post_install", "-at_install")
class TestPublicPagePhone(TestHyReportCommon, HttpCase):
    """The public results page reads on a 390 px screen: a list for the chart, a table that
    scrolls under the unit's name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.published = cls._period(unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)])
            cls.published.action_compute()
            cls.published.action_approve()
            cls.published._render_files()  # the files job, run now
            cls.published.action_publish()

    def test_table_keeps_the_unit_and_short_headers(self):
        page = self.url_open(f"/bao-cao-nhiem-vu/{self.published.id}").text
        start = page.index("o_hy_public_figures")
        table = page[start : page.index("</table>", start)]
        # The unit's name is the sticky first cell of its row, the total's too.
        sticky = re.findall(r'<th scope="row" class="o_hy_sticky_col">([^<]*)</th>', table)
        self.assertEqual(len(sticky), 3, "two units and the total")
        # The long headers are short, their full name in a tooltip (whatever the language).
        tooltips = re.findall(r'<th [^>]*title="([^"]+)"[^>]*>([^<]+)</th>', table)
        self.assertGreaterEqual(len(tooltips), 10)
        for title, shown in tooltips:
            self.assertLess(len(shown.strip()), len(title), title)

    def test_chart_is_a_list_on_a_phone(self):
        page = self.url_open(f"/bao-cao-nhiem-vu/{self.published.id}").text
        start = page.index("o_hy_chart_list")
        listing = page[start : page.index("</ul>", start)]
        item = next(item for item in listing.split("<li")[1:] if self.unit_a.name in item)
        line = self._line(self.published, self.unit_a)
        Period = self.env["hy.report.period"]
        labels = {
            lang: Period.with_context(lang=lang)._category_labels() for lang in ("en_US", "vi_VN")
        }
        bars = re.findall(
            r'data-category="(\w+)">\s*<span class="o_hy_chart_label">([^<]*)</span>.*?'
            r'o_hy_status_bg_\1" style="width: ([\d.]+)%;".*?'
            r'<span class="o_hy_chart_count"[^>]*>(\d+)</span>',
            item,
            re.DOTALL,
        )
        self.assertTrue(bars)
        for key, label, width, count in bars:
            # The status in words, its bar in its colour, its number as text.
            self.assertIn(label, {str(escape(names[key])) for names in labels.values()})
            self.assertTrue(0 < float(width) <= 100)
            self.assertEqual(int(count), line[CHART_SEGMENTS[key]])
        # The wide chart stays for larger screens.
        self.assertIn('class="d-none d-md-block"', page)


@tagged("post_install", "-at_install")
class TestPublishTwin(TestHyReportCommon):
    """A second report of the same kind and period: the manager is asked before it goes out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.first = cls._period(kind="annual", unit_ids=[(6, 0, cls.unit_a.ids)])
            cls.second = cls._period(kind="annual", unit_ids=[(6, 0, cls.unit_b.ids)])
            for period in cls.first | cls.second:
                period.action_compute()
                period.action_approve()
            cls.first._render_files()  # the files job, run now
            cls.first.with_user(cls.manager).with_context(**BUTTON).action_publish()

    def test_publishing_a_twin_asks_first(self):
        self.assertEqual(self.first.state, "published")
        second = self.second.with_user(self.manager).with_context(**BUTTON)
        second._render_files()  # the files job, run now
        action = second.action_publish()
        self.assertEqual(action["res_model"], "hy.report.publish.wizard")
        self.assertEqual(action["target"], "new")
        self.assertEqual(self.second.state, "approved", "nothing is published yet")
        Wizard = self.env["hy.report.publish.wizard"].with_user(self.manager)
        wizard = Wizard.browse(action["res_id"])
        self.assertEqual(wizard.twin_id, self.first)
        self.assertIn(self.first.name, wizard.message)
        self.assertIn("already published", wizard.message)
        # Publish anyway: both reports are on the public page.
        wizard.action_publish_anyway()
        self.assertEqual(self.second.state, "published")
        self.assertEqual(self.first.state, "published")

    def test_a_new_revision_is_no_twin(self):
        with freeze_time(TODAY):
            action = self.first.action_new_revision()
        revision = self.env["hy.report.period"].browse(action["res_id"])
        with freeze_time(TODAY):
            revision.action_compute()
            revision.action_approve()
            revision._render_files()  # the files job, run now
            result = revision.with_user(self.manager).with_context(**BUTTON).action_publish()
        self.assertIs(result, True)
        self.assertEqual(revision.state, "published")
        self.assertEqual(self.first.state, "superseded")

    def test_only_the_office_managers_use_the_question(self):
        for user in (self.user_a, self.officer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["hy.report.publish.wizard"].with_user(user).create(
                    {"period_id": self.second.id, "twin_id": self.first.id}
                )
