import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class HyClassifiedAccessLog(models.Model):
    """Append-only trace of who touched classified records, and of changes to our security.

    Rows are written as superuser by the code paths that touch classified records; nobody,
    administrators included, can change or delete them through the ORM.
    """

    _name = "hy.classified.access.log"
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
        # sudo: the log is written for everyone, including users who may only read it.
        return self.sudo().create(
            [
                {
                    "user_id": self.env.uid,
                    "operation": operation,
                    "res_model": record._name,
                    "res_id": record.id,
                    "record_label": record.display_name,
                    "security_level": record.security_level,
                    "details": details,
                }
                for record in records
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
