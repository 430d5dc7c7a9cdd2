"""Malformed requests and files, from a seeded generator: never a 500, never half a write."""

import base64
import copy
import io
import json
import logging
import random
import time
from collections import Counter
from datetime import date
from urllib.parse import quote

import openpyxl
from openpyxl.utils.exceptions import IllegalCharacterError

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..wizard.hy_directive_import import COLUMNS, SHEET_TASKS
from .test_api import TestApiCommon

_logger = logging.getLogger(__name__)

SEED = 20260610
API_REQUESTS = 400
FILES = 100
ODD_TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\x1b[31m",
    "\u202eevil",
    "😀" * 3,
    "x" * 300,
    "y" * 70,
    "'; DROP TABLE hy_task; --",
    "<script>alert(1)</script>",
    "%(name)s {0}",
    "2026-02-29",
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "31/12/2026",
    "T-SNV",
    "T-PTH",
    "NV-2026-00001",
    "normal",
    "secret",
    "province",
]


class Fuzzer:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def value(self, depth=0):
        rng = self.rng
        kind = rng.randrange(12 if depth < 3 else 9)
        if kind == 0:
            return None
        if kind == 1:
            return rng.choice([True, False])
        if kind == 2:
            return rng.choice([0, -1, 1, 50, 100, 101, 2**31, 2**63, -(2**70)])
        if kind == 3:
            return rng.choice([0.5, -0.0, 1e308, 99.999])
        if kind in (4, 5, 6):
            return rng.choice(ODD_TEXTS)
        if kind == 7:
            return "".join(chr(rng.randrange(1, 0x3000)) for _i in range(rng.randrange(1, 12)))
        if kind == 8:
            return str(rng.randrange(10**6))
        if kind == 9:
            return [self.value(depth + 1) for _i in range(rng.randrange(4))]
        if kind == 10:
            return {rng.choice(ODD_TEXTS + ["name", "progress"]): self.value(depth + 1)}
        nested = "deep"
        for _i in range(rng.randrange(5, 60)):
            nested = [nested]
        return nested

    def paths(self, node, prefix=()):
        yield prefix
        if isinstance(node, dict):
            for key, child in node.items():
                yield from self.paths(child, (*prefix, key))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from self.paths(child, (*prefix, index))

    def mutate(self, payload):
        payload = copy.deepcopy(payload)
        for _step in range(self.rng.randrange(1, 4)):
            path = self.rng.choice(list(self.paths(payload))[1:] or [()])
            if not path:
                return self.value()
            *parents, last = path
            node = payload
            for part in parents:
                node = node[part]
            action = self.rng.randrange(4)
            if action == 0 and isinstance(node, dict):
                del node[last]
            elif action == 1 and isinstance(node, dict):
                node[self.rng.choice(ODD_TEXTS + ["extra"])] = self.value()
            elif action == 2 and isinstance(node, list):
                node.append(copy.deepcopy(node[last]))
            else:
                node[last] = self.value()
        return payload

    def raw(self, payload):
        """A body that is not (valid) JSON, or JSON that is not an object."""
        text = json.dumps(payload)
        choice = self.rng.randrange(7)
        if choice == 0:
            return text[: self.rng.randrange(len(text))].encode()
        if choice == 1:
            return bytes(self.rng.randrange(256) for _i in range(self.rng.randrange(1, 200)))
        if choice == 2:
            return text.encode("utf-16")
        if choice == 3:
            return ("[" * 100000 + "]" * 100000).encode()
        if choice == 4:
            return json.dumps([payload]).encode()
        if choice == 5:
            return text.replace('"system"', '"system": NaN, "x"', 1).encode()
        return b'{"system": "vbdh", "system": ' + text.encode() + b"}"


@tagged("post_install", "-at_install")
class TestApiFuzz(TestApiCommon):
    def _case(self, fuzz, payloads, update):
        """One request: (method, path, body bytes or None, key, content type)."""
        rng = fuzz.rng
        payload = rng.choice(payloads)
        pick = rng.randrange(100)
        key = self.key_officer
        ctype = "application/json"
        if pick < 45:
            method, path = "POST", "/directives"
            body = json.dumps(fuzz.mutate(payload)).encode()
        elif pick < 55:
            method, path, body = "POST", "/directives", fuzz.raw(payload)
        elif pick < 75:
            method, key = "POST", self.key_a
            reference = rng.choice(
                [self.task_a.reference, self.task_b.reference, "x%00y", "..", ""]
            )
            path = f"/tasks/{quote(reference, safe='')}/updates"
            body = json.dumps(fuzz.mutate(update)).encode()
            if rng.randrange(5) == 0:
                body = fuzz.raw(update)
        elif pick < 92:
            method, body = "GET", None
            endpoint = rng.choice(["/tasks", "/status-changes", f"/tasks/{self.task_a.reference}"])
            name = rng.choice(["limit", "cursor", "changed_since", "since", "page", "limit"])
            value = fuzz.value()
            value = value if isinstance(value, str) else json.dumps(value)
            path = f"{endpoint}?{quote(name)}={quote(value, safe='', errors='surrogatepass')}"
        else:
            method, path = "POST", "/directives"
            body = json.dumps(fuzz.mutate(payload)).encode()
            key = rng.choice([None, "", "x" * 300, self.key_a[:20], "Bearer"])
        if rng.randrange(15) == 0:
            ctype = rng.choice(["text/plain", "application/x-www-form-urlencoded", ""])
        return method, path, body, key, ctype

    def test_malformed_requests_never_fail_with_500_nor_write_half(self):
        fuzz = Fuzzer(SEED)
        # a normal and a classified directive, the fuzzer picks one for each request
        payload = [
            self._payload(ref="FUZZ-1", number="88/CT-UBND"),
            self._payload(ref="FUZZ-2", number="89/QĐ-UBND", level="confidential"),
        ]
        update = {"progress": 40, "note": "Đang triển khai", "external_ref": "fuzz-update"}
        statuses, started = Counter(), time.time()
        for index in range(API_REQUESTS):
            method, path, body, key, ctype = self._case(fuzz, payload, update)
            before = self._counts()
            response = self._api(method, path, key=key, raw=body, ctype=ctype)
            statuses[response.status_code] += 1
            self.assertLess(
                response.status_code, 500, f"request {index}: {method} {path} {body!r:.300}"
            )
            self.assertEqual(
                response.headers.get("Content-Type"), "application/json; charset=utf-8", index
            )
            if response.status_code >= 400:
                self.assertIn("error", response.json())
                self.assertEqual(self._counts(), before, f"request {index} wrote something")
            else:
                self.assertNotIn("error", response.json(), f"request {index} answered")
        _logger.info(
            "API fuzz: %s requests in %.1fs, statuses %s",
            API_REQUESTS,
            time.time() - started,
            dict(sorted(statuses.items())),
        )
        self.assertGreater(sum(n for s, n in statuses.items() if s >= 400), API_REQUESTS // 2)
        # Both branches above ran: some requests were answered.
        self.assertTrue(sum(n for s, n in statuses.items() if s < 400))

    def test_malformed_files_never_crash_nor_write_half(self):
        fuzz = Fuzzer(SEED + 1)
        rng = fuzz.rng
        Import = self.env["hy.directive.import"].with_user(self.officer)
        template = Import._template_xlsx()
        good = [
            "91/CT-UBND",
            "Chỉ thị",
            date(2026, 5, 4),
            "Trần Quốc Văn",
            "UBND tỉnh",
            "Thường",
            "Trích yếu",
            None,
            self.division.code,
            "Nội dung",
            "Nhiệm vụ cụ thể khác",
            self.unit_a.code,
            self.unit_b.code,
            date(2026, 12, 31),
        ]
        outcomes, started = Counter(), time.time()
        # sudo: every row counts, whoever may read it
        Directive = self.env["hy.directive"].sudo()  # sudo: what the import wrote, all of it
        Directive = Directive.with_context(active_test=False)
        Task = self.env["hy.task"].sudo().with_context(active_test=False)  # sudo: as above
        for index in range(FILES):
            data, rows = self._fuzz_file(rng, fuzz, template, good)
            directives, tasks = Directive.search([]), Task.search([])
            wizard = Import.create({"file": base64.b64encode(data), "import_valid_rows": False})
            try:
                wizard.action_import()
                outcomes[wizard.state] += 1
                failed = wizard.state == "error"
            except UserError:
                outcomes["refused"] += 1
                failed = True
            new_directives, new_tasks = Directive.search([]) - directives, Task.search([]) - tasks
            if failed:
                self.assertFalse(new_directives, f"file {index} wrote a directive")
                self.assertFalse(new_tasks, f"file {index} wrote a task")
            else:
                self._assert_imported(wizard, rows, new_directives, new_tasks, f"file {index}")
        _logger.info(
            "Import fuzz: %s files in %.1fs, outcomes %s",
            FILES,
            time.time() - started,
            dict(outcomes),
        )
        # Both branches above ran: some files imported, others did not.
        self.assertTrue(outcomes["done"])
        self.assertTrue(outcomes["error"] + outcomes["refused"])

    def _assert_imported(self, wizard, rows, directives, tasks, name):
        """What an import that succeeded holds: each of the file's ``rows`` a new task or one
        already recorded (a file with a wrong row imports nothing), the officer told exactly
        what was written, each new directive with its tasks, each new task a draft followed
        by its directive's division."""
        self.assertEqual(wizard.state, "done", name)
        self.assertTrue(rows, f"{name}: a file without task rows was imported")
        self.assertLessEqual(len(tasks), rows, name)
        self.assertIn(
            f"Imported: {len(directives)} new directives and {len(tasks)} new tasks; "
            f"{rows - len(tasks)} tasks already recorded were skipped; 0 rows with errors",
            wizard.result_message,
            name,
        )
        self.assertFalse(wizard.error_details, name)
        self.assertLessEqual(directives, tasks.directive_id, f"{name}: a directive without task")
        for task in tasks:
            self.assertEqual(task.state, "draft", name)
            self.assertTrue(task.lead_unit_id, name)
            self.assertEqual(task.followup_unit_id, task.directive_id.followup_unit_id, name)

    def _fuzz_file(self, rng, fuzz, template, good):
        """A file made from the template, damaged: (its bytes, how many task rows it holds)."""
        choice = rng.randrange(4)
        if choice == 0:
            return bytes(rng.randrange(256) for _i in range(rng.randrange(1, 3000))), 0
        if choice == 1:
            return template[: rng.randrange(len(template))], 0
        book = openpyxl.load_workbook(io.BytesIO(template))
        sheet = book[SHEET_TASKS]
        end = rng.randrange(3, 9)
        for row in range(2, end):
            values = list(good)
            for _i in range(rng.randrange(4)):  # no damage at all, at times
                values[rng.randrange(len(values))] = fuzz.value()
            for col, value in enumerate(values[: len(COLUMNS)], start=1):
                if isinstance(value, list | dict):
                    value = json.dumps(value)
                try:
                    sheet.cell(row=row, column=col, value=value)
                except (IllegalCharacterError, ValueError, TypeError):
                    sheet.cell(row=row, column=col, value="?")
        if choice == 3:
            # a header renamed or emptied
            column = rng.randrange(1, len(COLUMNS) + 1)
            sheet.cell(row=1, column=column, value=rng.choice(["x", None, "Ngày", "number"]))
        output = io.BytesIO()
        try:
            book.save(output)
        except (IllegalCharacterError, ValueError, TypeError, UnicodeEncodeError):
            return template, 0
        return output.getvalue(), end - 2
