import io
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
        workbook = xlsxwriter.Workbook(
            output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
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
        Entry = self.env["hy.report.entry"]
        entries = Entry.search([("period_id", "=", period.id), ("is_classified", "=", False)])
        # sudo: the entries were searched as the user, so record rules chose the units whose
        # tasks this sheet lists; a task counted for a unit may have moved to another unit
        # since the report was approved, yet it stays one of the unit's frozen figures. Only
        # tasks of normal directives are read (is_classified is False above).
        tasks = entries.task_id.sudo().with_context(active_test=False)  # see above
        tasks.fetch(["reference", "name", "deadline", "date_assigned", "date_done", "directive_id"])
        tasks.directive_id.fetch(["name", "number"])
        labels = {
            "status_category": dict(
                Entry._fields["status_category"]._description_selection(self.env)
            ),
            "quality": dict(Entry._fields["quality"]._description_selection(self.env)),
            "effectiveness": dict(Entry._fields["effectiveness"]._description_selection(self.env)),
        }
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
        ]
        sheet.set_row(0, 30)
        for index, header in enumerate(headers):
            self._write_text(sheet, 0, index, header, formats["header"])
        units = {line.unit_id.id: line.unit_id.name for line in period.line_ids}
        yes = _("Yes")
        row = 0
        for row, entry in enumerate(entries, start=1):
            task = entry.task_id.sudo()  # the frozen figures' tasks, as read above
            values = [
                units.get(entry.unit_id.id, ""),
                task.reference,
                task.directive_id.display_name,
                task.name or "",
            ]
            for index, value in enumerate(values):
                self._write_text(sheet, row, index, value, formats["cell"])
            days = ((4, task.date_assigned), (5, entry.deadline), (6, entry.date_done))
            for index, day in days:
                if day:
                    sheet.write_datetime(row, index, day, formats["date"])
                else:
                    sheet.write_blank(row, index, None, formats["cell"])
            self._write_text(
                sheet,
                row,
                7,
                labels["status_category"].get(entry.status_category, ""),
                formats["cell"],
            )
            if entry.status_category == "done_late":
                sheet.write_number(row, 8, entry.delay_days, formats["int"])
                calendar_days = (entry.date_done - entry.deadline).days
                sheet.write_number(row, 9, calendar_days, formats["int"])
            else:
                sheet.write_blank(row, 8, None, formats["cell"])
                sheet.write_blank(row, 9, None, formats["cell"])
            quality = labels["quality"].get(entry.quality, "")
            self._write_text(sheet, row, 10, quality, formats["cell"])
            effectiveness = labels["effectiveness"].get(entry.effectiveness, "")
            self._write_text(sheet, row, 11, effectiveness, formats["cell"])
            flags = (
                entry.is_returned,
                entry.is_transferred_in,
                entry.is_transferred_out,
                entry.is_extended,
            )
            for index, flag in enumerate(flags, start=12):
                self._write_text(sheet, row, index, yes if flag else "", formats["cell"])
            for index, days in ((16, entry.unit_days), (17, entry.office_days)):
                if entry.counted and period.turns_counted:
                    sheet.write_number(row, index, days, formats["int"])
                else:
                    sheet.write_blank(row, index, None, formats["cell"])
        last = max(row, 1)
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
        sheet.set_column(8, 17, 11)
        sheet.freeze_panes(1, 2)
        sheet.autofilter(0, 0, last, len(headers) - 1)
        self._print_setup(sheet, 0)

    @staticmethod
    def _print_setup(sheet, header_row):
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(header_row)
        sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
