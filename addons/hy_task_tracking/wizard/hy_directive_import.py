import base64
import functools
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
from odoo.tools.misc import file_path
from odoo.tools.translate import PoFileReader

from ..models.hy_write_guard import OFFICE
from ..tools.api_schema import DIRECTIVE, TASK, Choice, FieldError, ParseContext

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS_SHOWN = 200
SHEET_TASKS = "Nhiệm vụ"
SHEET_LISTS = "Danh mục"
SHEET_HELP = "Hướng dẫn"
TEMPLATE_FILENAME = "mau_nhap_van_ban_nhiem_vu.xlsx"
# A deadline written in days, as directives word it once accents are left out (normalize()):
# "10 ngày làm việc kể từ ngày nhận được văn bản", "30 ngày kể từ ngày giao", "15 ngày".
DAYS_RULE = re.compile(
    r"(?P<days>\d{1,4}) ngay(?P<working> lam viec)?"
    r"(?: (?:ke )?tu ngay (?P<from>nhan|giao)\b.*)?"
)
DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# (key, the API's declaration of the value, Vietnamese header of the template, width): the
# declaration says whether a cell is required, how long it may be and what it may hold.
COLUMNS = [
    ("number", DIRECTIVE["number"], "Số, ký hiệu văn bản", 20),
    ("name", DIRECTIVE["name"], "Tên loại văn bản", 16),
    ("issue_date", DIRECTIVE["issue_date"], "Ngày ban hành", 14),
    ("signer", DIRECTIVE["signer"], "Người ký", 20),
    ("authority", DIRECTIVE["authority"], "Cơ quan giao nhiệm vụ", 22),
    ("security_level", DIRECTIVE["security_level"], "Độ mật", 12),
    ("summary", DIRECTIVE["summary"], "Trích yếu", 40),
    ("submitting_unit", DIRECTIVE["submitting_unit_code"], "Mã đơn vị trình", 14),
    ("followup_unit", DIRECTIVE["followup_unit_code"], "Mã phòng theo dõi", 14),
    ("task_name", TASK["name"], "Nội dung nhiệm vụ", 50),
    ("kind", TASK["kind"], "Loại nhiệm vụ", 30),
    ("lead_unit", TASK["lead_unit_code"], "Mã đơn vị chủ trì", 16),
    ("support_units", TASK["support_unit_codes"], "Mã đơn vị phối hợp", 20),
    ("deadline", TASK["deadline"], "Hạn hoàn thành", 14),
]
HEADERS = {key: header for key, _field, header, _width in COLUMNS}
FIELDS = {key: field for key, field, _header, _width in COLUMNS}
# The API's name of each column's value, to place the API's rule errors in their column.
API_KEYS = {
    "submitting_unit": "submitting_unit_code",
    "followup_unit": "followup_unit_code",
    "task_name": "name",
    "lead_unit": "lead_unit_code",
    "support_units": "support_unit_codes",
}
# The column of each value of the directive and of the task, by its name in the API: the two
# share names ("name"), so each rule error is placed with the map of its own object.
DIRECTIVE_COLUMNS = {
    API_KEYS.get(key, key): key
    for key, field, *_rest in COLUMNS
    if field in DIRECTIVE.fields.values()
}
TASK_COLUMNS = {
    API_KEYS.get(key, key): key for key, field, *_rest in COLUMNS if field in TASK.fields.values()
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
    (
        "Hạn hoàn thành: ghi ngày (dd/mm/yyyy), hoặc số ngày như văn bản giao, ví dụ "
        "“10 ngày làm việc kể từ ngày nhận được văn bản”, “30 ngày kể từ ngày giao”: phần "
        "mềm tính ngày hạn theo lịch làm việc của Văn phòng (bỏ ngày nghỉ, lễ, Tết)."
    ),
    "Cơ quan giao nhiệm vụ, Độ mật, Loại nhiệm vụ: chọn trong danh sách (trang “Danh mục”).",
    (
        "Đơn vị: ghi mã đơn vị, mã định danh điện tử hoặc tên đơn vị (xem trang “Danh mục”); "
        "nhiều đơn vị phối hợp cách nhau bởi dấu phẩy."
    ),
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


@functools.cache
def vietnamese_selection_labels():
    """English → Vietnamese labels of the module's selections, from its vi.po: the template
    is in Vietnamese also on a database without that language."""
    reader = PoFileReader(file_path("hy_task_tracking/i18n/vi.po"))
    return {
        entry["src"]: entry["value"]
        for entry in reader
        if entry.get("imd_model") == "ir.model.fields.selection" and entry["value"]
    }


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
    _inherit = ["hy.write.guard"]
    # Who may write what (hy.write.guard): the officer gives the file and the options; what
    # the import found is written by the import itself.
    _hy_create_fields = dict.fromkeys(
        ("file", "filename", "import_valid_rows", "assign_tasks"), OFFICE
    )
    _hy_write_fields = _hy_create_fields

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
        template = base64.b64encode(self._template_xlsx())
        self.sudo().template_file = template  # sudo: made here, not given by the user
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
        self.sudo().write(dict(vals, file=False))  # sudo: the import's own findings
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
        cleared = {"state": "draft", "result_message": False, "error_details": False}
        self.sudo().write(cleared)  # sudo: the import's own findings, cleared
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
            ("Cơ quan giao nhiệm vụ", list(self._choice_labels("authority").values())),
            ("Độ mật", list(self._choice_labels("security_level").values())),
            ("Loại nhiệm vụ", list(self._choice_labels("kind").values())),
            ("Mã đơn vị", units.mapped("code")),
            ("Tên đơn vị", units.mapped("name")),
            ("Mã định danh", [unit.identifier_code or "" for unit in units]),
        ]
        for col, (title, values) in enumerate(list_columns):
            lists.write(0, col, title, head)
            lists.set_column(col, col, 34)
            for row, value in enumerate(values, start=1):
                lists.write_string(row, col, value)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 36)
        for col, (key, field, header, width) in enumerate(COLUMNS):
            required = field.required
            title = f"{header} (*)" if required else header
            sheet.write(0, col, title, required_head if required else head)
            is_date = key in ("issue_date", "deadline")
            sheet.set_column(col, col, width, date_format if is_date else text_format)
            # The deadline may also be written in days ("10 ngày làm việc kể từ ngày nhận").
            if key == "issue_date":
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
                    # A unit may also be written by its identifier code or its name.
                    **({"show_error": False} if key == "lead_unit" else {}),
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
        not_xlsx = _("The file is not an XLSX workbook: download the template and fill it in.")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # a damaged file fails in many ways
            raise UserError(not_xlsx) from error
        try:
            sheet = book[SHEET_TASKS] if SHEET_TASKS in book.sheetnames else book.worksheets[0]
            rows = self._sheet_rows(sheet)
        except UserError:
            raise
        except Exception as error:
            raise UserError(not_xlsx) from error
        finally:
            book.close()
        if not rows:
            raise UserError(_("The file holds no task."))
        return rows

    def _sheet_rows(self, sheet):
        iterator = sheet.iter_rows(max_col=len(COLUMNS) + 20, values_only=True)
        header = next(iterator, None) or ()
        known = {normalize(title): key for key, _field, title, _width in COLUMNS}
        known.update({normalize(key): key for key in HEADERS})
        positions = {}
        for index, title in enumerate(header):
            key = known.get(normalize(title))
            if key and key not in positions:
                positions[key] = index
        for key, field, title, _width in COLUMNS:
            if field.required and key not in positions:
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

    def _choice_labels(self, key):
        """{selection key: Vietnamese label} of a column of choices (the template's words)."""
        field = FIELDS[key]
        selection = self.env[field.model]._fields[field.field]
        if "vi_VN" in dict(self.env["res.lang"].get_installed()):
            return dict(selection._description_selection(self.with_context(lang="vi_VN").env))
        labels = vietnamese_selection_labels()
        return {value: labels.get(label, label) for value, label in selection.selection}

    def _cell_value(self, cells, key, field):
        """The cell as the API would receive it (a date as YYYY-MM-DD, a choice as its key,
        unit codes as a list), or None when it is empty."""
        value = cells.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            return None
        if key in ("issue_date", "deadline"):
            return self._cell_date(value).isoformat()
        if isinstance(value, datetime | date):
            value = value.strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value).strip()
        if isinstance(field, Choice):
            return self._cell_choice(value, key)
        if key == "support_units":
            codes = [code.strip() for code in re.split(r"[,;\n]", value) if code.strip()]
            return list(dict.fromkeys(codes))
        return value

    def _cell_date(self, value):
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

    def _cell_choice(self, text, key):
        """The key of a choice written as its key or its label in any installed language."""
        labels = self._choice_labels(key)
        wanted = normalize(text)
        field = FIELDS[key]
        selection = self.env[field.model]._fields[field.field]
        for code, _name in self.env["res.lang"].get_installed():
            for value, label in selection._description_selection(self.with_context(lang=code).env):
                if wanted == normalize(label):
                    return value
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

    def _deadline_rule(self, cells):
        """The deadline cell read as a number of (working) days, as the API's
        deadline_rule / deadline_days / deadline_from; None when it is not written so."""
        value = cells.get("deadline")
        match = isinstance(value, str) and DAYS_RULE.fullmatch(normalize(value))
        if not match:
            return None
        return {
            "deadline_rule": "working_days" if match["working"] else "calendar_days",
            "deadline_days": int(match["days"]),
            "deadline_from": "received" if match["from"] == "nhan" else "assigned",
        }

    def _check_row(self, number, cells, ctx):
        """Parse one row with the API's declarations: (directive data, task data, errors),
        the data as the API's checked requests hold them."""
        errors = []
        values = {}
        rule = self._deadline_rule(cells)
        if rule:
            cells = dict(cells, deadline=None)
        for key, field, _header, _width in COLUMNS:
            try:
                value = self._cell_value(cells, key, field)
                if value is None:
                    if field.required:
                        raise ValueError(_("This cell is required."))
                    values[key] = field.absent(key, ctx)
                else:
                    values[key] = field.parse(value, key, ctx)
            except (ValueError, FieldError) as error:
                errors.append(self._cell_error(number, key, error.args[0]))
                values[key] = None
        directive = {name: values[key] for name, key in DIRECTIVE_COLUMNS.items()}
        task = {name: values[key] for name, key in TASK_COLUMNS.items()}
        task.update(rule or {"deadline_rule": "date", "deadline_days": None})
        if not errors:
            # The rules of models/task_rules.py, as the API checks them, each in its column.
            Api = self.env["hy.api"]
            for rules, columns in (
                (Api._api_directive_rule_errors(directive, ""), DIRECTIVE_COLUMNS),
                # a deadline in days is written in the deadline cell
                (
                    Api._api_task_rule_errors(directive, task, ""),
                    dict(TASK_COLUMNS, deadline_days="deadline"),
                ),
            ):
                errors += [
                    self._cell_error(number, columns[field], message)
                    for field, message, _kind in rules
                ]
        return directive, task, errors

    def _check_rows(self, rows):
        """Check every row before anything is written.

        Returns the plan ({directive key: (directive values, existing directive,
        [(row, task values)])}) of the valid rows, and the errors as (row, message).
        """
        # A unit cell holds the unit's code, identifier code or name.
        ctx = ParseContext(self.env, units=self.env["hy.unit"]._hy_unit_keys(names=True))
        plan, errors, first_row = {}, [], {}
        Directive = self.env["hy.directive"].with_context(active_test=False)
        for number, cells in rows:
            directive, task, row_errors = self._check_row(number, cells, ctx)
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
                task_vals = {
                    "name": task["name"],
                    "kind": task["kind"],
                    "lead_unit_id": task["lead_unit_code"].id,
                    "support_unit_ids": task["support_unit_codes"].ids,
                    "deadline": task["deadline"],
                }
                if task["deadline_rule"] != "date":
                    task_vals.update(
                        {key: task[key] for key in ("deadline_rule", "deadline_days")},
                        deadline_from=task["deadline_from"],
                    )
                plan[key][2].append((number, task_vals))
        return plan, errors

    def _check_directive(self, number, key, directive, plan, first_row):
        """Rows of one directive must agree on its data."""
        if key not in first_row:
            return []
        row, first = first_row[key]
        different = [
            key
            for key in DIRECTIVE_FIELDS
            if directive[API_KEYS.get(key, key)] != first[API_KEYS.get(key, key)]
        ]
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
                        self.env["hy.api"]._api_directive_values(values)
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
                            # a deadline in days: its date is computed by the task
                            **{
                                key: vals[key]
                                for key in ("deadline_rule", "deadline_days", "deadline_from")
                                if key in vals
                            },
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
