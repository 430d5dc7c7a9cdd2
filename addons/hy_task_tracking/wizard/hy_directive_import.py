import base64
import io
import logging
import re
import unicodedata
from collections import defaultdict
from datetime import date, datetime

import openpyxl
import xlsxwriter
from openpyxl.utils.datetime import from_excel

from odoo import _, fields, models
from odoo.exceptions import UserError

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS_SHOWN = 200
SHEET_TASKS = "Nhiệm vụ"
SHEET_LISTS = "Danh mục"
SHEET_HELP = "Hướng dẫn"
TEMPLATE_FILENAME = "mau_nhap_van_ban_nhiem_vu.xlsx"
DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# (key, Vietnamese header of the template, column width, required)
COLUMNS = [
    ("number", "Số, ký hiệu văn bản", 20, True),
    ("name", "Tên loại văn bản", 16, True),
    ("issue_date", "Ngày ban hành", 14, True),
    ("signer", "Người ký", 20, True),
    ("authority", "Cơ quan giao nhiệm vụ", 22, True),
    ("security_level", "Độ mật", 12, False),
    ("summary", "Trích yếu", 40, False),
    ("submitting_unit", "Mã đơn vị trình", 14, False),
    ("followup_unit", "Mã phòng theo dõi", 14, False),
    ("task_name", "Nội dung nhiệm vụ", 50, False),
    ("kind", "Loại nhiệm vụ", 30, False),
    ("lead_unit", "Mã đơn vị chủ trì", 16, True),
    ("support_units", "Mã đơn vị phối hợp", 20, False),
    ("deadline", "Hạn hoàn thành", 14, False),
]
HEADERS = {key: header for key, header, _width, _required in COLUMNS}
# The template's words for the selections, as in the Vietnamese translation of the module.
AUTHORITY_LABELS = {
    "government": "Chính phủ",
    "prime_minister": "Thủ tướng Chính phủ",
    "province": "UBND tỉnh",
    "province_chairman": "Chủ tịch UBND tỉnh",
}
LEVEL_LABELS = {
    "normal": "Thường",
    "confidential": "Mật",
    "secret": "Tối mật",
    "top_secret": "Tuyệt mật",
}
KIND_LABELS = {
    "scheme": "Xây dựng, trình đề án",
    "report": "Xây dựng, trình báo cáo",
    "project": "Xây dựng, trình dự án",
    "normative_document": "Xây dựng văn bản quy phạm pháp luật",
    "administrative_document": "Xây dựng văn bản hành chính",
    "other": "Nhiệm vụ cụ thể khác",
}
DIRECTIVE_FIELDS = (
    "name",
    "issue_date",
    "signer",
    "security_level",
    "summary",
    "submitting_unit",
    "followup_unit",
)
HELP_LINES = [
    (
        "Mỗi dòng của trang “Nhiệm vụ” là một nhiệm vụ; các nhiệm vụ của cùng một văn bản "
        "ghi lặp lại thông tin văn bản (số, ký hiệu; cơ quan giao; ngày ban hành...)."
    ),
    "Cột có dấu (*) là bắt buộc. Ngày ghi theo dạng dd/mm/yyyy.",
    "Cơ quan giao nhiệm vụ, Độ mật, Loại nhiệm vụ: chọn trong danh sách (trang “Danh mục”).",
    "Mã đơn vị: xem trang “Danh mục”; nhiều đơn vị phối hợp cách nhau bởi dấu phẩy.",
    (
        "Văn bản mật, tối mật, tuyệt mật: KHÔNG ghi trích yếu và nội dung nhiệm vụ (Điều 7 "
        "khoản 2); chỉ ghi đơn vị chủ trì, đơn vị phối hợp, hạn hoàn thành của từng nhiệm vụ."
    ),
    (
        "Nhập lại cùng một tệp không tạo trùng: văn bản cùng số, cơ quan giao và năm ban hành, "
        "nhiệm vụ cùng nội dung và đơn vị chủ trì đã có sẽ được bỏ qua."
    ),
]

_logger = logging.getLogger(__name__)


def normalize(value):
    """Text to compare headers and list values: no accents, case or extra spaces."""
    value = unicodedata.normalize("NFKD", str(value or "")).replace("đ", "d").replace("Đ", "D")
    value = "".join(char for char in value if not unicodedata.combining(char))
    return re.sub(r"[\s(*)]+", " ", value).strip().lower()


def task_key(directive_key, vals):
    """What makes a task "the same" on reimport: its content and lead unit (a classified task
    has no content: its lead unit, deadline and kind)."""
    content = " ".join((vals["name"] or "").split())
    if content:
        return (directive_key, content, vals["lead_unit_id"])
    return (directive_key, None, vals["lead_unit_id"], vals["deadline"], vals["kind"])


class HyDirectiveImport(models.TransientModel):
    """Import directive documents and their tasks from the module's XLSX template."""

    _name = "hy.directive.import"
    _description = "Import Directives and Tasks"

    file = fields.Binary(string="XLSX File", attachment=False)
    filename = fields.Char()
    import_valid_rows = fields.Boolean(
        string="Import the valid rows only",
        help="Unchecked: a file with any wrong row imports nothing. Checked: the valid rows "
        "are imported and the wrong ones are listed.",
    )
    assign_tasks = fields.Boolean(
        string="Assign the tasks",
        help="Send the imported tasks to their lead units at once; otherwise they stay drafts.",
    )
    state = fields.Selection(
        [("draft", "To import"), ("error", "Errors found"), ("done", "Imported")],
        default="draft",
        required=True,
    )
    result_message = fields.Text(readonly=True)
    error_details = fields.Text(readonly=True)
    template_file = fields.Binary(readonly=True, attachment=False)
    template_filename = fields.Char(default=TEMPLATE_FILENAME)

    # ------------------------------------------------------------------ buttons

    def action_download_template(self):
        self.ensure_one()
        self.template_file = base64.b64encode(self._template_xlsx())
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/template_file/"
            f"{TEMPLATE_FILENAME}?download=true",
            "target": "self",
        }

    def action_import(self):
        """Import the file; whatever the outcome (imported, rows with errors, a file that
        cannot be read, an unexpected error), the uploaded file is not kept."""
        self.ensure_one()
        if not self.file:
            raise UserError(_("Please choose the file to import."))
        data = base64.b64decode(self.file)
        try:
            with self.env.cr.savepoint():
                vals = self._import_data(data)
        except UserError as error:
            vals = {"state": "error", "result_message": str(error), "error_details": False}
        except Exception:
            _logger.exception("Import of %s failed", self.filename)
            vals = {
                "state": "error",
                "result_message": _(
                    "The file could not be imported and nothing was written. Check that it is "
                    "the module's template, then import it again."
                ),
                "error_details": False,
            }
        self.write(dict(vals, file=False))
        return self._reopen()

    def _import_data(self, data):
        """Check and import the rows of ``data``; the values the wizard shows afterwards."""
        rows = self._read_rows(data)
        plan, errors = self._check_rows(rows)
        if errors and not self.import_valid_rows:
            return {
                "state": "error",
                "result_message": _(
                    "%(count)s rows hold errors: nothing was imported. Correct them and "
                    "import the file again, or tick “Import the valid rows only”.",
                    count=len({row for row, _message in errors}),
                ),
                "error_details": self._format_errors(errors),
            }
        counts = self._import_plan(plan)
        return {
            "state": "done",
            "result_message": _(
                "Imported: %(directives)s new directives and %(tasks)s new tasks; "
                "%(skipped)s tasks already recorded were skipped; %(wrong)s rows with errors "
                "were left out.",
                directives=counts["directives"],
                tasks=counts["tasks"],
                skipped=counts["skipped"],
                wrong=len({row for row, _message in errors}),
            ),
            "error_details": self._format_errors(errors) if errors else False,
        }

    def action_reset(self):
        self.write({"state": "draft", "result_message": False, "error_details": False})
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------------ template

    def _template_xlsx(self):
        """The template, made on the fly with the units the user sees today."""
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        head = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#D9E1F2"}
        )
        required_head = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "bg_color": "#FCE4D6",
            }
        )
        date_format = book.add_format({"num_format": "dd/mm/yyyy"})
        text_format = book.add_format({"num_format": "@", "text_wrap": True})
        sheet = book.add_worksheet(SHEET_TASKS)
        lists = book.add_worksheet(SHEET_LISTS)
        guide = book.add_worksheet(SHEET_HELP)
        units = self.env["hy.unit"].search([])
        list_columns = [
            ("Cơ quan giao nhiệm vụ", list(AUTHORITY_LABELS.values())),
            ("Độ mật", list(LEVEL_LABELS.values())),
            ("Loại nhiệm vụ", list(KIND_LABELS.values())),
            ("Mã đơn vị", units.mapped("code")),
            ("Tên đơn vị", units.mapped("name")),
        ]
        for col, (title, values) in enumerate(list_columns):
            lists.write(0, col, title, head)
            lists.set_column(col, col, 34)
            for row, value in enumerate(values, start=1):
                lists.write_string(row, col, value)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 36)
        for col, (key, header, width, required) in enumerate(COLUMNS):
            title = f"{header} (*)" if required else header
            sheet.write(0, col, title, required_head if required else head)
            is_date = key in ("issue_date", "deadline")
            sheet.set_column(col, col, width, date_format if is_date else text_format)
            if is_date:
                sheet.data_validation(
                    1,
                    col,
                    MAX_ROWS,
                    col,
                    {"validate": "date", "criteria": ">", "value": date(1900, 1, 1)},
                )
        validations = {"authority": 0, "security_level": 1, "kind": 2, "lead_unit": 3}
        keys = [key for key, *_rest in COLUMNS]
        for key, list_col in validations.items():
            count = len(list_columns[list_col][1]) or 1
            letter = chr(ord("A") + list_col)
            col = keys.index(key)
            sheet.data_validation(
                1,
                col,
                MAX_ROWS,
                col,
                {
                    "validate": "list",
                    "source": f"='{SHEET_LISTS}'!${letter}$2:${letter}${count + 1}",
                },
            )
        guide.set_column(0, 0, 120)
        guide.write(0, 0, "Hướng dẫn nhập văn bản và nhiệm vụ", head)
        for row, line in enumerate(HELP_LINES, start=1):
            guide.write_string(row, 0, f"{row}. {line}", text_format)
        book.close()
        return output.getvalue()

    # ------------------------------------------------------------------ reading

    def _read_rows(self, data):
        """The filled rows of the file as {key: cell value}, with their row number."""
        if len(data) > MAX_FILE_SIZE:
            raise UserError(
                _("The file is larger than %s MB: split it.", MAX_FILE_SIZE // (1024 * 1024))
            )
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # a damaged file fails in many ways
            raise UserError(
                _("The file is not an XLSX workbook: download the template and fill it in.")
            ) from error
        try:
            sheet = book[SHEET_TASKS] if SHEET_TASKS in book.sheetnames else book.worksheets[0]
            rows = self._sheet_rows(sheet)
        except UserError:
            raise
        except Exception as error:
            raise UserError(
                _("The file is not an XLSX workbook: download the template and fill it in.")
            ) from error
        finally:
            book.close()
        if not rows:
            raise UserError(_("The file holds no task."))
        return rows

    def _sheet_rows(self, sheet):
        iterator = sheet.iter_rows(max_col=len(COLUMNS) + 20, values_only=True)
        header = next(iterator, None) or ()
        known = {normalize(title): key for key, title, _width, _required in COLUMNS}
        known.update({normalize(key): key for key in HEADERS})
        positions = {}
        for index, title in enumerate(header):
            key = known.get(normalize(title))
            if key and key not in positions:
                positions[key] = index
        for key, title, _width, required in COLUMNS:
            if required and key not in positions:
                raise UserError(
                    _("The sheet has no column “%s”: use the template of this wizard.", title)
                )
        rows = []
        for number, values in enumerate(iterator, start=2):
            if number > MAX_ROWS + 1:
                raise UserError(_("The file holds more than %s rows: split it.", MAX_ROWS))
            cells = {
                key: values[index] if index < len(values) else None
                for key, index in positions.items()
            }
            if any(value not in (None, "") and str(value).strip() for value in cells.values()):
                rows.append((number, cells))
        return rows

    # ------------------------------------------------------------------ checking

    def _cell_text(self, cells, key, max_size=256):
        value = cells.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime | date):
            value = value.strftime("%d/%m/%Y")
        value = str(value).strip()
        if len(value) > max_size:
            raise ValueError(_("Too long: at most %s characters.", max_size))
        if any(c not in "\t\n\r" and unicodedata.category(c) in ("Cc", "Cs") for c in value):
            raise ValueError(_("Contains characters that are not allowed."))
        return value

    def _cell_date(self, cells, key, required=False):
        value = cells.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ValueError(_("This cell is required."))
            return False
        if isinstance(value, datetime):
            parsed = value.date()
        elif isinstance(value, date):
            parsed = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            try:
                parsed = from_excel(value).date() if 1 <= value < 2958466 else None
            except (ValueError, OverflowError, TypeError):
                parsed = None
        else:
            parsed = self._parse_date_text(str(value).strip())
        if not parsed or not 1900 <= parsed.year <= 2999:
            raise ValueError(_("Not a date: write it as dd/mm/yyyy."))
        return parsed

    def _parse_date_text(self, text):
        """dd/mm/yyyy (also with - or .) or yyyy-mm-dd; None when it is not a real date."""
        if match := DAY_FIRST.fullmatch(text):
            day, month, year = match.groups()
        elif match := YEAR_FIRST.fullmatch(text):
            year, month, day = match.groups()
        else:
            return None
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            return None

    def _cell_choice(self, cells, key, labels, default):
        text = self._cell_text(cells, key)
        if not text:
            if default:
                return default
            raise ValueError(_("This cell is required."))
        wanted = normalize(text)
        for value, label in labels.items():
            if wanted in (normalize(value), normalize(label)):
                return value
        raise ValueError(
            _(
                "Unknown value “%(value)s”. Choose one of: %(values)s.",
                value=text,
                values=", ".join(labels.values()),
            )
        )

    def _cell_unit(self, code, units, division=False):
        unit = units.get(code)
        if not unit:
            raise ValueError(_("Unknown unit code “%s”.", code))
        if division != (unit.unit_type == "office_division"):
            raise ValueError(
                _("Unit %s is not a follow-up division of the Office.", code)
                if division
                else _("Unit %s is a division of the Office: it cannot execute tasks.", code)
            )
        return unit

    def _check_cell(self, errors, number, key, check, *args):
        """Run ``check``; on a wrong value, note the error of the cell and return None."""
        try:
            return check(*args)
        except ValueError as error:
            errors.append(self._cell_error(number, key, error.args[0]))
            return None

    def _cell_error(self, number, key, message):
        return (
            number,
            _(
                "Row %(row)s, column “%(column)s”: %(message)s",
                row=number,
                column=HEADERS[key],
                message=message,
            ),
        )

    def _check_row(self, number, cells, units):
        """Parse one row: (directive values, task values, errors)."""
        errors = []

        def text(key, required=False, max_size=256):
            value = self._cell_text(cells, key, max_size)
            if required and not value:
                raise ValueError(self.env._("This cell is required."))
            return value

        def unit(key, division=False, required=False):
            code = text(key, required)
            return self._cell_unit(code, units, division) if code else None

        def support():
            codes = [c.strip() for c in re.split(r"[,;\n]", text("support_units")) if c.strip()]
            return [self._cell_unit(code, units) for code in dict.fromkeys(codes)]

        cell = self._check_cell
        directive = {
            "number": cell(errors, number, "number", text, "number", True, 64),
            "name": cell(errors, number, "name", text, "name", True),
            "issue_date": cell(
                errors, number, "issue_date", self._cell_date, cells, "issue_date", True
            ),
            "signer": cell(errors, number, "signer", text, "signer", True),
            "authority": cell(
                errors,
                number,
                "authority",
                self._cell_choice,
                cells,
                "authority",
                AUTHORITY_LABELS,
                None,
            ),
            "security_level": cell(
                errors,
                number,
                "security_level",
                self._cell_choice,
                cells,
                "security_level",
                LEVEL_LABELS,
                "normal",
            ),
            "summary": cell(errors, number, "summary", text, "summary", False, 10000),
            "submitting_unit": cell(errors, number, "submitting_unit", unit, "submitting_unit"),
            "followup_unit": cell(errors, number, "followup_unit", unit, "followup_unit", True),
        }
        lead = cell(errors, number, "lead_unit", unit, "lead_unit", False, True)
        task = {
            "name": cell(errors, number, "task_name", text, "task_name", False, 10000),
            "kind": cell(
                errors, number, "kind", self._cell_choice, cells, "kind", KIND_LABELS, "other"
            ),
            "lead_unit_id": lead.id if lead else None,
            "support_unit_ids": [
                u.id for u in cell(errors, number, "support_units", support) or []
            ],
            "deadline": cell(errors, number, "deadline", self._cell_date, cells, "deadline"),
        }
        errors.extend(self._check_row_rules(number, directive, task))
        return directive, task, errors

    def _check_row_rules(self, number, directive, task):
        """Rules across cells: classified content, deadline, lead and coordinating units."""
        errors = []

        def error(key, message):
            errors.append(self._cell_error(number, key, message))

        classified = directive["security_level"] not in (None, "normal")
        if classified and directive["summary"]:
            error(
                "summary",
                _(
                    "The directive is classified: its summary must not be recorded in the "
                    "software (Art. 7.2)."
                ),
            )
        if (
            classified
            and directive["name"]
            and not self.env["hy.directive"]._type_from_name(directive["name"])
        ):
            error(
                "name",
                _(
                    "The directive is classified: it is named by its type only (e.g. Quyết định, "
                    "Chỉ thị, Kế hoạch), without any other words (Art. 7.2)."
                ),
            )
        if classified and task["name"]:
            error(
                "task_name",
                _(
                    "The directive is classified: the content of its tasks must not be "
                    "recorded in the software (Art. 7.2)."
                ),
            )
        if directive["security_level"] == "normal" and task["name"] == "":
            error("task_name", _("The content of the task is required."))
        issue_date, deadline = directive["issue_date"], task["deadline"]
        if deadline and issue_date and deadline < issue_date:
            error(
                "deadline",
                _(
                    "The deadline cannot be before the issue date of the directive (%s).",
                    issue_date.strftime("%d/%m/%Y"),
                ),
            )
        if task["lead_unit_id"] and task["lead_unit_id"] in (task["support_unit_ids"] or []):
            error("support_units", _("The lead unit cannot also be a coordinating unit."))
        return errors

    def _check_rows(self, rows):
        """Check every row before anything is written.

        Returns the plan ({directive key: (directive values, existing directive,
        [(row, task values)])}) of the valid rows, and the errors as (row, message).
        """
        units = {unit.code: unit for unit in self.env["hy.unit"].search([])}
        plan, errors, first_row = {}, [], {}
        Directive = self.env["hy.directive"].with_context(active_test=False)
        for number, cells in rows:
            directive, task, row_errors = self._check_row(number, cells, units)
            if not row_errors:
                key = (directive["number"], directive["authority"], directive["issue_date"].year)
                row_errors = self._check_directive(number, key, directive, plan, first_row)
                if not row_errors and key not in plan:
                    existing = Directive.search(
                        [
                            ("number", "=", key[0]),
                            ("authority", "=", key[1]),
                            ("issue_year", "=", key[2]),
                        ],
                        limit=1,
                    )
                    row_errors = self._check_existing(number, key, directive, existing)
                    if not row_errors:
                        plan[key] = (directive, existing, [])
                        first_row[key] = (number, directive)
            if row_errors:
                errors.extend(row_errors)
            else:
                plan[key][2].append((number, task))
        return plan, errors

    def _check_directive(self, number, key, directive, plan, first_row):
        """Rows of one directive must agree on its data."""
        if key not in first_row:
            return []
        row, first = first_row[key]
        different = [name for name in DIRECTIVE_FIELDS if directive[name] != first[name]]
        if not different:
            return []
        return [
            (
                number,
                _(
                    "Row %(row)s: the data of directive %(number)s differ from row %(first)s "
                    "(%(columns)s).",
                    row=number,
                    number=key[0],
                    first=row,
                    columns=", ".join(HEADERS[name] for name in different),
                ),
            )
        ]

    def _check_existing(self, number, key, directive, existing):
        if not existing:
            # sudo: count only, to answer clearly instead of failing on the unique constraint
            # for a directive recorded above the user's clearance.
            hidden = (
                self.env["hy.directive"]
                .sudo()  # sudo: see the comment above
                .with_context(active_test=False)
                .search_count(
                    [
                        ("number", "=", key[0]),
                        ("authority", "=", key[1]),
                        ("issue_year", "=", key[2]),
                    ],
                    limit=1,
                )
            )
            if hidden:
                return [
                    (
                        number,
                        _(
                            "Row %(row)s: a directive numbered %(number)s of this authority and "
                            "year is already recorded.",
                            row=number,
                            number=key[0],
                        ),
                    )
                ]
            return []
        if existing.security_level != directive["security_level"]:
            return [
                (
                    number,
                    _(
                        "Row %(row)s: directive %(number)s is already recorded with another "
                        "security level.",
                        row=number,
                        number=key[0],
                    ),
                )
            ]
        return []

    # ------------------------------------------------------------------ importing

    def _import_plan(self, plan):
        """Create what is missing; skip what a previous import of the same rows created."""
        counts = {"directives": 0, "tasks": 0, "skipped": 0}
        Task = self.env["hy.task"].with_context(active_test=False)
        created = Task
        with self.env.cr.savepoint():
            for key, (values, directive, rows) in plan.items():
                if not directive:
                    directive = self.env["hy.directive"].create(
                        {
                            "name": values["name"],
                            "number": values["number"],
                            "issue_date": values["issue_date"],
                            "signer": values["signer"],
                            "authority": values["authority"],
                            "security_level": values["security_level"],
                            "summary": values["summary"] or False,
                            "submitting_unit_id": values["submitting_unit"].id
                            if values["submitting_unit"]
                            else False,
                            "followup_unit_id": values["followup_unit"].id
                            if values["followup_unit"]
                            else False,
                        }
                    )
                    counts["directives"] += 1
                existing = defaultdict(int)
                for task in directive.with_context(active_test=False).task_ids:
                    existing[task_key(key, self._task_vals_of(task))] += 1
                vals_list = []
                for _row, vals in rows:
                    identity = task_key(key, vals)
                    if existing[identity]:
                        existing[identity] -= 1
                        counts["skipped"] += 1
                        continue
                    vals_list.append(
                        {
                            "directive_id": directive.id,
                            "name": vals["name"] or False,
                            "kind": vals["kind"],
                            "lead_unit_id": vals["lead_unit_id"],
                            "support_unit_ids": [(6, 0, vals["support_unit_ids"])],
                            "deadline": vals["deadline"],
                            "followup_unit_id": directive.followup_unit_id.id,
                        }
                    )
                created |= Task.create(vals_list)
            counts["tasks"] = len(created)
            if self.assign_tasks and created:
                self.env["hy.api"]._api_track_new_records(created)
                created.action_assign()
            self.env.flush_all()
        return counts

    def _task_vals_of(self, task):
        return {
            "name": task.name,
            "lead_unit_id": task.lead_unit_id.id,
            "deadline": task.deadline,
            "kind": task.kind,
        }

    def _format_errors(self, errors):
        lines = [message for _row, message in sorted(errors, key=lambda e: e[0])]
        if len(lines) > MAX_ERRORS_SHOWN:
            more = len(lines) - MAX_ERRORS_SHOWN
            lines = lines[:MAX_ERRORS_SHOWN] + [_("... and %s more errors.", more)]
        return "\n".join(lines)
