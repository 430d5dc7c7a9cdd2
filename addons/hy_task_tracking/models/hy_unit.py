import re
from collections import Counter

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .hy_write_guard import MANAGER, OFFICE
from .status_category import OVERDUE_CATEGORIES

# The units of the two-level local government (since 1 July 2025 the province and its
# communes, wards and special zones; districts no longer exist). "district" stays for the
# units recorded before: no new unit is a district.
UNIT_TYPES = [
    ("office_division", "Follow-up division of the Office"),
    ("department", "Provincial department / agency"),
    ("commune", "Commune"),
    ("ward", "Ward"),
    ("special_zone", "Special zone"),
    ("other", "Other"),
    ("district", "District (before 1 July 2025)"),
]
FORMER_UNIT_TYPES = ("district",)
# The electronic identifier code of an agency (mã định danh điện tử), for document exchange:
# Decision 20/2020/QĐ-TTg of the Prime Minister (22 July 2020, amended by Decision
# 09/2025/QĐ-TTg): at most 35 characters, groups of digits 0-9 and capital letters A-Z
# separated by dots, one group per level of the organization. It covers the older form of
# QCVN 102:2016/BTTTT (Circular 10/2016/TT-BTTTT, amended 2022), V1V2V3.Z1Z2.Y1Y2.H## as
# 000.00.01.H27, and the newer one, H27.01.
IDENTIFIER_CODE_MAX_LENGTH = 35
IDENTIFIER_CODE_PATTERN = re.compile(r"[0-9A-Z]+(?:\.[0-9A-Z]+)*")


def normalize_identifier_code(value):
    """The identifier code as stored: without blanks at either end, in capitals; False when
    empty."""
    return (value or "").strip().upper() or False


class UnitKeys(dict):
    """Units by the words that name them ({key: unit}); a key not found as written is looked
    up again without case among identifier codes and names (unit codes match as written)."""

    def __init__(self):
        super().__init__()
        self._folded = {}

    def add(self, key, unit, fold=False):
        self[key] = unit
        if fold:
            self._folded[key.casefold()] = unit

    def get(self, key, default=None):
        found = super().get(key)
        if found is None and isinstance(key, str):
            found = self._folded.get(key.casefold())
        return default if found is None else found


class HyUnit(models.Model):
    """An executing unit (provincial department or agency, commune, ward, special zone) or a
    follow-up division of the Office."""

    _name = "hy.unit"
    _description = "Unit"
    _inherit = ["hy.write.guard", "mail.thread"]
    _parent_store = True
    _order = "unit_type, sequence, name"
    _rec_names_search = ["name", "code", "identifier_code"]
    # Who may write what (hy.write.guard): the Office keeps the list of units; only its
    # managers change who belongs to a unit (membership opens the unit's tasks).
    _hy_create_fields = {
        **dict.fromkeys(
            (
                "name",
                "code",
                "identifier_code",
                "sequence",
                "unit_type",
                "parent_id",
                "partner_id",
                "email",
                "head_user_id",
                "connected",
            ),
            OFFICE,
        ),
        "user_ids": MANAGER,
    }
    _hy_write_fields = {**_hy_create_fields, "active": OFFICE}
    _hy_unlink_roles = MANAGER

    name = fields.Char(required=True, translate=False, tracking=True)
    code = fields.Char(
        required=True, index=True, tracking=True, help="Short unique code, e.g. SNV or UBND-KC."
    )
    identifier_code = fields.Char(
        index=True,
        copy=False,
        tracking=True,
        help="The agency's electronic identifier code for document exchange (mã định danh "
        "điện tử), e.g. 000.00.01.H27 or H27.01: groups of digits and capital letters "
        "separated by dots.",
    )
    sequence = fields.Integer(default=10)
    unit_type = fields.Selection(
        UNIT_TYPES,
        required=True,
        default="department",
        index=True,
        tracking=True,
    )
    parent_id = fields.Many2one("hy.unit", string="Parent Unit", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("hy.unit", "parent_id", string="Sub-units")
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        ondelete="restrict",
        help="The unit's contact: its address and email receive notifications.",
    )
    email = fields.Char(related="partner_id.email", readonly=False)
    user_ids = fields.Many2many(
        "res.users",
        "hy_unit_res_users_rel",
        "unit_id",
        "user_id",
        string="Members",
        help="Internal or portal users who work the unit's tasks.",
    )
    head_user_id = fields.Many2one(
        "res.users",
        string="Head of Unit",
        help="Receives the unit's weekly summary. The head of a follow-up division of the "
        "Office is reminded of the tasks it follows that have no follow-up officer.",
    )
    connected = fields.Boolean(
        default=True,
        tracking=True,
        help="Unchecked when the unit does not use the software: the Office records "
        "progress and results on its behalf (Art. 6.1.b).",
    )
    active = fields.Boolean(default=True, tracking=True)
    lead_task_ids = fields.One2many("hy.task", "lead_unit_id", string="Tasks Led")
    task_count = fields.Integer(compute="_compute_task_counts", string="Tasks")
    overdue_task_count = fields.Integer(compute="_compute_task_counts", string="Overdue Tasks")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The unit code must be unique."),
        # NULL (no code) is not a value: many units may have none. create() and write() name
        # the unit that has a code first; this is the last word, for concurrent requests.
        (
            "identifier_code_unique",
            "unique(identifier_code)",
            "The identifier code must be unique.",
        ),
    ]

    @api.depends("lead_task_ids.progress_status", "lead_task_ids.state")
    def _compute_task_counts(self):
        # One grouped query for all units, read as the current user so counts respect rules.
        # The status shown (progress_status): overdue never counts a task with the Office.
        groups = self.env["hy.task"]._read_group(
            [("lead_unit_id", "in", self.ids), ("state", "not in", ("draft", "cancelled"))],
            ["lead_unit_id", "progress_status"],
            ["__count"],
        )
        totals, overdue = {}, {}
        for unit, category, count in groups:
            totals[unit.id] = totals.get(unit.id, 0) + count
            if category in OVERDUE_CATEGORIES:
                overdue[unit.id] = overdue.get(unit.id, 0) + count
        for unit in self:
            unit.task_count = totals.get(unit.id, 0)
            unit.overdue_task_count = overdue.get(unit.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._hy_normalize_vals(vals) for vals in vals_list]
        codes = [vals["identifier_code"] for vals in vals_list if vals.get("identifier_code")]
        self._hy_check_identifier_codes_free(codes)
        units = super().create(vals_list)
        # After create: a type given by default counts as well as one given in the values.
        units._hy_check_type_offered()
        if any(vals.get("user_ids") for vals in vals_list):
            # The task rules are built from each user's units (security/hy_task_security.xml).
            self.env.registry.clear_cache()
            self.env["hy.classified.access.log"]._log_membership_changes(
                set(), units._hy_memberships()
            )
        return units

    def write(self, vals):
        vals = self._hy_normalize_vals(vals)
        if vals.get("identifier_code"):
            codes = [vals["identifier_code"]] * len(self)
            self._hy_check_identifier_codes_free(codes, exclude=self)
        if vals.get("unit_type") in FORMER_UNIT_TYPES:
            # A unit that already is a district stays one (history); none becomes one.
            self.filtered(lambda unit: unit.unit_type != vals["unit_type"])._hy_check_type_offered(
                vals["unit_type"]
            )
        before = self._hy_memberships() if "user_ids" in vals else None
        res = super().write(vals)
        if {"user_ids", "active"} & set(vals):
            # The task rules are built from each user's units (security/hy_task_security.xml).
            self.env.registry.clear_cache()
        if before is not None:
            self.env["hy.classified.access.log"]._log_membership_changes(
                before, self._hy_memberships()
            )
        return res

    def _hy_memberships(self):
        """{(unit id, user id)} of these units, archived users included: for the access log."""
        # Every member is logged, whoever changes the members.
        units = self.sudo().with_context(active_test=False)  # sudo: see the comment above
        return {(unit.id, user.id) for unit in units for user in unit.user_ids}

    @api.model
    def _hy_normalize_vals(self, vals):
        if "identifier_code" not in vals:
            return vals
        return dict(vals, identifier_code=normalize_identifier_code(vals["identifier_code"]))

    def _hy_check_type_offered(self, new_type=None):
        """No unit takes a former type (a district), created so or changed to it (to
        ``new_type``): a person never picks it; the system may, as superuser (data files,
        migrations, the history of a reorganization)."""
        if self.env.su:
            return
        former = self.filtered(lambda unit: (new_type or unit.unit_type) in FORMER_UNIT_TYPES)
        if former:
            raise ValidationError(
                _(
                    "Districts no longer exist since 1 July 2025 (two-level local "
                    "government): %(unit)s cannot be recorded as a district. Choose a "
                    "provincial department or agency, a commune, a ward, a special zone or "
                    "other.",
                    unit=former[0].name or former[0].code,
                )
            )

    @api.model
    def _hy_check_identifier_codes_free(self, codes, exclude=None):
        """Refuse identifier codes that another unit (archived ones included) or another of
        the given ones has, naming that unit."""
        if not codes:
            return
        seen = set()
        for code in codes:
            if code in seen:
                raise ValidationError(
                    _("Two units cannot share the identifier code %(code)s.", code=code)
                )
            seen.add(code)
        # sudo: the unit that has the code is named, archived or not (the list of units is
        # public: the import template and the public page list them).
        taken = (
            self.sudo()  # sudo: see the comment above
            .with_context(active_test=False)
            .search(
                [("identifier_code", "in", codes), ("id", "not in", (exclude or self).ids)],
                limit=1,
            )
        )
        if taken.active:
            raise ValidationError(
                _(
                    "The identifier code %(code)s is already the code of unit %(unit)s.",
                    code=taken.identifier_code,
                    unit=taken.name,
                )
            )
        if taken:
            raise ValidationError(
                _(
                    "The identifier code %(code)s is already the code of the archived unit "
                    "%(unit)s.",
                    code=taken.identifier_code,
                    unit=taken.name,
                )
            )

    @api.constrains("identifier_code")
    def _check_identifier_code(self):
        for unit in self:
            code = unit.identifier_code
            if code and (
                len(code) > IDENTIFIER_CODE_MAX_LENGTH
                or not IDENTIFIER_CODE_PATTERN.fullmatch(code)
            ):
                raise ValidationError(
                    _(
                        "The identifier code %(code)s of unit %(unit)s does not follow the "
                        "national structure (Decision 20/2020/QĐ-TTg): groups of digits and "
                        "capital letters separated by dots, at most %(max)s characters, e.g. "
                        "000.00.01.H27 or H27.01.",
                        code=code,
                        unit=unit.name,
                        max=IDENTIFIER_CODE_MAX_LENGTH,
                    )
                )

    @api.model
    def _hy_unit_keys(self, names=False):
        """The active units the user sees by code and identifier code, and by name if
        ``names`` (a name two units share names neither): what the API and the XLSX import
        accept for a unit. A unit code wins over an identifier code, which wins over a name."""
        units = self.search([])
        keys = UnitKeys()
        if names:
            counts = Counter(unit.name.strip().casefold() for unit in units)
            for unit in units:
                if counts[unit.name.strip().casefold()] == 1:
                    keys.add(unit.name.strip(), unit, fold=True)
        for unit in units:
            if unit.identifier_code:
                keys.add(unit.identifier_code, unit, fold=True)
        for unit in units:
            keys.add(unit.code, unit)
        return keys

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("A unit cannot be its own parent."))

    @api.depends("code")
    def _compute_display_name(self):
        for unit in self:
            unit.display_name = unit.name or unit.code or ""

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("hy_task_tracking.hy_task_action")
        action["domain"] = [("lead_unit_id", "=", self.id)]
        action["context"] = {"default_lead_unit_id": self.id}
        return action
