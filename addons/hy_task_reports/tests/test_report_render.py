import io
import json
import re
from datetime import date

from odoo.tests import HttpCase, freeze_time, tagged, users
from odoo.tools.pdf import PdfFileReader

from .common import TODAY, TestHyReportCommon

REPORT = "hy_task_reports.report_hy_report_period"
PAGE_NUMBER = re.compile(r"Trang (\d+)/(\d+)")


def page_texts(pdf):
    """The text of each page of ``pdf``, lines apart."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [reader.getPage(number).extract_text() for number in range(reader.getNumPages())]


def words(text):
    """``text`` with one space between its words, lines and table cells included."""
    return " ".join(text.split())


class ReportCase(TestHyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The PDF is in Vietnamese whenever Vietnamese is installed.
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["hy_task_reports"], ["vi_VN"])
        with freeze_time(TODAY):
            cls.period = cls._period(
                unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)],
                document_number="125/BC-VPUBND",
                document_date=date(2026, 2, 5),
                signer_name="Nguyễn Văn Hùng",
                evaluation="Các sở, ngành đã tích cực triển khai nhiệm vụ được giao.",
            )
            cls.period.action_compute()
            cls.period.action_approve()


@tagged("post_install", "-at_install")
class TestReportHtml(ReportCase):
    """The content of the PDF, through its HTML (a forced PDF render cannot run here)."""

    def test_vietnamese_administrative_document(self):
        html, kind = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.period.ids)
        self.assertEqual(kind, "html")
        html = html.decode()
        for text in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH HƯNG YÊN",
            "VĂN PHÒNG",
            "Số:",
            "125/BC-VPUBND",
            # Decree 30/2020: a zero before days under 10 and months under 3
            "Hưng Yên</span>, ngày 05 tháng 02 năm 2026",
            "BÁO CÁO",
            "Nơi nhận:",
            "KT. CHÁNH VĂN PHÒNG",
            "Nguyễn Văn Hùng",
            self.unit_a.name,
            self.unit_b.name,
            "Các sở, ngành đã tích cực triển khai nhiệm vụ được giao.",
        ):
            self.assertIn(text, html)
        # Classified directives appear only as counts.
        self.assertNotIn(self.directive_conf.number, html)
        self.assertNotIn("Rà soát thủ tục hành chính", html)
        self.assertNotIn("DỰ THẢO", html)

    def test_printing_classified_counts_is_logged(self):
        Log = self.env["hy.classified.access.log"]
        before = Log.search_count([("operation", "=", "print")])
        self.env["ir.actions.report"].with_user(self.officer)._render_qweb_html(
            REPORT, self.period.ids
        )
        logs = Log.search([("operation", "=", "print")], order="id desc")
        self.assertEqual(len(logs) - before, 1)
        self.assertEqual(
            (logs[0].res_model, logs[0].res_id, logs[0].user_id),
            ("hy.directive", self.directive_conf.id, self.officer),
        )

    def _total_row(self, html):
        """The figures of the total row of table II."""
        row = re.search(r'<tr class="o_hy_total">(.*?)</tr>', html, re.DOTALL).group(1)
        return re.findall(r'<td class="o_hy_n">([^<]*)</td>', row)

    @users("r_user_a")
    def test_unit_user_prints_only_their_unit(self):
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.period.ids)[0].decode()
        self.assertIn(self.unit_a.name, html)
        self.assertNotIn(self.unit_b.name, html)
        # Its totals are those of its own line, never the province's; the evaluation of an
        # approved report is theirs to read.
        line_a = self._line(self.period, self.unit_a)
        province = self.period.sudo()  # sudo: the province's totals, as the Office reads them
        self.assertNotEqual(province.assigned_count, line_a.assigned_count)
        self.assertEqual(self._total_row(html)[0], str(line_a.assigned_count))
        self.assertIn(f": {line_a.assigned_count},", html)  # first sentence of part I
        self.assertNotIn(f": {province.assigned_count},", html)
        self.assertIn("Các sở, ngành đã tích cực triển khai nhiệm vụ được giao.", html)

    @users("r_officer", "r_leader")
    def test_office_and_leadership_print_the_provinces_totals(self):
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.period.ids)[0].decode()
        total = self.period.sudo().assigned_count  # sudo: the expected figure, read by the test
        self.assertEqual(self._total_row(html)[0], str(total))


@tagged("post_install", "-at_install")
class TestReportPdf(ReportCase, HttpCase):
    """The PDF as a reader sees it (its text, page by page), printed by WeasyPrint in this
    process: no server, no wkhtmltopdf."""

    def _pdf(self, periods):
        pdf, kind = (
            self.env["ir.actions.report"]
            # Rendered as the files job renders it, not taken from the stored files.
            .with_context(force_report_rendering=True, hy_render_files=True)
            ._render_qweb_pdf(REPORT, periods.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def test_vietnamese_text_page_numbers_and_title(self):
        pages = page_texts(self._pdf(self.period))
        numbers = [PAGE_NUMBER.findall(text) for text in pages]
        total = str(len(pages))
        self.assertEqual(numbers, [[(str(number), total)] for number in range(1, len(pages) + 1)])
        # Vietnamese letters come out of the PDF as they went in (a font without them, or a
        # word set in two fonts, would not).
        first, text = words(pages[0]), words(" ".join(pages))
        for phrase in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH HƯNG YÊN",
            "125/BC-VPUBND",
            "ngày 05 tháng 02 năm 2026",
            "BÁO CÁO",
        ):
            self.assertIn(phrase, first)
        for phrase in (
            "I. TÌNH HÌNH CHUNG",
            "II. KẾT QUẢ THỰC HIỆN",
            "Các sở, ngành đã tích cực triển khai nhiệm vụ được giao.",
            "Nơi nhận:",
            "KT. CHÁNH VĂN PHÒNG",
            "Nguyễn Văn Hùng",
        ):
            self.assertIn(phrase, text)
        # An approved report is no draft; classified directives are counted, never named.
        self.assertNotIn("DỰ THẢO", text)
        self.assertNotIn(self.directive_conf.number, text)
        self.assertNotIn("Rà soát thủ tục hành chính", text)
        # The title's last line (the first line that ends with "giao") holds the whole last
        # authority, "Chủ tịch UBND tỉnh giao", however wide the font: never "giao" alone.
        title_end = next(
            line for line in map(words, pages[0].splitlines()) if line.endswith("giao")
        )
        self.assertTrue(title_end.endswith("Chủ tịch UBND tỉnh giao"), title_end)

    def test_draft_banner(self):
        with freeze_time(TODAY):
            draft = self._period(unit_ids=[(6, 0, self.unit_a.ids)])
            draft.action_compute()
        first = words(page_texts(self._pdf(draft))[0])
        self.assertIn("DỰ THẢO – số liệu chưa được phê duyệt", first)

    def test_each_document_numbers_its_pages(self):
        with freeze_time(TODAY):
            other = self._period(unit_ids=[(6, 0, self.unit_a.ids)])
            other.action_compute()
        pages = page_texts(self._pdf(self.period | other))
        numbers = [PAGE_NUMBER.findall(text) for text in pages]
        self.assertEqual([len(found) for found in numbers], [1] * len(pages))
        numbers = [(int(number), int(total)) for [(number, total)] in numbers]
        first = numbers[0][1]
        second = len(pages) - first
        self.assertGreater(second, 0)
        self.assertEqual(
            numbers,
            [(n, first) for n in range(1, first + 1)] + [(n, second) for n in range(1, second + 1)],
        )

    def test_tables_repeat_their_header_on_each_page(self):
        units = self.env["hy.unit"].create(
            [{"name": f"Đơn vị thử {n:02d}", "code": f"R-P{n:02d}"} for n in range(70)]
        )
        with freeze_time(TODAY):
            period = self._period(unit_ids=[(6, 0, units.ids)])
            period.action_compute()
        pages = [words(text) for text in page_texts(self._pdf(period))]
        # Where each row is: the units in the order of table II, its total, then the units in
        # the order of table III, each found whole on a page (no row cut across two pages).
        names = [line.unit_id.name for line in period._sorted_lines()]
        found, page, position = [], 0, 0
        for name in [*names, "Tổng cộng", *names]:
            while pages[page].find(name, position) < 0:
                page, position = page + 1, 0
            found.append((page, pages[page].find(name, position)))
            position = found[-1][1] + len(name)
        tables = {
            "STT": found[: len(names) + 1],  # table II, "No."
            "Xếp hạng": found[len(names) + 1 :],  # table III, "Rank"
        }
        for header, rows in tables.items():
            table_pages = {number for number, _position in rows}
            self.assertGreater(len(table_pages), 1, "the table spans pages")
            for number in table_pages:
                with self.subTest(header=header, page=number + 1):
                    self.assertEqual(pages[number].count(header), 1)
                    # Above the table's first row on the page.
                    first_row = min(at for row_page, at in rows if row_page == number)
                    self.assertLess(pages[number].find(header), first_row)
        # No header is left alone at the foot of a page: table III's is only on its rows' pages.
        self.assertEqual(
            {number for number, text in enumerate(pages) if "Xếp hạng" in text},
            {number for number, _position in tables["Xếp hạng"]},
        )

    def test_pdf_route(self):
        # The print menu's address: the approved report's PDF as the files job made it.
        # The approved report's files, made by the job: the route serves them.
        self.period._render_files()
        self.authenticate("r_officer", "r_officer")
        context = json.dumps({"force_report_rendering": True})
        response = self.url_open(f"/report/pdf/{REPORT}/{self.period.id}?context={context}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        pages = page_texts(response.content)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", words(pages[0]))
        self.assertEqual(PAGE_NUMBER.findall(pages[-1]), [(str(len(pages)),) * 2])
