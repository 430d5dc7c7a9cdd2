"""The document of an urging dispatch (issue 27, items 1-2): its PDF (Decree 30/2020 layout,
real WeasyPrint), its DOCX (python-docx), and the portal pages where the unit reads it.
Classified tasks are counts per issuing authority only; the mailed edition has none."""

import base64
import io
import re
import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from html import unescape
from unittest import skipIf

import docx

from odoo.tests import HttpCase, freeze_time, tagged

from ..models.hy_time import hy_today
from .common import TestHyCommon

# Late on 1 June 2026 (their creation): open tasks past their deadlines.
LATE = date(2026, 5, 20)
NO_PDF_TOOLS = not shutil.which("pdftotext")


def flat(text):
    """``text`` on one line, its spaces collapsed: the PDF wraps sentences anywhere."""
    return " ".join(text.replace("\u00a0", " ").split())


class DispatchDocumentCommon(TestHyCommon):
    """A dispatch sent to unit A urging two normal tasks and one classified task."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.task_1 = cls._late(name="Rà soát thủ tục hành chính cấp tỉnh\nĐợt 2: cấp huyện")
        cls.task_2 = cls._late(
            directive_id=cls._directive(number="977/KH-UBND", issue_date=date(2026, 3, 2)).id,
            name="Số hóa hồ sơ một cửa cấp huyện",
        )
        cls.task_secret = cls._late(directive_id=cls.directive_conf.id, name=False)
        cls.task_b = cls._late(unit=cls.unit_b, name="Phân bổ dự toán ngân sách")
        cls.dispatch = cls._send(cls.task_1 | cls.task_2 | cls.task_secret)
        cls.dispatch_b = cls._send(cls.task_b)
        cls.draft = (
            cls.env["hy.urge.dispatch"]
            .with_user(cls.officer)
            ._hy_prepare_for_tasks(cls._late(name="Nhiệm vụ còn trong bản nháp"))
        )

    @classmethod
    def _late(cls, unit=None, **vals):
        """An assigned task of ``unit`` (A by default), created on 1 June 2026, late since
        20 May."""
        values = {"followup_user_id": cls.officer.id}
        values.update(vals)
        with freeze_time("2026-06-01 03:00:00"):
            return cls._task(unit=unit, deadline=LATE, state="assigned", **values)

    @classmethod
    def _send(cls, tasks):
        """The dispatch the officer prepares for ``tasks``, sent by the manager."""
        dispatch = cls.env["hy.urge.dispatch"].with_user(cls.officer)._hy_prepare_for_tasks(tasks)
        dispatch.with_user(cls.manager).action_send()
        cls.env.invalidate_all()
        return dispatch

    def _values(self, dispatch=None, **context):
        dispatch = dispatch or self.dispatch
        lang = dispatch._document_lang()
        return dispatch.with_context(lang=lang, **context)._document_values()

    def _assert_facts(self, text, *more):
        """The document's ``text`` says what the dispatch says, and nothing classified."""
        values = self._values()
        for fact in (
            self.dispatch.number,
            "Sở Nội vụ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Rà soát thủ tục hành chính cấp tỉnh",
            "Số hóa hồ sơ một cửa cấp huyện",
            flat(values["classified"][0]),
            flat(values["reply"]),
            *more,
        ):
            self.assertIn(fact, text)
        for secret in (self.task_secret.reference, "912/QĐ-UBND"):
            self.assertNotIn(secret, text)

    def _pdf(self, dispatch, **context):
        """The dispatch's PDF, really printed (tests otherwise get its HTML)."""
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report.with_context(**context)._render_qweb_pdf(
            "hy_task_tracking.hy_urge_dispatch_action_report", dispatch.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def _pdf_pages(self, pdf):
        """The text of each page of ``pdf`` (pdftotext, in its layout)."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", file.name, "-"],
                capture_output=True,
                check=True,
            ).stdout.decode()
        return [page for page in text.split("\f") if page.strip()]

    def _html(self, dispatch=None, **context):
        dispatch = dispatch or self.dispatch
        Report = self.env["ir.actions.report"].with_context(**context)
        html = Report._render_qweb_html(
            "hy_task_tracking.hy_urge_dispatch_action_report", dispatch.ids
        )[0]
        return html.decode()


@tagged("post_install", "-at_install")
class TestUrgeDispatchDocument(DispatchDocumentCommon):
    def test_values_of_a_sent_dispatch(self):
        values = self._values()
        self.assertFalse(values["draft"])
        self.assertEqual(values["number"], self.dispatch.number)
        self.assertRegex(self.dispatch.number, r"^\d{2,}/VP-TH$")
        self.assertEqual(values["unit"], "Sở Nội vụ")
        # The normal tasks: their first lines, directive and days late as frozen when sent.
        self.assertEqual(
            [row["task_id"] for row in values["rows"]], [self.task_1.id, self.task_2.id]
        )
        self.assertEqual(
            values["rows"][0]["content"], "Rà soát thủ tục hành chính cấp tỉnh Đợt 2: cấp huyện"
        )
        self.assertIn("905/CT-UBND", values["rows"][0]["directive"])
        self.assertIn("977/KH-UBND", values["rows"][1]["directive"])
        lines = self.dispatch.line_ids.sorted("sequence")
        self.assertEqual(values["rows"][0]["late"], lines[0].working_days_overdue)
        self.assertGreater(values["rows"][0]["late"], 0)
        # The classified task: one sentence counting it, by its issuing authority.
        self.assertEqual(len(values["classified"]), 1)
        self.assertRegex(values["classified"][0], r"\b1\b")
        # Recipients as Decree 30 writes them: "- …;" and the last "- ….".
        self.assertEqual(values["recipients"][0], "- Sở Nội vụ;")
        self.assertTrue(values["recipients"][-1].endswith("."))
        self.assertTrue(all(line.endswith(";") for line in values["recipients"][:-1]))
        self.assertEqual(values["signer_title"], ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"])
        self.assertEqual(values["national_motto"], "Độc lập - Tự do - Hạnh phúc")
        day = self.dispatch.date
        self.assertIn(str(day.year), values["date_words"])
        self.assertIn(str(day.day).zfill(2), values["date_words"])

    def test_the_document_is_vietnamese_when_installed(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.assertEqual(self.dispatch._document_lang(), "vi_VN")
        html = self._html()
        self.assertIn('data-oe-lang="vi_VN"', html)
        # Never translated: the national title and motto.
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", html)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", html)

    def test_html_lists_normal_tasks_and_counts_classified_ones_only(self):
        html = self._html()
        values = self._values()
        for text in (self.dispatch.number, "Sở Nội vụ", "Số hóa hồ sơ một cửa cấp huyện"):
            self.assertIn(text, html)
        self.assertIn(values["classified"][0], html)
        for secret in (self.task_secret.reference, "912/QĐ-UBND"):
            self.assertNotIn(secret, html)
        self.assertNotIn('class="o_hy_draft"', html)
        # The edition mailed to the unit: no count of classified tasks at all.
        mail = self._html(hy_mail_edition=True)
        self.assertNotIn("o_hy_classified", mail)
        self.assertNotIn(values["classified"][0], mail)
        self.assertIn("Số hóa hồ sơ một cửa cấp huyện", mail)
        self.assertFalse(self._values(hy_mail_edition=True)["classified"])

    def test_draft_prints_a_draft_mark_and_no_number(self):
        values = self._values(self.draft)
        self.assertTrue(values["draft"])
        self.assertTrue(values["number"].strip().startswith("/VP-TH"))
        html = self._html(self.draft)
        self.assertIn('class="o_hy_draft"', html)
        self.assertIn("Nhiệm vụ còn trong bản nháp", html)
        self.assertEqual(self.draft._document_filename("docx"), "CV-draft.docx")

    @skipIf(NO_PDF_TOOLS, "pdftotext (poppler-utils) is needed")
    def test_pdf_holds_the_facts(self):
        pdf = self._pdf(self.dispatch)
        text = flat("".join(self._pdf_pages(pdf)))
        self._assert_facts(text, "977/KH-UBND")
        # The mailed edition: the same document without the count.
        mail = self._pdf(self.dispatch, hy_mail_edition=True)
        self.assertNotEqual(mail, pdf)

    @skipIf(NO_PDF_TOOLS, "pdftotext (poppler-utils) is needed")
    def test_a_long_dispatch_repeats_its_table_header_and_numbers_its_pages(self):
        # 24 late tasks do not fit one page: each page of the table has its header, the
        # pages after the first their number at the top (Decree 30), the sizes as written.
        tasks = self.env["hy.task"].union(
            *(self._late(name=f"Nhiệm vụ số {index} của Sở Nội vụ") for index in range(24))
        )
        dispatch = self._send(tasks)
        pages = self._pdf_pages(self._pdf(dispatch))
        self.assertGreaterEqual(len(pages), 2)
        heading = self._values(dispatch)
        # The header's cell "Directive document", in the document's language.
        header = flat(unescape(re.findall(r"<th>(.*?)</th>", self._html(dispatch), re.DOTALL)[2]))
        for number, page in enumerate(pages, start=1):
            if "Nhiệm vụ số" in page:
                self.assertIn(header, flat(page), f"page {number} has the table's header")
            first_line = page.strip().splitlines()[0].strip()
            if number == 1:
                self.assertNotEqual(first_line, "1")
            else:
                self.assertEqual(first_line, str(number))
        self.assertIn(heading["number"], flat(pages[0]))

    def test_docx_holds_the_same_facts(self):
        document = docx.Document(io.BytesIO(self.dispatch._docx_bytes()))
        section = document.sections[0]
        self.assertEqual(
            [round(length.mm) for length in (section.page_width, section.page_height)], [210, 297]
        )
        margins = (section.top_margin, section.bottom_margin, section.left_margin)
        self.assertEqual([round(m.mm) for m in (*margins, section.right_margin)], [20, 20, 30, 15])
        self.assertEqual(document.styles["Normal"].font.name, "Times New Roman")
        texts = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            texts += [cell.text for row in table.rows for cell in row.cells]
        text = flat("\n".join(texts))
        self._assert_facts(text, "KT. CHÁNH VĂN PHÒNG")
        # The header is a borderless table of two columns; the tasks' table repeats its
        # heading row on each page.
        header, tasks = document.tables[:2]
        self.assertEqual(len(header.columns), 2)
        self.assertNotEqual(header.style.name, "Table Grid")
        self.assertNotIn("w:tblBorders", header._tbl.xml)
        self.assertEqual(tasks.style.name, "Table Grid")
        self.assertEqual(len(tasks.rows), 3)
        self.assertIn("w:tblHeader", tasks.rows[0]._tr.xml)

    def test_portal_urges_of_a_task(self):
        urges = self.task_1.with_user(self.portal_a)._hy_portal_urges()
        self.assertEqual(len(urges), 1)
        self.assertEqual(urges[0]["number"], self.dispatch.number)
        self.assertEqual(urges[0]["dispatch_id"], self.dispatch.id)
        self.assertEqual(urges[0]["date"], self.dispatch.date)
        self.assertEqual(set(urges[0]), {"date", "channel", "number", "dispatch_id"})
        # A task the user does not read: nothing, even called on a record read as superuser.
        self.assertEqual(self.task_b.with_user(self.portal_a)._hy_portal_urges(), [])
        task_as_su = self.task_b.with_user(self.portal_a).sudo()  # sudo: what is tested
        self.assertEqual(task_as_su._hy_portal_urges(), [])


@tagged("post_install", "-at_install")
class TestUrgeDispatchRoutes(DispatchDocumentCommon, HttpCase):
    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_unit_member_downloads_pdf_and_docx_of_a_sent_dispatch(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        base = f"/hy_task_tracking/urge_dispatch/{self.dispatch.id}"
        pdf = self._get(f"{base}/pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # The document as it was sent: the one stored then.
        self.assertEqual(pdf.content, base64.b64decode(self.dispatch.pdf_file))
        number = self.dispatch.number.replace("/", "-")
        self.assertIn(f"CV-{number}.pdf", pdf.headers["Content-Disposition"])
        response = self._get(f"{base}/docx")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"CV-{number}.docx", response.headers["Content-Disposition"])
        document = docx.Document(io.BytesIO(response.content))
        self.assertIn("Sở Nội vụ", "\n".join(p.text for p in document.paragraphs))

    def test_drafts_other_units_and_missing_ids_answer_404(self):
        missing = self.env["hy.urge.dispatch"].search([], order="id desc", limit=1).id + 1000
        for user, dispatch_ids in (
            (self.portal_a, (self.draft.id, self.dispatch_b.id, missing)),
            (self.user_a, (self.draft.id, self.dispatch_b.id)),
            (self.portal_b, (self.dispatch.id,)),
        ):
            self.authenticate(user.login, user.login)
            for dispatch_id in dispatch_ids:
                for url in (
                    f"/hy_task_tracking/urge_dispatch/{dispatch_id}/pdf",
                    f"/hy_task_tracking/urge_dispatch/{dispatch_id}/docx",
                    f"/my/hy_urge_dispatches/{dispatch_id}",
                ):
                    with self.subTest(user=user.login, url=url):
                        self.assertEqual(self._get(url).status_code, 404)

    def test_office_downloads_the_docx_of_a_draft(self):
        self.authenticate(self.officer.login, self.officer.login)
        action = self.draft.with_user(self.officer).action_download_docx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        response = self._get(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("CV-draft.docx", response.headers["Content-Disposition"])

    def test_portal_list_page_and_task_urges(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["hy_urge_dispatch_count"]}
        )
        self.assertEqual(counters["hy_urge_dispatch_count"], 1)
        self.assertIn('href="/my/hy_urge_dispatches"', self._get("/my").text)
        page = self._get("/my/hy_urge_dispatches")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.dispatch.number, page.text)
        self.assertNotIn(self.dispatch_b.number, page.text)
        self.assertEqual(page.text.count("o_hy_dispatch_link"), 1)
        # Reported by a date five working days away: no flag; past it, flagged.
        self.assertNotIn("o_hy_reply_badge", page.text)
        self.dispatch.sudo().write({"reply_date": hy_today() - timedelta(days=1)})  # sudo: set-up
        page = self._get("/my/hy_urge_dispatches")
        self.assertRegex(page.text, r'o_hy_reply_badge [^"]*text-bg-danger')
        # The dispatch's page: its tasks with links to them, the classified one counted only.
        page = self._get(f"/my/hy_urge_dispatches/{self.dispatch.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="/my/hy_tasks/{self.task_1.id}"', page.text)
        self.assertIn("Số hóa hồ sơ một cửa cấp huyện", page.text)
        values = self.dispatch.with_context(lang=self.portal_a.lang)._document_values()
        self.assertIn(values["classified"][0], unescape(page.text))
        self.assertNotIn(self.task_secret.reference, page.text)
        self.assertNotIn(f"/my/hy_tasks/{self.task_secret.id}", page.text)
        self.assertIn(f"/hy_task_tracking/urge_dispatch/{self.dispatch.id}/pdf", page.text)
        self.assertIn(f"/hy_task_tracking/urge_dispatch/{self.dispatch.id}/docx", page.text)
        # The task's page: its urge, with a link to the dispatch.
        page = self._get(f"/my/hy_tasks/{self.task_1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="hy_task_urges"', page.text)
        self.assertIn(f'href="/my/hy_urge_dispatches/{self.dispatch.id}"', page.text)
        self.assertEqual(len(re.findall(r'class="o_hy_urge"', page.text)), 1)
