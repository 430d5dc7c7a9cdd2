import base64
import io
import textwrap
from collections import Counter

from markupsafe import Markup, escape

from odoo import models
from odoo.tools import format_date

from .hy_directive import AUTHORITIES
from .hy_time import hy_today

# The Office's settings the document reads (hy.settings PARAMS), with the defaults of the
# spec for a database where they are not declared yet.
URGE_DEFAULTS = {
    "urge_notation": "VP-TH",
    "urge_issuer_parent": "UBND TỈNH HƯNG YÊN",
    "urge_issuer": "VĂN PHÒNG",
    "urge_place": "Hưng Yên",
    "urge_signer_title": "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG",
    "urge_signer_name": "",
}
# The national title and motto (Decree 30/2020/NĐ-CP, Appendix I): never translated.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# How much of a task's content the document quotes: its first lines, cut between words.
TASK_LINES = 3
TASK_CHARS = 300
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def first_lines(text, lines=TASK_LINES, width=TASK_CHARS):
    """The first ``lines`` non-empty lines of ``text``, on one line, cut between words."""
    kept = [line.strip() for line in (text or "").splitlines() if line.strip()][:lines]
    return textwrap.shorten(" ".join(kept), width, placeholder=" …") if kept else ""


# ---------------------------------------------------------------------- the DOCX (python-docx)
# Decree 30/2020/NĐ-CP on A4: margins top and bottom 20 mm, left 30 mm, right 15 mm (as the
# report's paperformat); the header as a borderless two-column table, 63 + 102 mm.
DOCX_FONT = "Times New Roman"
DOCX_WIDTHS_MM = (63, 102)
DOCX_TABLE_MM = (11, 62, 45, 25, 22)
# What follows w:pBdr in a paragraph's properties (ECMA-376: their order is fixed).
PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def text_width_mm(text, size, factor):
    """About how wide ``text`` prints in Times at ``size`` pt: ``factor`` is the average
    width of its letters in ems (0.65 for bold capitals, 0.46 for bold lower case)."""
    return len(text) * size * factor * 25.4 / 72


class DispatchDocx:
    """The dispatch as a python-docx Document, from ``values`` (_document_values()); ``_``
    translates the few words of the layout itself, in the document's language."""

    def __init__(self, values, _):
        # python-docx is imported on use only: nothing else of the module needs it.
        import docx
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Mm, Pt, RGBColor

        self.values, self._ = values, _
        self.Cm, self.Mm, self.Pt, self.RGBColor = Cm, Mm, Pt, RGBColor
        self.OxmlElement, self.qn = OxmlElement, qn
        self.align = WD_ALIGN_PARAGRAPH
        self.table_center = WD_TABLE_ALIGNMENT.CENTER
        self.document = docx.Document()
        # The body: 14 pt, justified, first line indented 1.27 cm, 6 pt between paragraphs.
        self.body = {
            "align": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "first_line_indent": Cm(1.27),
            "space_after": Pt(6),
            "line_spacing": 1.15,
        }

    def build(self):
        self._page()
        if self.values["draft"]:
            mark = self._paragraph(
                self.document, self._("DRAFT"), size=14, bold=True, align=self.align.RIGHT
            )
            mark.runs[0].font.color.rgb = self.RGBColor(0xAA, 0x00, 0x00)
        self._heading()
        self._body()
        self._closing()
        return self.document

    # ------------------------------------------------------------------ building blocks

    def _page(self):
        Mm, Pt, qn = self.Mm, self.Pt, self.qn
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = Mm(10)
        normal = self.document.styles["Normal"]
        normal.font.name = DOCX_FONT
        normal.font.size = Pt(14)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), DOCX_FONT)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0
        # Page numbers from the second page, centred at the top (Decree 30: none on page 1).
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        number = section.header.paragraphs[0]
        number.alignment = self.align.CENTER
        field = self.OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        number._p.append(field)

    def _paragraph(self, container, text="", size=None, bold=False, italic=False, **fmt):
        """A paragraph of ``text`` in ``container``; ``fmt``: its alignment (align) and
        paragraph_format attributes (indents, spacing)."""
        par = container.add_paragraph()
        if text:
            run = par.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if size:
                run.font.size = self.Pt(size)
        align = fmt.pop("align", None)
        if align is not None:
            par.alignment = align
        for name, value in fmt.items():
            setattr(par.paragraph_format, name, value)
        return par

    def _rule(self, cell, length_mm, width_mm):
        """A centred horizontal line ``length_mm`` long, in a cell ``width_mm`` wide."""
        side = self.Mm(max((width_mm - length_mm) / 2, 0))
        # An empty paragraph exactly 3 pt high: its top border is the line.
        par = self._paragraph(cell, left_indent=side, right_indent=side, line_spacing=self.Pt(3))
        par.paragraph_format.space_before = self.Pt(5)
        par.paragraph_format.space_after = self.Pt(3)
        border = self.OxmlElement("w:pBdr")
        top = self.OxmlElement("w:top")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
            top.set(self.qn(f"w:{key}"), value)
        border.append(top)
        par._p.get_or_add_pPr().insert_element_before(border, *PPR_AFTER_PBDR)
        return par

    def _keep_number(self, par, number):
        """The hyphens of ``number`` in ``par`` made non-breaking: 876/QĐ-TTg on one line."""
        run = par.runs[0] if par.runs else None
        if not run or not number or "-" not in number or number not in run.text:
            return par
        before, _sep, after = run.text.partition(number)
        run.text = before
        element = run._r
        for index, part in enumerate(number.split("-")):
            if index:
                element.append(self.OxmlElement("w:noBreakHyphen"))
            text = self.OxmlElement("w:t")
            text.text = part
            element.append(text)
        text = self.OxmlElement("w:t")
        text.set(self.qn("xml:space"), "preserve")
        text.text = after
        element.append(text)
        return par

    def _table(self, rows, widths_mm, grid=False):
        table = self.document.add_table(rows=rows, cols=len(widths_mm))
        if grid:
            table.style = self.document.styles["Table Grid"]
        table.alignment = self.table_center
        table.autofit = False
        for index, width in enumerate(widths_mm):
            table.columns[index].width = self.Mm(width)
            for cell in table.columns[index].cells:
                cell.width = self.Mm(width)
        # Each cell is filled by _paragraph(): its own empty paragraph goes.
        for row in table.rows:
            for cell in row.cells:
                cell._tc.remove(cell.paragraphs[0]._p)
        return table

    def _row_property(self, row, tag):
        element = self.OxmlElement(tag)
        element.set(self.qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(element)

    # ------------------------------------------------------------------ the parts

    def _heading(self):
        """The issuer and the number on the left, the nation and the date on the right."""
        values, center = self.values, self.align.CENTER
        left_mm, right_mm = DOCX_WIDTHS_MM
        left, right = self._table(1, DOCX_WIDTHS_MM).rows[0].cells
        self._paragraph(left, values["issuer_parent"], size=13, align=center)
        self._paragraph(left, values["issuer"], size=13, bold=True, align=center)
        issuer_mm = text_width_mm(values["issuer"], 13, 0.65)
        self._rule(left, min(max(issuer_mm / 2, 15), left_mm - 6), left_mm - 4)
        number = self._("No.: %(number)s", number=values["number"])
        self._paragraph(left, number, size=13, align=center)
        subject = values["subject"]
        self._paragraph(left, subject, size=12, align=center, space_before=self.Pt(2))
        self._paragraph(right, values["national_title"], size=12, bold=True, align=center)
        self._paragraph(right, values["national_motto"], size=13, bold=True, align=center)
        self._rule(right, text_width_mm(values["national_motto"], 13, 0.46), right_mm - 4)
        self._paragraph(right, values["place_date"], size=14, italic=True, align=center)

    def _body(self):
        values, body = self.values, self.body
        to = self._paragraph(
            self.document,
            align=self.align.CENTER,
            space_before=self.Pt(18),
            space_after=self.Pt(12),
        )
        to.add_run(self._("Respectfully to:") + " ")
        to.add_run(values["unit"])
        for text in values["intro"].splitlines():
            if text.strip():
                self._paragraph(self.document, text.strip(), **body)
        if values["rows"]:
            self._tasks(values["rows"])
        for text in values["classified"]:
            self._paragraph(self.document, text, **body)
        self._paragraph(self.document, values["reply"], **body)
        for text in values["closing"].splitlines():
            if text.strip():
                self._paragraph(self.document, text.strip(), **body)

    def _tasks(self, rows):
        """The normal tasks: a table whose heading row repeats on each page, rows uncut."""
        _, center = self._, self.align.CENTER
        table = self._table(len(rows) + 1, DOCX_TABLE_MM, grid=True)
        headings = (_("No."), _("Task"), _("Directive document"), _("Deadline"))
        headings += (_("Working days late"),)
        for cell, text in zip(table.rows[0].cells, headings, strict=True):
            self._paragraph(cell, text, size=12, bold=True, align=center)
        self._row_property(table.rows[0], "w:cantSplit")
        self._row_property(table.rows[0], "w:tblHeader")
        for row, line in zip(table.rows[1:], rows, strict=True):
            cells = row.cells
            self._row_property(row, "w:cantSplit")
            self._paragraph(cells[0], str(line["index"]), size=12, align=center)
            self._paragraph(cells[1], line["content"], size=12)
            self._keep_number(
                self._paragraph(cells[2], line["directive"], size=12), line["directive_number"]
            )
            self._paragraph(cells[2], line["authority"], size=12, italic=True)
            self._paragraph(cells[3], line["deadline"], size=12, align=center)
            self._paragraph(cells[4], str(line["late"]), size=12, align=center)
        self._paragraph(self.document, size=6)

    def _closing(self):
        """Recipients on the left, the signature on the right."""
        values, center = self.values, self.align.CENTER
        self._paragraph(self.document, size=6)
        recipients, signature = self._table(1, (75, 90)).rows[0].cells
        title = self._("Recipients:")
        self._paragraph(recipients, title, size=12, bold=True, italic=True)
        for line in values["recipients"]:
            self._paragraph(recipients, line, size=11)
        for line in values["signer_title"]:
            self._paragraph(signature, line.upper(), size=14, bold=True, align=center)
        self._paragraph(signature, size=14, space_after=self.Mm(25))
        self._paragraph(signature, values["signer_name"], size=14, bold=True, align=center)


class HyUrgeDispatch(models.Model):
    """The document of an urging dispatch (công văn đôn đốc) in the layout of Decree
    30/2020/NĐ-CP (Appendix I): its PDF (report hy_urge_dispatch_action_report) and its
    editable DOCX, both from ``_document_values()``, in Vietnamese when it is installed.

    Classified tasks are told as counts per issuing authority only, never by content,
    reference or directive number; the edition mailed to the unit (context
    ``hy_mail_edition``) leaves even the counts out.
    """

    _inherit = "hy.urge.dispatch"

    # ------------------------------------------------------------------ what it says

    def _document_lang(self):
        """The dispatch is a Vietnamese administrative document: Vietnamese when installed."""
        return self.env["res.lang"]._get_code("vi_VN") or self.env.lang or "en_US"

    def _urge_param(self, name):
        """Setting ``name`` of the urging dispatches, or its default when not declared."""
        try:
            return self.env["hy.settings"]._hy_param(name)
        except KeyError:
            return URGE_DEFAULTS[name]

    def _document_date_words(self):
        """E.g. "ngày 08 tháng 12 năm 2026"; blanks for a draft, not dated yet. Decree 30: a
        zero before days under 10 and months under 3."""
        _ = self.env._
        day = self.date if self.state != "draft" else False
        if not day:
            blank = "\u00a0" * 6
            return _(
                "day %(day)s month %(month)s year %(year)s",
                day=blank,
                month=blank,
                year=hy_today().year,
            )
        return _(
            "day %(day)s month %(month)s year %(year)s",
            day=str(day.day).zfill(2),
            month=str(day.month).zfill(2) if day.month < 3 else str(day.month),
            year=day.year,
        )

    def _document_lines(self):
        """The dispatch's lines, all of them, and its tasks and directives, in few queries.

        As superuser, once the user is checked to read the dispatch: the line rules keep
        classified lines from readers without clearance, and the document counts them. Of a
        classified line only its authority is read (a count per authority), never its task's
        content, reference or directive.
        """
        self.ensure_one()
        self.check_access("read")
        lines = self.sudo().line_ids  # sudo: counted by authority when classified (see above)
        lines.task_id.directive_id.fetch(["name", "number", "issue_date", "authority"])
        return lines

    def _document_rows(self, lines=None):
        """The normal tasks of the dispatch, as the document lists them: dicts of index,
        task (id, reference, content), directive text, authority, deadline and working days
        late (as frozen when sent; the task's own while a draft)."""
        self.ensure_one()
        _ = self.env._
        lines = self._document_lines() if lines is None else lines
        authorities = dict(
            self.env["hy.directive"]._fields["authority"]._description_selection(self.env)
        )
        draft = self.state == "draft"
        directive_words = _("%(name)s No. %(number)s dated %(date)s")
        rows = []
        for line in lines.filtered(lambda line: not line.is_classified):
            task = line.task_id
            directive = task.directive_id
            texts = {
                "name": directive.name,
                "number": directive.number,
                "date": format_date(self.env, directive.issue_date),
            }
            nowrap = Markup('<span class="o_hy_nowrap">%s</span>') % directive.number
            deadline = task.deadline if draft else line.deadline
            late = task.working_days_overdue if draft else line.working_days_overdue
            rows.append(
                {
                    "index": len(rows) + 1,
                    "task_id": task.id,
                    "reference": task.reference,
                    "content": first_lines(task.name) or task.title,
                    "directive": directive_words % texts,
                    "directive_number": directive.number,
                    # The same, for the PDF: its number never cut at its hyphen.
                    "directive_html": escape(directive_words) % dict(texts, number=nowrap),
                    "authority": authorities.get(directive.authority, ""),
                    "deadline": format_date(self.env, deadline) if deadline else "",
                    "late": late or 0,
                }
            )
        return rows

    def _document_classified(self, lines=None):
        """One sentence per issuing authority counting the classified tasks of the dispatch:
        counts only. None at all in the edition mailed to the unit."""
        self.ensure_one()
        if self.env.context.get("hy_mail_edition"):
            return []
        _ = self.env._
        lines = self._document_lines() if lines is None else lines
        counts = Counter(lines.filtered("is_classified").mapped("authority"))
        labels = dict(AUTHORITIES) | dict(
            self.env["hy.directive"]._fields["authority"]._description_selection(self.env)
        )
        listed = bool(lines.filtered(lambda line: not line.is_classified))
        sentences = []
        for key, _label in AUTHORITIES:
            if counts.get(key):
                values = {"count": counts[key], "authority": labels[key]}
                sentences.append(
                    _(
                        "and %(count)s task(s) under classified documents of the %(authority)s.",
                        **values,
                    )
                    if listed
                    else _(
                        "%(count)s task(s) under classified documents of the %(authority)s.",
                        **values,
                    )
                )
        return sentences

    def _document_values(self):
        """Everything the document says, worded in the language of ``self.env``: the PDF
        (report/hy_urge_dispatch_templates.xml), the DOCX (_docx_bytes) and the portal page
        read it alike."""
        self.ensure_one()
        _ = self.env._
        lines = self._document_lines()
        unit = self.unit_id.sudo().name or ""  # sudo: the unit's name, on a dispatch the user reads
        draft = self.state == "draft"
        notation = self._urge_param("urge_notation")
        number = self.number if not draft and self.number else "\u00a0" * 8 + "/" + notation
        subject = (self.subject or "").strip()
        if subject[:4].lower() == "v/v ":
            subject = subject[4:].strip()
        signer_title = self.signer_title or self._urge_param("urge_signer_title")
        place = self.place or self._urge_param("urge_place")
        date_words = self._document_date_words()
        reply = format_date(self.env, self.reply_date) if self.reply_date else "\u00a0" * 12
        recipients = self._document_recipients(unit)
        return {
            "draft": draft,
            "issuer_parent": self._urge_param("urge_issuer_parent"),
            "issuer": self._urge_param("urge_issuer"),
            "national_title": NATIONAL_TITLE,
            "national_motto": NATIONAL_MOTTO,
            "number": number,
            "subject": _("Re: %(subject)s", subject=subject),
            "place": place,
            "date_words": date_words,
            "place_date": f"{place}, {date_words}",
            "unit": unit,
            "intro": (self.intro or "").strip()
            or _(
                "Pursuant to the regulation on monitoring, urging and inspecting the "
                "implementation of the tasks assigned by the Provincial People's Committee and "
                "its Chairman, the Provincial Office has reviewed the tasks assigned to "
                "%(unit)s. The following tasks are overdue:",
                unit=unit,
            ),
            "rows": self._document_rows(lines),
            "classified": self._document_classified(lines),
            "reply": _(
                "Please report the results to the Provincial People's Committee (through the "
                "Provincial Office) before %(date)s.",
                date=reply,
            ),
            "closing": (self.closing or "").strip(),
            "recipients": recipients,
            # On two lines: "KT. CHÁNH VĂN PHÒNG", then the signer's own title; a title
            # typed on one line as "… / …" is cut there.
            "signer_title": [
                part.strip()
                for line in signer_title.splitlines()
                for part in line.split(" / ")
                if part.strip()
            ],
            "signer_name": (self.signer_name or self._urge_param("urge_signer_name") or "").strip(),
        }

    def _document_recipients(self, unit):
        """The "Nơi nhận" lines (Decree 30): the unit, then the copies, each "- …;", the last
        "- …." and the filing ("Lưu: VT.") last, unless the copies already end with it."""
        _ = self.env._
        lines = [unit]
        lines += [
            line.strip().lstrip("-+•").strip().rstrip(";.,").strip()
            for line in (self.copy_to or "").splitlines()
        ]
        lines = [line for line in lines if line]
        filed = _("Filed: VT.").rstrip(".")
        prefixes = (filed.split(":")[0].lower(), "lưu")
        if not any(line.lower().startswith(prefixes) for line in lines[1:]):
            lines.append(filed)
        return [f"- {line};" for line in lines[:-1]] + [f"- {lines[-1]}."]

    def _document_filename(self, extension):
        """CV-05-VP-TH.docx: the number, its slash made a dash; "draft" before sending."""
        self.ensure_one()
        number = self.number if self.state != "draft" and self.number else "draft"
        return "CV-{}.{}".format(number.replace("/", "-").replace(" ", ""), extension)

    # ------------------------------------------------------------------ PDF and DOCX

    def _document_pdf(self):
        """The PDF of the dispatch, rendered now (WeasyPrint), in the document's language."""
        self.ensure_one()
        report = "hy_task_tracking.hy_urge_dispatch_action_report"
        return self.env["ir.actions.report"]._render_qweb_pdf(report, self.ids)[0]

    def _document_stored_pdf(self):
        """The PDF stored when the dispatch was sent (bytes), or None."""
        self.ensure_one()
        return base64.b64decode(self.pdf_file) if self.pdf_file else None

    def action_download_docx(self):
        """The editable DOCX, for signing in the Office's own way (controllers/urge_dispatch.py
        checks that the user reads the dispatch)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/hy_task_tracking/urge_dispatch/{self.id}/docx",
            "target": "self",
        }

    def _docx_bytes(self):
        """The dispatch as a DOCX (python-docx): the same document as the PDF, on A4 with the
        margins of Decree 30, in Times New Roman."""
        self.ensure_one()
        dispatch = self.with_context(lang=self._document_lang())
        document = DispatchDocx(dispatch._document_values(), dispatch.env._).build()
        stream = io.BytesIO()
        document.save(stream)
        return stream.getvalue()


class HyTask(models.Model):
    """The urges of a task, as the portal shows them to its units."""

    _inherit = "hy.task"  # pylint: disable=consider-merging-classes-inherited

    def _hy_portal_urges(self):
        """The urges of this task as its units read them in the portal: date, channel and
        dispatch number (with the dispatch's id when the user reads it), newest first.

        Units read no ledger: it is read as superuser once the user is checked to read the
        task, and only these three facts come out of it, never a note or a snapshot.
        """
        self.ensure_one()
        task = self.sudo(False)  # the user's own rights, even on a record read as superuser
        if not task.has_access("read"):
            return []
        Ledger = self.env["hy.task.ledger"].sudo()  # sudo: date, channel, number only (above)
        entries = Ledger.with_context(active_test=False).search(
            [("task_id", "=", task.id), ("change", "=", "urge")], order="timestamp desc, id desc"
        )
        channels = dict(Ledger._fields["urge_channel"]._description_selection(self.env))
        dispatch_ids = entries.dispatch_id.ids
        # The dispatches the user reads, searched as the user (the record rules decide).
        readable = (
            set(
                self.env["hy.urge.dispatch"]
                .sudo(False)  # as the user, whoever called: the record rules decide
                .with_context(active_test=False)
                .search([("id", "in", dispatch_ids)])
                .ids
            )
            if dispatch_ids
            else set()
        )
        return [
            {
                "date": entry.date,
                "channel": channels.get(entry.new_value, entry.new_value or ""),
                "number": entry.dispatch_id.number or "",
                "dispatch_id": entry.dispatch_id.id if entry.dispatch_id.id in readable else False,
            }
            for entry in entries
        ]
