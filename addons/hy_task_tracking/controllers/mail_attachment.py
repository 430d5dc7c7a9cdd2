from odoo import _, http
from odoo.http import request

from odoo.addons.mail.controllers.attachment import AttachmentController

from ..models.classified import CLASSIFIED_MODELS, classified_records


class HyAttachmentController(AttachmentController):
    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        # A file "pending" for a message is stored before the message exists, away from the
        # record: refuse it here, before any byte of a classified document is written.
        if thread_model in CLASSIFIED_MODELS and str(thread_id).isdigit():
            thread = request.env[thread_model].browse(int(thread_id))
            if thread.has_access("read") and classified_records(
                request.env, thread_model, [int(thread_id)]
            ):
                return request.make_json_response(
                    {"error": _("No file may be attached to a record of a classified directive.")}
                )
        return super().mail_attachment_upload(ufile, thread_id, thread_model, is_pending, **kwargs)
