from odoo import http
from odoo.http import request

from odoo.addons.mail.controllers.attachment import AttachmentController

from ..models.classified import CLASSIFIED_MODELS, classified_records

MAX_RECORD_ID = 2147483647


class HyAttachmentController(AttachmentController):
    def _hy_not_found(self):
        """One answer for every refusal below, so that none tells another apart."""
        return request.make_json_response(
            {
                "error": request.env._(
                    "You cannot attach files here: this record does not exist or is not "
                    "open to you."
                )
            },
            status=404,
        )

    @http.route()
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        """No file on a model that is not a thread (a ledger, a misspelt or unknown model:
        the core route would fail on it with a 500), on a record of ours that is missing, that
        the user may not read, or that belongs to a classified directive: the same 404 for
        all, before any byte of the file is written. A file "pending" for a message would
        otherwise be stored before the message exists, away from the record."""
        if "\x00" in (getattr(ufile, "filename", None) or ""):
            # Only a forged request holds one (browsers escape it); PostgreSQL stores none.
            message = request.env._(
                "The request contains a NUL character, which no text may hold. "
                "Please remove it and try again."
            )
            return request.make_json_response({"error": message}, status=400)
        if (
            not isinstance(thread_model, str)
            or thread_model not in request.env
            # Only mail.thread has it: the core route calls it on any model it is given.
            or not hasattr(request.env[thread_model], "_get_thread_with_access")
        ):
            return self._hy_not_found()
        try:
            record_id = int(thread_id)  # exactly as the core route parses it
        except (TypeError, ValueError):
            return self._hy_not_found()
        if not 0 < record_id <= MAX_RECORD_ID:
            return self._hy_not_found()
        if thread_model in CLASSIFIED_MODELS:
            # Extensions, transfers, updates: no chatter.
            threads = ("hy.directive", "hy.task", "hy.task.info.request")
            if thread_model not in threads:
                return self._hy_not_found()
            record = request.env[thread_model].browse(record_id)
            if (
                not record.exists()
                or not record.has_access("read")
                or classified_records(request.env, thread_model, [record_id])
            ):
                return self._hy_not_found()
        return super().mail_attachment_upload(ufile, thread_id, thread_model, is_pending, **kwargs)
