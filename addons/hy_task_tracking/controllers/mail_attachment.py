from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.mail.controllers.attachment import AttachmentController

from ..models.classified import CLASSIFIED_MODELS, classified_records

MAX_RECORD_ID = 2147483647


class HyAttachmentController(AttachmentController):
    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        """No file on a record of ours that is missing, that the user may not read, or that
        belongs to a classified directive: the same 404 for all three, before any byte of the
        file is written. A file "pending" for a message would otherwise be stored before the
        message exists, away from the record."""
        if thread_model in CLASSIFIED_MODELS:
            try:
                record_id = int(thread_id)  # exactly as the core route parses it
            except (TypeError, ValueError):
                raise NotFound() from None
            threads = ("hy.directive", "hy.task")  # extensions, transfers, updates: no chatter
            if thread_model not in threads or not 0 < record_id <= MAX_RECORD_ID:
                raise NotFound()
            record = request.env[thread_model].browse(record_id)
            if (
                not record.exists()
                or not record.has_access("read")
                or classified_records(request.env, thread_model, [record_id])
            ):
                raise NotFound()
        return super().mail_attachment_upload(ufile, thread_id, thread_model, is_pending, **kwargs)
