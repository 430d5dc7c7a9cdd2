from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..models.hy_task_update import MAX_FILE_SIZE
from .portal import HyTaskPortal
from .routing import RECORD_ID

# The portal home's counter of the requests for information awaiting the unit's answer.
INFO_REQUEST_COUNTER = "hy_info_request_open_count"
MAX_ID = 2147483647


class HyInfoRequestPortal(HyTaskPortal):
    """The requests for information of the Office (Art. 10.6), as the unit asked reads and
    answers them: on the task's page, counted on the portal home."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if INFO_REQUEST_COUNTER in counters:
            Request = request.env["hy.task.info.request"]
            # Counted as the user: record rules show each unit the requests made to it.
            values[INFO_REQUEST_COUNTER] = (
                Request.search_count(
                    [("state", "=", "open"), ("unit_id", "in", self._hy_unit_ids())]
                )
                if Request.has_access("read")
                else 0
            )
        return values

    def _hy_task_filters(self, unit_ids):
        filters = super()._hy_task_filters(unit_ids)
        filters["info_requested"] = {
            "label": request.env._("Information requested"),
            "domain": [
                (
                    "info_request_ids",
                    "any",
                    [("state", "=", "open"), ("unit_id", "in", unit_ids)],
                )
            ],
        }
        return filters

    def _prepare_hy_task_page_values(
        self, task, by_token=False, access_token=None, errors=None, form=None, open_form=None
    ):
        values = super()._prepare_hy_task_page_values(
            task,
            by_token=by_token,
            access_token=access_token,
            errors=errors,
            form=form,
            open_form=open_form,
        )
        Request = request.env["hy.task.info.request"]
        requests = Request
        # A shared link shows no request: they are the unit's exchanges with the Office.
        if not by_token and Request.has_access("read"):
            # As the user: record rules show each unit the requests made to it.
            requests = Request.search(
                [("task_id", "=", task.id)], order="request_date desc, id desc"
            )
        unit_ids = set(self._hy_unit_ids())
        answerable = {
            info.id for info in requests if info.state == "open" and info.unit_id.id in unit_ids
        }
        values.update(
            {
                # sudo: names of colleagues and download tokens of files on requests the user
                # may read (found as the user just above).
                "info_requests": requests.sudo(),  # sudo: see above
                "info_answerable": answerable,
                "info_open": requests.filtered(lambda i: i.id in answerable).sudo(),  # sudo: same
            }
        )
        return values

    @http.route(
        f"/my/hy_tasks/<{RECORD_ID}:task_id>/answer",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_hy_task_answer(self, task_id, **post):
        """The unit's answer to a request for information (the form on the task page)."""
        return self._hy_task_action(task_id, "answer", post)

    def _hy_action_answer(self, task, post):
        _ = request.env._
        raw = (post.get("request_id") or "").strip()
        if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
            raise UserError(_("Choose the request for information you answer."))
        info = request.env["hy.task.info.request"].browse(int(raw))
        # Another task's request, or one that does not exist: the same refusal.
        # sudo: which task a request is about, before the rules of the answer apply.
        if not info.sudo().exists() or info.sudo().task_id != task:  # sudo: see above
            raise AccessError(_("This request for information is not about this task."))
        files = [
            # Read one byte past the limit: enough to refuse the file without reading it all.
            (storage.filename, storage.read(MAX_FILE_SIZE + 1))
            for storage in request.httprequest.files.getlist("attachments")
            if storage.filename
        ]
        info._hy_answer(post.get("answer"), files)
        if task.is_classified:
            return "success", _("The request is marked answered.")
        return "success", _("Your answer was sent to the Office.")
