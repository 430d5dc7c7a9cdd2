"""Every field of every model × every role × create / write / unlink, against the declaration.

The registry is walked, not a list of fields: a field or a model added tomorrow is in the
matrix without touching this file, refused to everyone until the declaration names it.
"""

import base64
import logging
from collections import Counter
from pathlib import Path

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.hy_write_guard import ROLE_GROUPS
from .common import TestHyCommon

# Set by the ORM itself: no user gives them.
MAGIC_FIELDS = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}
ADDONS = Path(__file__).resolve().parents[2]
TABLE_START = "<!-- write-access-table: start -->"
TABLE_END = "<!-- write-access-table: end -->"

_logger = logging.getLogger(__name__)


class _Undo(Exception):
    """Raised to roll back what an allowed cell wrote."""


class WriteMatrixCase(TestHyCommon):
    """One user per role; subclasses give a record of each model for write and unlink."""

    module = "hy_task_tracking"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles = {
            "portal unit member": cls.portal_a,
            "internal unit user": cls.user_a,
            "officer without clearance": cls.officer_uncleared,
            "cleared officer": cls.officer,
            "Office manager": cls.manager,
            "leadership": cls.leader,
        }
        cls.task_in_progress = cls._task(state="in_progress")

    @classmethod
    def _models(cls):
        """The concrete models of this module (the transient ones included)."""
        return sorted(
            name
            for name, model in cls.env.registry.items()
            if name.startswith("hy.")
            and not model._abstract
            and model._original_module == cls.module
        )

    # {model: record} written and deleted by every role (visible to all who may), set by
    # each module's class; the other models' records are found, the transient ones created.
    records_by_model = {}

    def _records(self):
        return self.records_by_model

    @staticmethod
    def _declared_roles(user):
        return {role for role, group in ROLE_GROUPS if user.has_group(group)}

    def _sample(self, record, field):
        """A value of the right type for ``field`` (what it is matters only when allowed)."""
        kind = field.type
        if kind in ("char", "text", "html"):
            return "Nội dung thử"
        if kind in ("integer", "many2one_reference"):
            return 1
        if kind in ("float", "monetary"):
            return 1.0
        if kind == "boolean":
            return not record[field.name] if record else True
        if kind == "date":
            return "2026-12-01"
        if kind == "datetime":
            return "2026-12-01 03:00:00"
        if kind == "selection":
            values = [key for key, _label in field._description_selection(self.env)]
            current = record[field.name] if record else None
            return next((value for value in values if value != current), values[0])
        if kind == "many2one":
            # The record's own value, or a record every role reads: a task of the unit of
            # the unit's users, which a unit may name.
            if record and record[field.name]:
                return record[field.name].id
            known = {"hy.task": self.task_in_progress, "hy.unit": self.unit_a}
            if field.comodel_name in known:
                return known[field.comodel_name].id
            return self.env[field.comodel_name].sudo().search([], limit=1).id  # sudo: any id
        if kind == "many2many":
            return [Command.set([])]
        if kind == "one2many":
            return []
        if kind == "binary":
            return base64.b64encode(b"%PDF-1.4 test").decode()
        return False

    def _guard_answer(self, action):
        """'refused' when the server answers an access error, else 'allowed' (the guard let the
        values through; a business rule may still have answered). Nothing stays written."""
        try:
            # An allowed cell may give a value alone, without the record's required fields:
            # PostgreSQL's refusal is the expected answer, not a server error to log.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                action()
                self.env.flush_all()
                raise _Undo
        except _Undo:
            return "allowed"
        except AccessError:
            return "refused"
        except Exception:  # noqa: BLE001 - any other answer is not the guard's refusal
            return "allowed"
        finally:
            self.env.invalidate_all()

    def _walk(self):
        records = self._records()
        cells = Counter()
        for model_name in self._models():
            model = self.env[model_name]
            with self.subTest(model=model_name):
                self.assertTrue(
                    hasattr(model, "_hy_allowed_fields"),
                    f"{model_name} does not declare who may write what (hy.write.guard)",
                )
            if not hasattr(model, "_hy_allowed_fields"):
                continue
            record = records.get(model_name)
            if record is None and not model._transient:
                # Any record will do for the models a test gives none of (logs, job status).
                record = model.sudo().search([], limit=1).sudo(False) or None  # sudo: any record
            for role, user in self.roles.items():
                roles = self._declared_roles(user)
                # What the declaration allows, where the access rights let the user in at all.
                Access = self.env["ir.model.access"].with_user(user)
                creatable = model._hy_allowed_fields("create", frozenset(roles))
                writable = model._hy_allowed_fields("write", frozenset(roles))
                if not Access.check(model_name, "create", raise_exception=False):
                    creatable = set()
                if not Access.check(model_name, "write", raise_exception=False):
                    writable = set()
                may_unlink = bool(model._hy_unlink_roles & roles) and Access.check(
                    model_name, "unlink", raise_exception=False
                )
                as_user = model.with_user(user)
                for fname, field in model._fields.items():
                    if fname in MAGIC_FIELDS:
                        continue
                    value = self._sample(record, field)
                    expected = "allowed" if fname in creatable else "refused"
                    with self.subTest(model=model_name, role=role, op="create", field=fname):
                        self.assertEqual(
                            self._guard_answer(
                                lambda m=as_user, f=fname, v=value: m.create({f: v})
                            ),
                            expected,
                        )
                    cells["create"] += 1
                    if record is None:
                        continue
                    expected = "allowed" if fname in writable else "refused"
                    target = record.with_user(user)
                    with self.subTest(model=model_name, role=role, op="write", field=fname):
                        self.assertEqual(
                            self._guard_answer(lambda r=target, f=fname, v=value: r.write({f: v})),
                            expected,
                        )
                    cells["write"] += 1
                if record is not None:
                    expected = "allowed" if may_unlink else "refused"
                    target = record.with_user(user)
                    with self.subTest(model=model_name, role=role, op="unlink"):
                        self.assertEqual(self._guard_answer(lambda r=target: r.unlink()), expected)
                    cells["unlink"] += 1
        return cells

    def _check_every_cell(self):
        cells = self._walk()
        self.assertGreater(sum(cells.values()), 500)
        # The size of the matrix, in the test log.
        _logger.info(
            "write matrix of %s: %s, %s cells", self.module, dict(cells), sum(cells.values())
        )

    def _check_readme(self):
        table = self.env["hy.write.guard"]._hy_write_access_table(self.module)
        readme = ADDONS / self.module / "readme" / "USAGE.md"
        text = readme.read_text()
        start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
        self.assertEqual(
            text[start:end].strip(),
            table.strip(),
            f"{readme}: put this table between the markers:\n{table}",
        )


@tagged("post_install", "-at_install", "hy_write_matrix")
class TestWriteDeclaration(WriteMatrixCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        task = cls.task_in_progress
        su = cls.env
        # A draft urging dispatch: what the Office still writes (a sent one is the register's).
        cls.urge_dispatch = su["hy.urge.dispatch"]._hy_prepare_for_tasks(task)
        cls.extension = su["hy.task.extension"].create(
            {"task_id": task.id, "new_deadline": "2027-01-31", "reason": "Chờ số liệu"}
        )
        cls.update = su["hy.task.update"]._post_update(task, 40, "Đã họp triển khai")
        cls.info_request = su["hy.task.info.request"].create(
            {"task_id": task.id, "question": "Đề nghị gửi số liệu", "due_date": "2099-12-31"}
        )
        cls.records_by_model = {
            "hy.urge.dispatch": cls.urge_dispatch,
            "hy.urge.dispatch.line": cls.urge_dispatch.line_ids,
            "hy.unit": cls.unit_a,
            "hy.directive": cls.directive,
            "hy.task": task,
            "hy.task.extension": cls.extension,
            "hy.task.update": cls.update,
            "hy.task.info.request": cls.info_request,
            "hy.task.ledger": task.ledger_ids[:1],
            "hy.external.reference": su["hy.external.reference"].create(
                {"system": "vbdh", "res_model": "hy.task", "res_id": task.id, "external_ref": "X1"}
            ),
        }

    def test_every_field_of_every_model_by_every_role(self):
        self._check_every_cell()

    def test_readme_shows_the_declaration(self):
        self._check_readme()
