import io
import re
from types import SimpleNamespace

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from odoo import api, models

from ..models.report_figures import (
    CATEGORY_ORDER,
    COUNT_FIELDS,
    EFFECTIVENESS_KEYS,
    QUALITY_KEYS,
    RATE_FIELDS,
    SUM_FIELDS,
    TURN_FIGURES,
    URGE_FIGURES,
    quality_count_points,
)

# Columns of sheet 1 that hold counts read from the snapshot (totals are SUM formulas).
COUNT_COLUMNS = (
    "assigned_count",
    *(f"{key}_count" for key in CATEGORY_ORDER[:2]),
    "awaiting_confirmation_count",
    *(f"{key}_count" for key in CATEGORY_ORDER[2:]),
    "no_deadline_count",
    "done_no_deadline_count",
    "rated_count",
    "returned_count",
    "transferred_in_count",
    "transferred_out_count",
    "extended_count",
    "classified_count",
    *(f"quality_{key}_count" for key in QUALITY_KEYS),
    *(f"effectiveness_{key}_count" for key in EFFECTIVENESS_KEYS),
    "quality_points",
    "total_delay_days",
    "unit_days",
    "office_days",
    "urge_count",
    "urged_task_count",
)
# Columns computed by formulas from the counts, in this order after the counts.
FORMULA_COLUMNS = (
    "done_count",
    "overdue_count",
    "on_time_rate",
    "avg_delay_days",
    "completion_score",
    "quality_score",
    "score",
    "rank",
)
FIRST_FIGURE_COL = 2  # A: No., B: unit
HEADER_ROW = 5  # 0-based: title, period, status, weights, blank, header
# The columns of sheet 2 (the tasks): unit, reference, directive, content, three dates, counted
# as, two delays, two evaluations, four flags, two numbers of working days, the urges within
# the period and the last of them.
TASK_KINDS = (
    ("text",) * 4
    + ("date",) * 3
    + ("text", "int", "int")
    + ("text",) * 6
    + ("int",) * 2
    + ("int", "date")
)
# The format of a cell of each kind that holds a value; an empty one is a bordered blank.
KIND_FORMATS = {"text": "cell", "date": "date", "int": "int"}
# Excel's serial number of a date is its ordinal less this (for days after 28/02/1900).
EXCEL_EPOCH = 693594
# What sheet 2 reads of each task, then of each entry (what the task counted as), in this order.
TASK_COLUMNS = ("reference", "directive_id", "name", "date_assigned")
ENTRY_COLUMNS = (
    "unit_id",
    "deadline",
    "date_done",
    "status_category",
    "delay_days",
    "quality",
    "effectiveness",
    "is_returned",
    "is_transferred_in",
    "is_transferred_out",
    "is_extended",
    "counted",
    "unit_days",
    "office_days",
    "urge_count",
    "last_urge_date",
    "id",
)
# What Excel reads as a character code (escaped as _x005F_ first) or cannot hold in XML, as
# xlsxwriter escapes them; the longest text a cell holds.
XML_CODE = re.compile("(_x[0-9a-fA-F]{4}_)")
XML_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
MAX_TEXT = 32767


class _XmlTexts(dict):
    """{text: its <t> element in a cell of an XLSX sheet}, as xlsxwriter writes an inline
    string; a cache for the texts that repeat (units, directives, labels)."""

    def __missing__(self, key):
        text = key[:MAX_TEXT]
        if "_x" in text or not text.isprintable():
            text = XML_CODE.sub(r"_x005F\1", text)
            text = XML_CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
            text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        element = f"<t{space}>{text}</t>"
        if len(self) < 5000:
            self[key] = element
        return element


class ReportHyReportPeriodXlsx(models.AbstractModel):
    """XLSX export of a report period: the figures with live formulas, and the tasks behind them.

    Written with xlsxwriter (shipped with Odoo). OCA's report_xlsx is not used: it would add a
    dependency for one sheet, and the route below keeps access checks as the current user.
    """

    _name = "report.hy_task_reports.period_xlsx"
    _description = "Task Report (XLSX)"

    @api.model
    def _generate(self, period):
        period.ensure_one()
        period._check_report_access()
        # Like the PDF, a print of a report that counts classified tasks is logged.
        self.env["report.hy_task_reports.report_hy_report_period"]._log_classified_print(period)
        # Like the PDF, the workbook is in Vietnamese whenever Vietnamese is installed.
        lang = period._report_lang()
        return self.with_context(lang=lang)._workbook(period.with_context(lang=lang))

    def _workbook(self, period):
        output = io.BytesIO()
        # Text goes through _write_text(); should a write() slip in, a text that begins with
        # "=" or looks like a link stays text all the same.
        # Constant memory: each row is written out once the next begins (rows in order).
        workbook = xlsxwriter.Workbook(
            output,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        formats = self._formats(workbook)
        self._write_figures(workbook, formats, period)
        self._write_tasks(workbook, formats, period)
        workbook.close()
        return output.getvalue()

    def _formats(self, workbook):
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
        return {
            "title": workbook.add_format(base | {"bold": True, "font_size": 14}),
            "text": workbook.add_format(base),
            "wrap": workbook.add_format(base | {"text_wrap": True}),
            "label": workbook.add_format(base | {"italic": True}),
            "header": workbook.add_format(
                base
                | {
                    "bold": True,
                    "text_wrap": True,
                    "align": "center",
                    "border": 1,
                    "bg_color": "#DDEBF7",
                }
            ),
            "cell": workbook.add_format(base | {"border": 1}),
            "int": workbook.add_format(base | {"border": 1, "num_format": "#,##0"}),
            "dec": workbook.add_format(base | {"border": 1, "num_format": "0.00"}),
            "total": workbook.add_format(base | {"border": 1, "bold": True}),
            "total_int": workbook.add_format(
                base | {"border": 1, "bold": True, "num_format": "#,##0"}
            ),
            "total_dec": workbook.add_format(
                base | {"border": 1, "bold": True, "num_format": "0.00"}
            ),
            "weight": workbook.add_format(base | {"num_format": "0.##", "bold": True}),
            "date": workbook.add_format(base | {"border": 1, "num_format": "dd/mm/yyyy"}),
        }

    def _labels(self, names, period=None):
        Line = self.env["hy.report.line"]
        labels = [Line._fields[name].get_description(self.env)["string"] for name in names]
        if period and period.delay_unit == "calendar":
            # Approved before delays were counted in working days: say what they are.
            calendar = {
                "total_delay_days": self.env._("Total Delay (days)"),
                "avg_delay_days": self.env._("Average Delay (days)"),
            }
            labels = [calendar.get(name, label) for name, label in zip(names, labels, strict=True)]
        return labels

    def _write_figures(self, workbook, formats, period):
        _ = self.env._
        sheet = workbook.add_worksheet(_("Figures by unit"))
        columns = COUNT_COLUMNS + FORMULA_COLUMNS
        col = {name: self._col(name) for name in columns}
        last_col = FIRST_FIGURE_COL + len(columns)  # evaluation text
        lines = period._sorted_lines()
        # The total row adds up the rows listed: the lines the reader reads (my_* totals), a
        # unit's own; the province's totals are the Office's and the leadership's only.
        totals = SimpleNamespace(
            **{name: period[f"my_{name}"] for name in (*COUNT_FIELDS, *SUM_FIELDS, *RATE_FIELDS)}
        )
        # Figures the report did not count yet (approved before 18.0.1.4.0) stay empty cells.
        blank = set() if period.turns_counted else set(TURN_FIGURES)
        if not period.urges_counted:
            # Nor urges, before 18.0.1.6.0.
            blank |= set(URGE_FIGURES)
        first, last = HEADER_ROW + 1, HEADER_ROW + max(len(lines), 1)
        total_row = last + 1

        state = dict(period._fields["state"]._description_selection(self.env))[period.state]
        self._write_text(sheet, 0, 0, period._title(), formats["title"])
        self._write_text(
            sheet,
            1,
            0,
            _(
                "From %(from)s to %(to)s; figures as of %(as_of)s",
                **{
                    "from": period.date_from.strftime("%d/%m/%Y"),
                    "to": period.date_to.strftime("%d/%m/%Y"),
                    "as_of": period._as_of().strftime("%d/%m/%Y"),
                },
            ),
            formats["label"],
        )
        self._write_text(
            sheet,
            2,
            0,
            _("Status: %(state)s, revision %(revision)s", state=state, revision=period.revision),
            formats["label"],
        )
        # Weights of the ranking: the score formulas refer to these cells.
        weights = {}
        for offset, (field, label) in enumerate(
            [
                ("weight_completion", _("Weight: completion")),
                ("weight_quality", _("Weight: quality")),
                ("late_credit", _("Credit of a late result (%)")),
            ]
        ):
            self._write_text(sheet, 3, 2 * offset, label, formats["label"])
            sheet.write_number(3, 2 * offset + 1, period[field], formats["weight"])
            weights[field] = xl_rowcol_to_cell(3, 2 * offset + 1, row_abs=True, col_abs=True)

        headers = [_("No."), _("Unit")] + self._labels(columns, period) + [_("Evaluation")]
        sheet.set_row(HEADER_ROW, 45)
        for index, header in enumerate(headers):
            self._write_text(sheet, HEADER_ROW, index, header, formats["header"])

        for offset, line in enumerate(lines):
            row = first + offset
            sheet.write_number(row, 0, offset + 1, formats["cell"])
            self._write_text(sheet, row, 1, line.unit_id.name, formats["cell"])
            for name in COUNT_COLUMNS:
                if name in blank:
                    sheet.write_blank(row, col[name], None, formats["int"])
                else:
                    value = self._count(period, line, name)
                    sheet.write_number(row, col[name], value, formats["int"])
            self._write_formulas(sheet, formats, row, line, weights, (first, last), False)
            self._write_text(sheet, row, last_col, line.evaluation, formats["wrap"])

        self._write_text(sheet, total_row, 1, _("Total"), formats["total"])
        for name in COUNT_COLUMNS:
            if name in blank:
                sheet.write_blank(total_row, col[name], None, formats["total_int"])
                continue
            letter = xl_col_to_name(col[name])
            sheet.write_formula(
                total_row,
                col[name],
                f"=SUM({letter}{first + 1}:{letter}{last + 1})",
                formats["total_int"],
                self._count(period, totals, name),
            )
        self._write_formulas(sheet, formats, total_row, totals, weights, (first, last), True)
        if period._reads_office_figures():
            self._write_office(sheet, formats, period, total_row + 2)

        sheet.set_column(0, 0, 5)
        sheet.set_column(1, 1, 34)
        sheet.set_column(FIRST_FIGURE_COL, last_col - 1, 11)
        sheet.set_column(last_col, last_col, 50)
        sheet.freeze_panes(HEADER_ROW + 1, 2)
        sheet.autofilter(HEADER_ROW, 0, last, last_col)
        self._print_setup(sheet, HEADER_ROW)

    @staticmethod
    def _count(period, record, name):
        """The value of count column ``name`` of a line (or of the totals). The evaluation points
        of a report computed before they were summed apart are those of its quality counts,
        which then counted the confirmed results only."""
        if name == "quality_points" and not period.turns_counted:
            names = [f"quality_{key}_count" for key in QUALITY_KEYS]
            return quality_count_points({name: getattr(record, name) for name in names})
        return getattr(record, name)

    def _write_office(self, sheet, formats, period, top):
        """The Office's own line (whose turn it was), a small table under the units' figures:
        one row per thing it waits for, then the total; "–" when the report did not count it."""
        _ = self.env._
        self._write_text(sheet, top, 1, _("The Office"), formats["title"])
        headers = [
            _("Waiting for the Office"),
            _("Time limit (working days)"),
            _("Times tasks came"),
            _("Beyond the limit"),
            _("Working days with the Office"),
        ]
        for index, header in enumerate(headers, start=1):
            self._write_text(sheet, top + 1, index, header, formats["header"])
        rows = period._office_rows()
        for offset, row in enumerate(rows, start=top + 2):
            total = row["key"] == "total"
            self._write_text(sheet, offset, 1, row["label"], formats["total" if total else "cell"])
            for index, name in enumerate(("limit", "count", "late", "days"), start=2):
                value, fmt = row[name], formats["total_int" if total else "int"]
                if value is None:
                    sheet.write_string(offset, index, "" if total and name == "limit" else "–", fmt)
                else:
                    sheet.write_number(offset, index, value, fmt)

    def _write_formulas(self, sheet, formats, row, record, weights, rows, is_total):
        """Done, overdue, rates, score and rank of one row, as formulas with cached values."""
        dec = formats["total_dec" if is_total else "dec"]
        integer = formats["total_int" if is_total else "int"]
        c = {
            name: xl_rowcol_to_cell(row, self._col(name))
            for name in COUNT_COLUMNS + FORMULA_COLUMNS
        }
        points = c["quality_points"]
        rated = c["rated_count"]
        rate_base = f"({c['done_count']}-{c['done_no_deadline_count']})"
        credit = weights["late_credit"]
        done = record.done_on_time_count + record.done_late_count
        formulas = {
            "done_count": (f"={c['done_on_time_count']}+{c['done_late_count']}", integer, done),
            "overdue_count": (
                f"={c['in_progress_overdue_count']}+{c['not_started_overdue_count']}",
                integer,
                record.in_progress_overdue_count + record.not_started_overdue_count,
            ),
            "on_time_rate": (
                (
                    f'=IF({rate_base}=0,"",ROUND(({c["done_on_time_count"]}'
                    f"-{c['done_no_deadline_count']})/{rate_base}*100,2))"
                ),
                dec,
                record.on_time_rate if done - record.done_no_deadline_count else "",
            ),
            "avg_delay_days": (
                f'=IF({c["done_late_count"]}=0,"",ROUND({c["total_delay_days"]}/{c["done_late_count"]},1))',
                dec,
                record.avg_delay_days if record.done_late_count else "",
            ),
            "completion_score": (
                (
                    f'=IF({rated}=0,"",ROUND(({c["done_on_time_count"]}+{credit}/100*'
                    f"{c['done_late_count']})/{rated}*100,2))"
                ),
                dec,
                record.completion_score if record.rated_count else "",
            ),
            "quality_score": (
                f'=IF({rated}=0,"",ROUND(({points})/{rated},2))',
                dec,
                record.quality_score if record.rated_count else "",
            ),
        }
        if not is_total:
            w_completion, w_quality = weights["weight_completion"], weights["weight_quality"]
            letter = xl_col_to_name(self._col("score"))
            score_range = f"${letter}${rows[0] + 1}:${letter}${rows[1] + 1}"
            formulas["score"] = (
                (
                    f'=IF({rated}=0,"",ROUND(({w_completion}*{c["completion_score"]}+{w_quality}*'
                    f"{c['quality_score']})/({w_completion}+{w_quality}),2))"
                ),
                dec,
                record.score if record.rank else "",
            )
            formulas["rank"] = (
                f'=IF({c["score"]}="","",RANK({c["score"]},{score_range}))',
                integer,
                record.rank or "",
            )
        for name, (formula, fmt, value) in formulas.items():
            sheet.write_formula(row, self._col(name), formula, fmt, value)

    @staticmethod
    def _write_text(sheet, row, col, text, cell_format):
        """Text as a text cell, whatever it holds: write() would turn a unit's name or an
        evaluation beginning with "=" (or "{=...}") into a formula, a link into a hyperlink."""
        if text:
            sheet.write_string(row, col, text, cell_format)
        else:
            sheet.write_blank(row, col, None, cell_format)

    @staticmethod
    def _col(name):
        return FIRST_FIGURE_COL + (COUNT_COLUMNS + FORMULA_COLUMNS).index(name)

    def _write_tasks(self, workbook, formats, period):
        """Sheet 2: the tasks behind the figures; tasks of classified directives as counts."""
        _ = self.env._
        sheet = workbook.add_worksheet(_("Tasks"))
        headers = [
            _("Unit"),
            _("Reference"),
            _("Directive Document"),
            _("Task Content"),
            _("Date Assigned"),
            _("Deadline"),
            _("Date Done"),
            _("Counted As"),
            _("Delay (days)") if period.delay_unit == "calendar" else _("Delay (working days)"),
            # The calendar days too: what a letter to the unit or a court counts in.
            _("Delay (calendar days)"),
            _("Quality Evaluation"),
            _("Effectiveness Evaluation"),
            _("Returned"),
            _("Transferred In"),
            _("Transferred Out"),
            _("Deadline Extended"),
            _("Working Days with the Unit"),
            _("Working Days with the Office"),
            _("Urged in the Period"),
            _("Last Urged"),
        ]
        sheet.set_row(0, 30)
        for index, header in enumerate(headers):
            self._write_text(sheet, 0, index, header, formats["header"])
        last = self._write_rows(sheet, 1, TASK_KINDS, formats, self._task_rows(period))
        last = max(last, 1)
        classified = period.my_classified_count
        self._write_text(
            sheet,
            last + 2,
            0,
            _(
                "Tasks of classified directives, counted in the figures but not listed: %s",
                classified,
            ),
            formats["label"],
        )
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 14)
        sheet.set_column(2, 2, 26)
        sheet.set_column(3, 3, 60)
        sheet.set_column(4, 6, 12)
        sheet.set_column(7, 7, 24)
        sheet.set_column(8, 19, 11)
        sheet.freeze_panes(1, 2)
        sheet.autofilter(0, 0, last, len(headers) - 1)
        self._print_setup(sheet, 0)

    def _task_rows(self, period):
        """The rows of sheet 2, one per task of a normal directive the period counted for the
        units the user may read, as lists of values in the order of TASK_KINDS.

        The tasks are read in one query, whatever their number (then their units' order and
        their directives' names, once each): the entries are searched as the user, so that
        record rules choose the units whose tasks are listed; their tasks are read without
        rules. A task counted for a unit may have moved to another unit since the
        report was approved, yet it stays one of the unit's frozen figures; only tasks of
        normal directives are read (is_classified is False).
        """
        _ = self.env._
        Entry = self.env["hy.report.entry"]
        query = Entry._search([("period_id", "=", period.id), ("is_classified", "=", False)])
        entry = query.table
        task = query.join(entry, "task_id", "hy_task", "id", "task_id")
        # sudo: the tasks of the entries searched above, as said in the docstring.
        Task = self.env["hy.task"].sudo()  # see above
        columns = [
            *(Task._field_to_sql(task, name, query) for name in TASK_COLUMNS),
            *(Entry._field_to_sql(entry, name, query) for name in ENTRY_COLUMNS),
        ]
        # Flushed first (what the query reads), then read in one go.
        rows = self.env.execute_query(query.select(*columns))
        # In the entries' order (period, unit, id), sorted here: the database would sort them
        # by the units' names, on disk for 50,000 tasks.
        Unit = self.env["hy.unit"].with_context(active_test=False)
        # sudo: the units of the entries read above, searched for their order only.
        ordered = Unit.sudo().search([("id", "in", list({row[4] for row in rows}))])  # see above
        rank = {unit_id: index for index, unit_id in enumerate(ordered.ids)}
        rows.sort(key=lambda row: (rank[row[4]], row[-1]))
        # Names read once each: the units of the lines the user reads (as before), and the
        # directives of the tasks listed (their display name: "<name> <number>").
        units = {line.unit_id.id: line.unit_id.name for line in period.line_ids}
        # sudo: the directives of the tasks listed above, read for their name and number.
        directives = self.env["hy.directive"].sudo().with_context(active_test=False)  # see above
        directives = directives.browse(list({row[1] for row in rows if row[1]}))
        directives = {directive.id: directive.display_name for directive in directives}
        Selection = Entry._fields
        labels = {
            name: dict(Selection[name]._description_selection(self.env))
            for name in ("status_category", "quality", "effectiveness")
        }
        yes = _("Yes")
        turns = period.turns_counted
        urges = period.urges_counted
        for (
            reference,
            directive_id,
            name,
            date_assigned,
            unit_id,
            deadline,
            date_done,
            category,
            delay_days,
            quality,
            effectiveness,
            *flags,
            counted,
            unit_days,
            office_days,
            urge_count,
            last_urge_date,
            _entry_id,
        ) in rows:
            late = category == "done_late"
            yield [
                units.get(unit_id, ""),
                reference,
                directives.get(directive_id, ""),
                name,
                date_assigned,
                deadline,
                date_done,
                labels["status_category"].get(category, ""),
                (delay_days or 0) if late else None,
                (date_done - deadline).days if late else None,
                labels["quality"].get(quality, ""),
                labels["effectiveness"].get(effectiveness, ""),
                *(yes if flag else "" for flag in flags),
                (unit_days or 0) if counted and turns else None,
                (office_days or 0) if counted and turns else None,
                (urge_count or 0) if urges else None,
                last_urge_date or None,
            ]

    def _write_rows(self, sheet, first_row, kinds, formats, rows):
        """Write ``rows`` (lists of values, one per column of ``kinds``: "text", "date" or
        "int") from ``first_row`` on, with borders; an empty value is a blank cell. Returns
        the last row written (``first_row - 1`` when there is none).

        In xlsxwriter's constant-memory mode the rows are written as the sheet's XML, in the
        form xlsxwriter itself gives them (inline strings, dates as serial numbers), straight
        into its row file: its per-cell calls cost about 8 µs each, 7 s for 50,000 tasks.
        This uses the few internals of xlsxwriter its own constant-memory writes use (the
        versions Odoo 18 pins: 3.0.2, 3.1.9); without them, or in another mode, the rows go
        cell by cell through its API (tests/test_report_xlsx.py reads both alike).
        """
        if not (
            getattr(sheet, "constant_memory", False)
            and all(
                hasattr(sheet, name)
                for name in ("_write_single_row", "_check_dimensions", "previous_row", "fh")
            )
            and hasattr(formats["cell"], "_get_xf_index")
        ):
            return self._write_rows_by_cell(sheet, first_row, kinds, formats, rows)
        styles = {kind: formats[KIND_FORMATS[kind]]._get_xf_index() for kind in KIND_FORMATS}
        blank_style = formats["cell"]._get_xf_index()
        starts = [
            f'<c r="{xl_col_to_name(col)}%d" s="{styles[kind]}"' for col, kind in enumerate(kinds)
        ]
        blanks = [
            f'<c r="{xl_col_to_name(col)}%d" s="{blank_style}"/>' for col in range(len(kinds))
        ]
        texts = _XmlTexts()
        # The row before is complete: xlsxwriter writes it out, then waits for the next one.
        sheet._write_single_row(first_row)
        write = sheet.fh.write
        row = first_row - 1
        for row, values in enumerate(rows, start=first_row):
            number = row + 1  # 1-based in the XML
            cells = []
            for start, blank, kind, value in zip(starts, blanks, kinds, values, strict=True):
                if value is None or value == "":
                    cells.append(blank % number)
                elif kind == "text":
                    cells.append(f'{start % number} t="inlineStr"><is>{texts[value]}</is></c>')
                elif kind == "date":
                    cells.append(f"{start % number}><v>{value.toordinal() - EXCEL_EPOCH}</v></c>")
                else:
                    cells.append(f"{start % number}><v>{int(value)}</v></c>")
            write(f'<row r="{number}">{"".join(cells)}</row>')
        if row >= first_row:
            sheet._check_dimensions(first_row, 0)
            sheet._check_dimensions(row, len(kinds) - 1)
        # What comes next goes below, as xlsxwriter's own rows would.
        sheet.previous_row = row + 1
        return row

    def _write_rows_by_cell(self, sheet, first_row, kinds, formats, rows):
        """``_write_rows`` through xlsxwriter's API, one call per cell."""
        row = first_row - 1
        for row, values in enumerate(rows, start=first_row):
            for col, (kind, value) in enumerate(zip(kinds, values, strict=True)):
                if value is None or value == "":
                    sheet.write_blank(row, col, None, formats["cell"])
                elif kind == "text":
                    sheet.write_string(row, col, value, formats[KIND_FORMATS[kind]])
                elif kind == "date":
                    sheet.write_datetime(row, col, value, formats[KIND_FORMATS[kind]])
                else:
                    sheet.write_number(row, col, value, formats[KIND_FORMATS[kind]])
        return row

    @staticmethod
    def _print_setup(sheet, header_row):
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(header_row)
        sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
