from collections import defaultdict

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class HyClassifiedAccessLog(models.Model):
    """Append-only trace of who touched classified records, and of changes to our security.

    Rows are written as superuser by the code paths that touch classified records; nobody,
    administrators included, can change or delete them through the ORM.
    """

    _name = "hy.classified.access.log"
    # hy.write.guard with nothing declared: only _log and _log_security_change write it.
    _inherit = ["hy.write.guard"]
    _description = "Classified Access Log"
    _order = "id desc"
    _log_access = False

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, index=True, ondelete="restrict"
    )
    operation = fields.Selection(
        [
            ("read", "Read"),
            ("export", "Export"),
            ("print", "Print"),
            ("status_change", "Status change"),
            ("write", "Change"),
            ("security_change", "Security change"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", readonly=True, index=True)
    record_label = fields.Char(
        string="Record", readonly=True, help="Reference and number only: never content."
    )
    security_level = fields.Char(readonly=True)
    details = fields.Char(readonly=True)

    def write(self, vals):
        self._hy_check_fields("write", vals)
        if self:
            raise UserError(_("The classified access log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(_("The classified access log cannot be deleted."))

    @api.model
    def _log(self, records, operation, details=None):
        """Record that the current user did ``operation`` on the classified ``records``."""
        # sudo: labels are written for records the user may only partly read.
        records = records.sudo()
        if not records or self.env.su and self.env.uid == 1 and operation == "read":
            return self.browse()
        if self.env.cr.readonly:
            # A read-only request served by a replica (db_replica_host): Odoo runs it again
            # on the primary when this is raised, before a failed insert is logged as an error.
            raise psycopg2.errors.ReadOnlySqlTransaction(
                "classified access is logged on the primary"
            )
        # One INSERT for all the rows, however many records a request reads (a grouped view
        # may cover thousands): the ORM would send one per hundred. Written for everyone,
        # including users who may only read the log; nothing here is computed or tracked.
        now = fields.Datetime.now()
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s)",
                now,
                self.env.uid,
                operation,
                record._name,
                record.id,
                record.display_name,
                record.security_level,
                details,
            )
            for record in records
        ]
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (date, user_id, operation, res_model, res_id, record_label, "
                "security_level, details) VALUES %s RETURNING id",
                SQL.identifier(self._table),
                SQL(", ").join(rows),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.sudo().browse(ids)  # sudo: the rows just written, whoever reads

    @api.model
    def _log_membership_changes(self, before, after):
        """Log the unit memberships that differ between ``before`` and ``after`` (sets of
        (unit id, user id)), on both sides: one row per unit naming the logins added and
        removed, one row per user naming the unit codes. Membership opens a unit's tasks
        to its unit users and portal members: a security event, whatever the path."""
        added, removed = after - before, before - after
        if not added and not removed:
            return self.browse()
        by_unit, by_user = defaultdict(list), defaultdict(list)
        for sign, pairs in (("+", added), ("-", removed)):
            for unit_id, user_id in sorted(pairs):
                by_unit[unit_id].append((sign, user_id))
                by_user[user_id].append((sign, unit_id))
        # Labels of archived units and users too, whoever changes the memberships.
        all_units = self.env["hy.unit"].sudo()  # sudo: see the comment above
        all_users = self.env["res.users"].sudo()  # sudo: see the comment above
        units = all_units.with_context(active_test=False).browse(by_unit)
        users = all_users.with_context(active_test=False).browse(by_user)
        code = {unit.id: unit.code for unit in units}
        login = {user.id: user.login for user in users}
        vals_list = [
            {
                "res_model": "hy.unit",
                "res_id": unit_id,
                "record_label": code[unit_id],
                "details": "; ".join(f"{sign} {login[user_id]}" for sign, user_id in changes),
            }
            for unit_id, changes in by_unit.items()
        ] + [
            {
                "res_model": "res.users",
                "res_id": user_id,
                "record_label": login[user_id],
                "details": "; ".join(f"{sign} {code[unit_id]}" for sign, unit_id in changes),
            }
            for user_id, changes in by_user.items()
        ]
        # sudo: see _log_security_change.
        return self.sudo().create(
            [
                dict(
                    vals,
                    user_id=self.env.uid,
                    operation="security_change",
                    details=vals["details"][:1000],
                )
                for vals in vals_list
            ]
        )

    @api.model
    def _log_security_change(self, res_model, res_id, label, details):
        # sudo: see _log; security changes are made by administrators who cannot edit the log.
        return self.sudo().create(
            {
                "user_id": self.env.uid,
                "operation": "security_change",
                "res_model": res_model,
                "res_id": res_id,
                "record_label": label,
                "details": details[:1000] if details else details,
            }
        )
