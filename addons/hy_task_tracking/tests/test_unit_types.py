from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..controllers.api_openapi import openapi_document
from .common import TestHyCommon
from .test_api import TestApiCommon
from .test_import import TestImportCommon


@tagged("post_install", "-at_install")
class TestUnitTypes(TestHyCommon):
    """The units of the two-level local government (since 1 July 2025)."""

    def _units(self, user=None):
        return self.env["hy.unit"].with_user(user or self.officer)

    def test_new_types_are_offered_and_district_is_not(self):
        Unit = self._units()
        for unit_type in ("department", "commune", "ward", "special_zone", "other"):
            unit = Unit.create(
                {"name": f"Đơn vị {unit_type}", "code": unit_type, "unit_type": unit_type}
            )
            self.assertEqual(unit.unit_type, unit_type)
        labels = dict(self.env["hy.unit"]._fields["unit_type"]._description_selection(self.env))
        self.assertEqual(labels["district"], "District (before 1 July 2025)")
        self.assertEqual(labels["department"], "Provincial department / agency")
        with self.assertRaisesRegex(ValidationError, "Districts no longer exist since 1 July 2025"):
            Unit.create({"name": "UBND huyện Văn Lâm", "code": "T-VL", "unit_type": "district"})
        # a default is a value given too
        with self.assertRaisesRegex(ValidationError, "cannot be recorded as a district"):
            Unit.with_context(default_unit_type="district").create(
                {"name": "UBND huyện Ân Thi", "code": "T-AT"}
            )

    def test_no_unit_becomes_a_district(self):
        commune = self._units().create(
            {"name": "Xã Tân Hưng", "code": "T-TH", "unit_type": "commune"}
        )
        with self.assertRaisesRegex(
            ValidationError, "Xã Tân Hưng cannot be recorded as a district"
        ):
            commune.write({"unit_type": "district"})
        with self.assertRaisesRegex(ValidationError, "cannot be recorded as a district"):
            (commune | self.unit_off).with_user(self.officer).write({"unit_type": "district"})
        self.assertEqual(commune.unit_type, "commune")

    def test_an_existing_district_stays_valid(self):
        district = self.unit_off.with_user(self.officer)
        self.assertEqual(district.unit_type, "district")
        district.write({"name": "UBND huyện Kim Động (cũ)", "unit_type": "district"})
        district.write({"connected": True})
        self.assertEqual(
            (district.unit_type, district.name), ("district", "UBND huyện Kim Động (cũ)")
        )
        # and it may become what it is now
        district.write({"unit_type": "commune"})
        self.assertEqual(district.unit_type, "commune")
        with self.assertRaises(ValidationError):
            district.write({"unit_type": "district"})

    def test_identifier_code_is_normalised(self):
        unit = self._units().create(
            {
                "name": "Sở Y tế",
                "code": "T-SYT",
                "unit_type": "department",
                "identifier_code": "  000.00.12.h27 ",
            }
        )
        self.assertEqual(unit.identifier_code, "000.00.12.H27")
        unit.write({"identifier_code": " h27.12"})
        self.assertEqual(unit.identifier_code, "H27.12")
        unit.write({"identifier_code": "   "})
        self.assertFalse(unit.identifier_code)
        # units without a code are many
        self.unit_a.identifier_code = ""
        self.assertFalse(self.unit_a.identifier_code)

    def test_identifier_code_is_unique_archived_units_included(self):
        self.unit_a.identifier_code = "000.00.01.H27"
        Unit = self._units()
        with self.assertRaisesRegex(
            ValidationError, "000.00.01.H27 is already the code of unit Sở Nội vụ"
        ):
            Unit.create({"name": "Sở Y tế", "code": "T-SYT", "identifier_code": "000.00.01.h27"})
        with self.assertRaisesRegex(ValidationError, "already the code of unit Sở Nội vụ"):
            self.unit_b.with_user(self.officer).write({"identifier_code": "000.00.01.H27"})
        self.unit_a.with_user(self.officer).action_archive()
        with self.assertRaisesRegex(
            ValidationError, "already the code of the archived unit Sở Nội vụ"
        ):
            self.unit_b.with_user(self.officer).write({"identifier_code": "000.00.01.H27"})
        with self.assertRaisesRegex(
            ValidationError, "Two units cannot share the identifier code H27.02"
        ):
            Unit.create(
                [
                    {"name": "Sở Y tế", "code": "T-SYT", "identifier_code": "H27.02"},
                    {"name": "Sở Xây dựng", "code": "T-SXD", "identifier_code": "h27.02"},
                ]
            )
        # a unit keeps its own code; the database refuses a duplicate whatever the path
        self.unit_a.with_user(self.officer).write({"identifier_code": "000.00.01.H27"})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE hy_unit SET identifier_code = '000.00.01.H27' WHERE id = %s",
                [self.unit_b.id],
            )
        self.assertFalse(self.unit_a.copy({"code": "T-SNV-2"}).identifier_code)

    def test_identifier_code_format_follows_the_national_structure(self):
        unit = self.unit_a.with_user(self.officer)
        for good in ("H27", "000.00.01.H27", "H27.01", "G01.01.02", "A" * 35):
            unit.write({"identifier_code": good})
            self.assertEqual(unit.identifier_code, good)
        for bad in ("H27..01", ".H27", "H27.", "H27 01", "H27-01", "ĐH.01", "A" * 36, "H27/01"):
            with (
                self.subTest(code=bad),
                self.assertRaisesRegex(
                    ValidationError,
                    "of unit Sở Nội vụ does not follow the national structure "
                    r"\(Decision 20/2020/QĐ-TTg\)",
                ),
            ):
                unit.write({"identifier_code": bad})

    def test_only_the_office_gives_the_identifier_code(self):
        with self.assertRaises(AccessError):
            self.unit_a.with_user(self.user_a).write({"identifier_code": "H27.05"})
        self.unit_a.with_user(self.officer).write({"identifier_code": "H27.05"})
        self.assertEqual(self.unit_a.identifier_code, "H27.05")

    def test_unit_pickers_find_a_unit_by_identifier_code(self):
        self.unit_a.identifier_code = "000.00.01.H27"
        self.unit_b.identifier_code = "000.00.02.H27"
        for user in (self.officer, self.user_a, self.portal_a):
            Unit = self.env["hy.unit"].with_user(user)
            found = [unit_id for unit_id, _name in Unit.name_search("000.00.01.H27")]
            self.assertEqual(found, [self.unit_a.id], user.login)
        both = {unit_id for unit_id, _name in self.env["hy.unit"].name_search("h27", limit=100)}
        self.assertLessEqual({self.unit_a.id, self.unit_b.id}, both)
        # by name and by code as before
        self.assertIn(self.unit_a.id, [i for i, _n in self.env["hy.unit"].name_search("Sở Nội vụ")])
        self.assertIn(self.unit_a.id, [i for i, _n in self.env["hy.unit"].name_search("T-SNV")])


@tagged("post_install", "-at_install")
class TestUnitIdentifierApi(TestApiCommon):
    def setUp(self):
        super().setUp()
        self.unit_a.identifier_code = "000.00.01.H27"
        self.unit_b.identifier_code = "H27.02"

    def test_lead_and_support_units_by_identifier_code(self):
        payload = self._payload()
        payload["tasks"][0]["lead_unit_code"] = "000.00.01.H27"
        payload["tasks"][0]["support_unit_codes"] = ["H27.02"]
        payload["tasks"][1]["lead_unit_code"] = self.unit_b.code  # codes still work
        response = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(response.status_code, 201, response.text)
        directive = self.env["hy.directive"].browse(response.json()["directive"]["id"])
        first, second = directive.task_ids.sorted("sequence_in_directive")
        self.assertEqual((first.lead_unit_id, first.support_unit_ids), (self.unit_a, self.unit_b))
        self.assertEqual(second.lead_unit_id, self.unit_b)

        # the task gives its units' identifier codes
        answer = self._api("GET", f"/tasks/{first.reference}", key=self.key_officer)
        self.assertEqual(answer.status_code, 200, answer.text)
        data = answer.json()
        self._check_schema(data, "Task")
        self.assertEqual(data["lead_unit_code"], self.unit_a.code)
        self.assertEqual(data["lead_unit_identifier_code"], "000.00.01.H27")
        self.assertEqual(data["support_unit_identifier_codes"], ["H27.02"])
        self.unit_b.identifier_code = False
        data = self._api("GET", f"/tasks/{second.reference}", key=self.key_officer).json()
        self.assertIsNone(data["lead_unit_identifier_code"])

    def test_unknown_identifier_code_is_refused(self):
        payload = self._payload()
        payload["tasks"][0]["lead_unit_code"] = "000.00.99.H27"
        response = self._api("POST", "/directives", payload, self.key_officer)
        self._assert_error(response, 400, "validation_error", "tasks[0].lead_unit_code")
        # an archived unit's identifier code names no unit a task can be given to
        self.unit_b.action_archive()
        payload = self._payload()
        payload["tasks"][0]["support_unit_codes"] = ["H27.02"]
        response = self._api("POST", "/directives", payload, self.key_officer)
        self._assert_error(response, 400, "validation_error", "tasks[0].support_unit_codes[0]")

    def test_the_document_says_identifier_codes_are_accepted(self):
        document = openapi_document(self.env)
        self.assertEqual(document["info"]["version"], "1.5.0")
        lead = document["components"]["schemas"]["TaskInput"]["properties"]["lead_unit_code"]
        self.assertIn("000.00.01.H27", lead["enum"])
        self.assertIn(self.unit_a.code, lead["enum"])
        self.assertIn("identifier code", lead["description"])
        task = document["components"]["schemas"]["Task"]["properties"]
        self.assertIn("lead_unit_identifier_code", task)


@tagged("post_install", "-at_install")
class TestUnitIdentifierImport(TestImportCommon):
    def test_unit_cells_hold_a_code_an_identifier_code_or_a_name(self):
        self.unit_a.identifier_code = "000.00.01.H27"
        self.unit_b.identifier_code = "H27.02"
        commune = self.env["hy.unit"].create(
            {"name": "Xã Hoàng Hoa Thám (thử)", "code": "T-HHT", "unit_type": "commune"}
        )
        rows = [
            self._row(lead_unit="000.00.01.h27", support_units=f"H27.02, {self.unit_off.code}"),
            self._row(task_name="Báo cáo kết quả thực hiện", lead_unit=" xã hoàng hoa thám (thử)"),
        ]
        wizard = self._import(self._xlsx(rows))
        self.assertEqual(wizard.state, "done", wizard.error_details)
        directive = self.env["hy.directive"].search([("number", "=", "25/CT-UBND")])
        first, second = directive.task_ids.sorted("sequence_in_directive")
        self.assertEqual(first.lead_unit_id, self.unit_a)
        self.assertEqual(first.support_unit_ids, self.unit_b | self.unit_off)
        self.assertEqual(second.lead_unit_id, commune)

    def test_a_name_two_units_share_names_neither(self):
        for code in ("T-TH-1", "T-TH-2"):
            self.env["hy.unit"].create(
                {"name": "Xã Tân Hưng (thử)", "code": code, "unit_type": "commune"}
            )
        wizard = self._import(self._xlsx([self._row(lead_unit="Xã Tân Hưng (thử)")]))
        self.assertEqual(wizard.state, "error")
        self.assertIn("Unknown unit code “Xã Tân Hưng (thử)”", wizard.error_details)
