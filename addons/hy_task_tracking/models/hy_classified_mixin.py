from odoo import models


class HyClassifiedMixin(models.AbstractModel):
    """What every record that may belong to a classified directive does the same way.

    Inheriting models have a stored boolean ``is_classified`` and a chatter (mail.thread).
    """

    _name = "hy.classified.mixin"
    _description = "Record of a Possibly Classified Directive"

    def _creation_message(self):
        # The chatter of a classified record holds tracked metadata only, not even this line.
        return "" if self.is_classified else super()._creation_message()

    def _read_format(self, fnames, load="_classic_read"):
        # read() and search_read() (RPC) both end here; plain attribute access does not.
        result = super()._read_format(fnames, load)
        self.env["hy.classified.access.log"]._log(self.filtered("is_classified"), "read")
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self.env["hy.classified.access.log"]._log(self.filtered("is_classified"), "export")
        return result
