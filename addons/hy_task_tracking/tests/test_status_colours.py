import json
import re

from lxml import etree

from odoo.tests import tagged
from odoo.tools.misc import file_open

from ..models.status_category import PROGRESS_STATUSES
from .common import TestHyCommon

STATUS_KEYS = {key for key, _label in PROGRESS_STATUSES}


@tagged("post_install", "-at_install")
class TestStatusColours(TestHyCommon):
    """One colour per status on the task screens."""

    def _arch(self, view_type, xmlid):
        view = self.env.ref(xmlid)
        views = self.env["hy.task"].with_user(self.officer).get_views([(view.id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_kanban_columns_are_statuses_with_their_colour_bar(self):
        kanban = self._arch("kanban", "hy_task_tracking.hy_task_view_kanban")
        self.assertEqual(kanban.get("default_group_by"), "progress_status")
        # Names the column of drafts and cancelled tasks instead of Odoo's "None".
        self.assertEqual(kanban.get("js_class"), "hy_task_kanban")
        (progressbar,) = kanban.xpath("//progressbar")
        # The bar colours the column by its status, not by the deadline.
        self.assertEqual(progressbar.get("field"), "progress_status")
        colors = json.loads(progressbar.get("colors"))
        self.assertEqual(set(colors), STATUS_KEYS, "every status has a bar colour")
        # Each bar is drawn with the class bg-hy_<status> (Odoo: bg-<colour>), which
        # task_views.scss paints in the status's own colour: the in-progress bar is the blue
        # of its badge, not Odoo's teal "info" shared with the reported results.
        self.assertEqual(colors, {key: f"hy_{key}" for key in STATUS_KEYS})
        with file_open("hy_task_tracking/static/src/scss/task_views.scss") as scss:
            self.assertRegex(
                scss.read(),
                r"@each \$key, \$pair in \$o-hy-status-colors \{\s*"
                r"\.o_column_progress \.bg-hy_#\{\$key\}",
            )

    def test_every_status_has_its_colour_in_the_one_declaration(self):
        # The kanban stripes, list badges, calendar events and legend, graphs, portal and
        # public page all take their classes from this map.
        with file_open("hy_task_tracking/static/src/scss/status_colors.scss") as scss:
            declared = set(re.findall(r'^\s*"(\w+)":\s*\(#', scss.read(), re.MULTILINE))
        self.assertEqual(declared, STATUS_KEYS)

    def test_the_calendar_legend_is_the_status(self):
        calendar = self._arch("calendar", "hy_task_tracking.hy_task_view_calendar")
        self.assertEqual(calendar.get("js_class"), "hy_task_calendar")
        self.assertIn("progress_status", calendar.xpath("//field[@filters='1']/@name"))

    def test_the_graph_is_bars_of_units_by_status(self):
        graph = self._arch("graph", "hy_task_tracking.hy_task_view_graph")
        # js_class lays the bars of units horizontally, without Odoo's total line.
        self.assertEqual(graph.get("js_class"), "hy_task_graph")
        self.assertEqual(
            (graph.get("type"), graph.get("stacked"), graph.get("order")), ("bar", "1", "desc")
        )
        self.assertEqual(
            graph.xpath("./field[not(@invisible)]/@name"), ["lead_unit_id", "progress_status"]
        )
