from odoo import api, models
from odoo.osv import expression


class HyClassifiedMixin(models.AbstractModel):
    """What every record that may belong to a classified directive does the same way.

    Inheriting models have a stored boolean ``is_classified`` (directives, tasks), or a
    ``task_id`` whose classification they share (a task's extensions, transfers, updates,
    ledger, report entries): reading them is reading their task, and is logged as such.
    Models with a chatter (mail.thread) also get an empty creation message.
    """

    _name = "hy.classified.mixin"
    _description = "Record of a Possibly Classified Directive"

    @api.model
    def _hy_classified_field(self):
        """The stored field telling whether a record belongs to a classified directive."""
        return "is_classified" if "task_id" not in self._fields else "task_id.is_classified"

    def _hy_log_classified(self, operation, details=None):
        """Log ``operation`` on the records of ``self`` that belong to a classified directive,
        one row each (a sub-record is logged as its task, once), in one INSERT."""
        # A directive's or a task's own flag is read as the user, who reads the record (and so
        # from the same cache as the page that shows it). A sub-record's task may be one the
        # user cannot read; its classification decides the log all the same.
        records = self.sudo() if "task_id" in self._fields else self  # sudo: see above
        classified = records.filtered(self._hy_classified_field()).sudo()  # sudo: for _log
        if "task_id" in self._fields:
            details = " ".join(filter(None, [self._name, details]))
            classified = classified.task_id
        return self.env["hy.classified.access.log"]._log(classified, operation, details)

    def _creation_message(self):
        # The chatter of a classified record holds tracked metadata only, not even this line.
        return "" if self.is_classified else super()._creation_message()

    def _read_format(self, fnames, load="_classic_read"):
        # read(), search_read() and web_read() (RPC) all end here; plain attribute access and
        # the portal's templates do not.
        result = super()._read_format(fnames, load)
        self._hy_log_classified("read")
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._hy_log_classified("export")
        return result

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        # Figures and group labels of classified records are a read of them (list, kanban,
        # pivot and graph views all group through here). Internal code running as superuser
        # aggregates for its own needs and is not a user's read.
        result = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )
        if not self.env.su:
            field = self._hy_classified_field()
            self.search(expression.AND([domain or [], [(field, "=", True)]]))._hy_log_classified(
                "read", "read_group"
            )
        return result

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        result = super().name_search(name, args=args, operator=operator, limit=limit)
        if not self.env.su and result:
            self.browse([record_id for record_id, _name in result])._hy_log_classified(
                "read", "name_search"
            )
        return result
