import io
from datetime import date

import lxml.html
import openpyxl

from odoo.tests import freeze_time, tagged

from .common import TestHyReportCommon, at

REPORT = "hy_task_reports.report_hy_report_period"
TODAY = "2026-08-15 03:00:00"  # 10:00 in Hà Nội, after the first half of 2026
# Hà Nội is UTC+7: 16:59 UTC is 23:59 there, 17:00 UTC is midnight, the next day.
LAST_MINUTE = "16:59:00"
MIDNIGHT = "17:00:00"


@tagged("post_install", "-at_install")
class TestReportUrges(TestHyReportCommon):
    """ "Urged N times": each urge of the task ledger counts, in the period of its Hà Nội date,
    for the unit that led the task when it was urged; an approved report keeps its count."""

    @classmethod
    def setUpClass(cls):
        # The shared history of the other report tests is not needed here: only its users,
        # units, directives and helpers, and a few tasks of its own.
        super(TestHyReportCommon, cls).setUpClass()
        cls._use_test_certificate()
        Unit = cls.env["hy.unit"]
        cls.division = Unit.create(
            {"name": "Phòng Tổng hợp", "code": "U-PTH", "unit_type": "office_division"}
        )
        cls.unit_a = Unit.create({"name": "Sở Xây dựng (thử)", "code": "U-SXD"})
        cls.unit_b = Unit.create({"name": "Sở Công Thương (thử)", "code": "U-SCT"})
        g = "hy_task_tracking.group_"
        cls.officer = cls._user("u_officer", groups=f"{g}office_officer", name="Trần Thị Lan")
        cls.manager = cls._user("u_manager", groups=f"{g}office_manager", name="Nguyễn Văn Hùng")
        cls.user_a = cls._user("u_user_a", groups=f"{g}unit_user", name="Phạm Thu Hà")
        cls.unit_a.user_ids = cls.user_a
        Directive = cls.env["hy.directive"]
        cls.directive = Directive.create(
            {
                "name": "Chỉ thị",
                "number": "U-01/CT-UBND",
                "issue_date": date(2025, 9, 1),
                "signer": "Trần Quốc Văn",
                "authority": "province_chairman",
                "summary": "Về việc đẩy nhanh tiến độ đầu tư công",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.directive_conf = Directive.create(
            {
                "name": "Quyết định",
                "number": "U-03/QĐ-UBND",
                "issue_date": date(2025, 9, 1),
                "signer": "Trần Quốc Văn",
                "authority": "province",
                "security_level": "confidential",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.history = {}
        T, d = cls._task, date
        # Overdue since before the period; urged on either side of both of its boundaries.
        cls.late = T("in_progress", d(2025, 11, 1), d(2025, 12, 15))
        for day, clock in (
            (d(2025, 12, 31), LAST_MINUTE),  # 31/12/2025 23:59 in Hà Nội: the period before
            (d(2025, 12, 31), MIDNIGHT),  # 01/01/2026 00:00: the first minute of the period
            (d(2026, 6, 30), LAST_MINUTE),  # 30/06/2026 23:59: its last minute
            (d(2026, 6, 30), MIDNIGHT),  # 01/07/2026 00:00: the period after
        ):
            cls._urge(cls.late, "phone", at(day, clock))
        # Urged by A's dispatch, then transferred to B, then urged again, at B.
        cls.moved = T("assigned", d(2026, 2, 1), d(2026, 3, 31))
        cls._urge(cls.moved, "dispatch", at(d(2026, 4, 10)))
        cls._at(
            cls.moved,
            at(d(2026, 5, 4)),
            lambda task: task._transfer_to_unit(cls.unit_b, "Đúng chức năng của Sở"),
        )
        cls._urge(cls.moved, "meeting", at(d(2026, 6, 1)))
        # A task of a classified directive: its urges count, as a number.
        cls.secret = T("in_progress", d(2026, 2, 1), d(2026, 3, 31), directive=cls.directive_conf)
        cls._urge(cls.secret, "phone", at(d(2026, 5, 5)))
        # Urged, then cancelled within the period: not counted, its urge still is.
        cls.dropped = T("assigned", d(2026, 2, 1), d(2026, 3, 31))
        cls._urge(cls.dropped, "phone", at(d(2026, 4, 20)))
        cls._at(cls.dropped, at(d(2026, 5, 10)), lambda task: task.action_cancel())
        # Never urged.
        cls.quiet = T("in_progress", d(2026, 2, 1), d(2026, 9, 30))
        cls.env.flush_all()
        with freeze_time(TODAY):
            cls.period = cls._period(unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)])
            cls.period.action_compute()

    @classmethod
    def _urge(cls, task, channel, instant):
        with freeze_time(instant):
            task._hy_record_urge(channel)
            task.flush_recordset()

    def _entry(self, period, task, unit):
        return self.env["hy.report.entry"].search(
            [("period_id", "=", period.id), ("task_id", "=", task.id), ("unit_id", "=", unit.id)]
        )

    def test_urges_count_within_the_period_for_the_unit_urged(self):
        line_a = self._line(self.period, self.unit_a)
        line_b = self._line(self.period, self.unit_b)
        # A: two of the four calls on the late task (the first and last minutes of the
        # period, Hà Nội time), the dispatch before the transfer, the classified task's call,
        # the cancelled task's call.
        self.assertEqual((line_a.urge_count, line_a.urged_task_count), (5, 4))
        # B: the meeting after the transfer only.
        self.assertEqual((line_b.urge_count, line_b.urged_task_count), (1, 1))
        self.assertTrue(self.period.urges_counted)
        self.assertEqual((self.period.urge_count, self.period.urged_task_count), (6, 5))
        late = self._entry(self.period, self.late, self.unit_a)
        self.assertEqual((late.urge_count, late.last_urge_date), (2, date(2026, 6, 30)))
        # The urge before the transfer stays with A, on the task A transferred out.
        moved_a = self._entry(self.period, self.moved, self.unit_a)
        self.assertTrue(moved_a.is_transferred_out)
        self.assertEqual((moved_a.urge_count, moved_a.last_urge_date), (1, date(2026, 4, 10)))
        moved_b = self._entry(self.period, self.moved, self.unit_b)
        self.assertEqual((moved_b.urge_count, moved_b.last_urge_date), (1, date(2026, 6, 1)))
        # The cancelled task keeps its urge in an entry of its own, counted in no other figure.
        dropped = self._entry(self.period, self.dropped, self.unit_a)
        self.assertEqual((dropped.counted, dropped.urge_count), (False, 1))
        self.assertEqual(line_a.assigned_count, 3)  # late, secret, quiet
        self.assertEqual(line_a.transferred_out_count, 1)
        # Drill-down: the tasks urged.
        self.assertEqual(
            self._tasks_of(line_a, "urge_count"),
            self.late | self.moved | self.secret | self.dropped,
        )
        # The province's total adds up the lines: a task urged at A, then at B, is one of
        # the tasks urged by each; the drill-down lists it once.
        self.assertEqual(len(self._tasks_of(self.period, "urged_task_count")), 4)

    def test_the_next_period_counts_the_urge_after_midnight(self):
        with freeze_time(TODAY):
            second_half = self._period(
                kind="ad_hoc",
                date_from=date(2026, 7, 1),
                date_to=date(2026, 8, 15),
                unit_ids=[(6, 0, self.unit_a.ids)],
            )
            second_half.action_compute()
        line = self._line(second_half, self.unit_a)
        self.assertEqual((line.urge_count, line.urged_task_count), (1, 1))
        entry = self._entry(second_half, self.late, self.unit_a)
        self.assertEqual(entry.last_urge_date, date(2026, 7, 1))

    def test_approved_figures_do_not_move_after_a_later_urge(self):
        # The whole year, computed and approved in August: an urge in September is within
        # its dates, but after its figures were frozen.
        with freeze_time(TODAY):
            year = self._period(kind="annual", unit_ids=[(6, 0, self.unit_a.ids)])
            year.action_compute()
            year.with_user(self.manager).action_approve()
        line = self._line(year, self.unit_a)
        frozen = (line.urge_count, line.urged_task_count, year.urge_count)
        # The call of 1 July is in this year.
        self.assertEqual(frozen, (6, 4, 6))
        self._urge(self.quiet, "phone", at(date(2026, 9, 1)))
        self._urge(self.late, "phone", at(date(2026, 9, 1)))
        self.env.invalidate_all()
        self.assertEqual((line.urge_count, line.urged_task_count, year.urge_count), frozen)
        self.assertEqual(self._entry(year, self.quiet, self.unit_a).urge_count, 0)
        # A new revision counts them.
        with freeze_time("2026-09-02 03:00:00"):
            year.with_user(self.officer).action_new_revision()
        revision = year.search([("previous_revision_id", "=", year.id)])
        new_line = self._line(revision, self.unit_a)
        self.assertEqual((new_line.urge_count, new_line.urged_task_count), (8, 5))

    def test_unit_member_reads_its_own_totals(self):
        self.period.with_user(self.manager).action_approve()
        period = self.period.with_user(self.user_a)
        self.assertEqual((period.my_urge_count, period.my_urged_task_count), (5, 4))

    def test_xlsx_holds_the_urges(self):
        self.period.with_user(self.manager).action_approve()
        period = self.period.with_context(lang=self.period._report_lang())
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(self.period)
        book = openpyxl.load_workbook(io.BytesIO(content))
        figures, tasks = book.worksheets
        fields = self.env["hy.report.line"].with_context(lang=period.env.lang)._fields
        label = fields["urge_count"].get_description(period.env)["string"]
        header = {cell.value: cell.column for cell in figures[6] if cell.value}
        self.assertIn(label, header)
        by_unit = {figures.cell(row, 2).value: row for row in range(7, 9)}
        self.assertEqual(figures.cell(by_unit[self.unit_a.name], header[label]).value, 5)
        self.assertEqual(figures.cell(by_unit[self.unit_b.name], header[label]).value, 1)
        total = figures.cell(9, header[label]).value
        self.assertTrue(str(total).startswith("=SUM("), total)
        # The tasks: the urges within the period and the last one, per task of a normal
        # directive (the classified one is not listed).
        titles = [cell.value for cell in tasks[1]]
        urged = titles.index(period.env._("Urged in the Period"))
        last = titles.index(period.env._("Last Urged"))
        rows = {
            (row[0], row[1]): row for row in tasks.iter_rows(min_row=2, values_only=True) if row[1]
        }
        late = rows[(self.unit_a.name, self.late.reference)]
        self.assertEqual((late[urged], late[last].date()), (2, date(2026, 6, 30)))
        self.assertEqual(rows[(self.unit_a.name, self.moved.reference)][urged], 1)
        self.assertEqual(rows[(self.unit_b.name, self.moved.reference)][urged], 1)
        self.assertEqual(rows[(self.unit_a.name, self.quiet.reference)][urged], 0)
        self.assertNotIn(self.secret.reference, {reference for _unit, reference in rows})

    def _unit_table(self, period):
        """The header of the table of results by unit of the PDF (its HTML), and its rows by
        unit name: the texts of their cells."""
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, period.ids)[0]
        table = lxml.html.fromstring(html).find_class("o_hy_table")[0]
        header = [th.text_content().strip() for th in table.find("thead").find("tr")]
        rows = {}
        for tr in table.find("tbody"):
            cells = [td.text_content().strip() for td in tr]
            rows[cells[1]] = cells
        return header, rows

    def _term(self, source):
        """``source``, a term of the report's template, in the report's language."""
        lang = self.period._report_lang()
        view = self.env.ref("hy_task_reports.report_hy_report_period_document")
        translations, _context = view.get_field_translations("arch_db", [lang])
        return next(
            (t["value"] for t in translations if t["source"] == source and t["value"]), source
        )

    def test_pdf_has_the_urged_column(self):
        header, rows = self._unit_table(self.period)
        self.assertEqual(header[-1], self._term("Urged"))
        self.assertEqual(rows[self.unit_a.name][-1], "5")
        self.assertEqual(rows[self.unit_b.name][-1], "1")
        # The total of the lines printed: the Office's, every line.
        total = next(
            cells
            for name, cells in rows.items()
            if name not in (self.unit_a.name, self.unit_b.name)
        )
        self.assertEqual(total[-1], "6")
        # The widths of the columns still fill the page, one per column.
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.period.ids)[0]
        table = lxml.html.fromstring(html).find_class("o_hy_table")[0]
        widths = [float(col.get("style").split(":")[1].strip(" %;")) for col in table.iter("col")]
        self.assertEqual(len(widths), len(rows[self.unit_a.name]))
        self.assertEqual(sum(widths), 100)

    def test_public_figures_leave_classified_urges_out(self):
        self.period.with_user(self.manager).action_approve()
        self.period._render_files()  # the files job, run now
        self.period.with_user(self.manager).action_publish()
        [data] = self.env["hy.report.period"]._public_data(self.period.id)
        lines = {line["unit_code"]: line for line in data["lines"]}
        # A's urges of normal tasks only; the classified task's call is in the total.
        self.assertEqual(lines["U-SXD"]["urge_count"], 4)
        self.assertEqual(lines["U-SCT"]["urge_count"], 1)
        self.assertEqual(data["totals"]["urge_count"], 6)
        self.assertNotIn("urged_task_count", lines["U-SXD"])
        self.assertNotIn("last_urge_date", str(data))

    def test_reports_computed_before_urges_were_counted_print_a_dash(self):
        self.period.with_user(self.manager).action_approve()
        # As the upgrade to 18.0.1.6.0 leaves a report approved before it.
        self.env.cr.execute(
            "UPDATE hy_report_period SET urges_counted = NULL, urge_count = NULL,"
            " urged_task_count = NULL WHERE id = %s",
            [self.period.id],
        )
        self.env.cr.execute(
            "UPDATE hy_report_line SET urge_count = NULL, urged_task_count = NULL"
            " WHERE period_id = %s",
            [self.period.id],
        )
        self.env.invalidate_all()
        self.assertFalse(self.period.urges_counted)
        _header, rows = self._unit_table(self.period)
        self.assertEqual(rows[self.unit_a.name][-1], "–")
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(self.period)
        figures = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        header = [cell.value for cell in figures[6]]
        label = (
            self.env["hy.report.line"]
            ._fields["urge_count"]
            .get_description(
                self.env(context=dict(self.env.context, lang=self.period._report_lang()))
            )["string"]
        )
        column = header.index(label) + 1
        self.assertIsNone(figures.cell(7, column).value)
        self.assertEqual(
            self.period._public_figures(self._line(self.period, self.unit_a), ["urge_count"]),
            {"urge_count": None},
        )
