from odoo import api, fields, models


class HySentMark(models.Model):
    """What a nightly job has already sent, and to whom: a digest of a week to a leader, a
    reminder of a report deadline to a unit. A rerun of the job (after a failure, or run by
    hand) sends only to the others. Written by the jobs only (hy.write.guard: nothing
    declared); the Office managers read it."""

    _name = "hy.sent.mark"
    _description = "Already Sent"
    _inherit = ["hy.write.guard"]
    _order = "date desc, id desc"
    _log_access = False

    key = fields.Char(
        required=True,
        readonly=True,
        index=True,
        help="What was sent, e.g. digest.week.2026-06-14 or report_reminder.2026-06-20.",
    )
    res_model = fields.Char(string="Recipient Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Recipient", model_field="res_model", required=True, readonly=True
    )
    date = fields.Datetime(string="Sent On", default=fields.Datetime.now, readonly=True)

    _sql_constraints = [
        (
            "key_recipient_unique",
            "UNIQUE(key, res_model, res_id)",
            "This was already sent to this recipient.",
        ),
    ]

    @api.model
    def _marked(self, key, recipients):
        """The ``recipients`` (a recordset) that ``key`` was already sent to."""
        # sudo: the marks are the jobs' own bookkeeping, whoever runs them.
        marks = self.sudo().search(  # sudo: the jobs' own bookkeeping
            [
                ("key", "=", key),
                ("res_model", "=", recipients._name),
                ("res_id", "in", recipients.ids),
            ]
        )
        return recipients.browse(set(marks.mapped("res_id")))

    @api.model
    def _mark(self, key, recipients):
        """Record that ``key`` was sent to ``recipients``."""
        todo = recipients - self._marked(key, recipients)
        # sudo: see _marked.
        return self.sudo().create(  # sudo: the jobs' own bookkeeping
            [
                {"key": key, "res_model": recipient._name, "res_id": recipient.id}
                for recipient in todo
            ]
        )
