from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.hy_time import hy_today
from ..models.hy_urge_dispatch_document import DOCX_MIME
from .portal import HyTaskPortal
from .routing import RECORD_ID

# A report date this near (working days, today included) is flagged to the unit.
REPLY_SOON_DAYS = 2


class HyUrgeDispatchPortal(HyTaskPortal):
    """The urging dispatches the Office sent to the user's units: a list and a page each in
    the portal, their PDF and DOCX, and the urges on the task page.

    Every dispatch is read as the user: the record rules let the Office and the leadership
    read all of them, a unit's members only the sent dispatches of their units; anything
    else answers 404, as an id that does not exist.
    """

    _hy_dispatches_per_page = 20

    # ------------------------------------------------------------------ helpers

    def _hy_dispatch_domain(self):
        """The sent dispatches of the user's units (the portal's list and counter)."""
        return [("state", "=", "sent"), ("unit_id", "in", self._hy_unit_ids())]

    def _hy_check_dispatch(self, dispatch_id):
        """The dispatch ``dispatch_id`` as the user reads it; 404 when the user may not."""
        dispatch = request.env["hy.urge.dispatch"].browse(dispatch_id)
        if not dispatch.exists():
            raise request.not_found()
        try:
            dispatch.check_access("read")
        except (AccessError, MissingError):
            raise request.not_found() from None
        return dispatch

    def _hy_reply_badge(self, dispatch, today, working_days):
        """How the dispatch's report date stands: (text, CSS class), or None when far."""
        _ = request.env._
        reply = dispatch.reply_date
        if not reply:
            return None
        if reply < today:
            return _("Report date passed"), "text-bg-danger"
        if working_days.count(today, reply) < REPLY_SOON_DAYS or reply == today:
            return _("Report due soon"), "text-bg-warning"
        return None

    # ------------------------------------------------------------------ home counter

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "hy_urge_dispatch_count" in counters:
            Dispatch = request.env["hy.urge.dispatch"]
            # Counted as the user: record rules decide what each unit sees.
            values["hy_urge_dispatch_count"] = (
                Dispatch.search_count(self._hy_dispatch_domain())
                if Dispatch.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------ list and page

    @http.route(
        ["/my/hy_urge_dispatches", f"/my/hy_urge_dispatches/page/<{RECORD_ID}:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_my_hy_urge_dispatches(self, page=1, **kw):
        Dispatch = request.env["hy.urge.dispatch"]
        can_read = Dispatch.has_access("read")
        domain = self._hy_dispatch_domain()
        total = Dispatch.search_count(domain) if can_read else 0
        pager = portal_pager(
            url="/my/hy_urge_dispatches",
            total=total,
            page=page,
            step=self._hy_dispatches_per_page,
        )
        dispatches = (
            Dispatch.search(
                domain,
                order="date desc, id desc",
                limit=self._hy_dispatches_per_page,
                offset=pager["offset"],
            )
            if can_read
            else Dispatch
        )
        today = hy_today()
        replies = [d.reply_date for d in dispatches if d.reply_date] or [today]
        working_days = request.env["resource.calendar"]._hy_working_days(
            min([today, *replies]), max([today, *replies])
        )
        # The number of tasks each lists, in one grouped query, as superuser: classified
        # lines count too, whatever the reader's clearance (a count, no content).
        Line = request.env["hy.urge.dispatch.line"].sudo()  # sudo: counts only (see above)
        counts = dict(
            Line._read_group([("dispatch_id", "in", dispatches.ids)], ["dispatch_id"], ["__count"])
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "hy_urge_dispatches",
                "default_url": "/my/hy_urge_dispatches",
                "dispatches": dispatches,
                "task_counts": {dispatch.id: count for dispatch, count in counts.items()},
                "badges": {d.id: self._hy_reply_badge(d, today, working_days) for d in dispatches},
                "unit_ids": self._hy_unit_ids(),
                "pager": pager,
                "total": total,
            }
        )
        return request.render("hy_task_tracking.portal_my_hy_urge_dispatches", values)

    @http.route(
        f"/my/hy_urge_dispatches/<{RECORD_ID}:dispatch_id>",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_my_hy_urge_dispatch(self, dispatch_id, **kw):
        dispatch = self._hy_check_dispatch(dispatch_id)
        document = dispatch.with_context(lang=request.env.lang)._document_values()
        today = hy_today()
        reply = dispatch.reply_date or today
        working_days = request.env["resource.calendar"]._hy_working_days(
            min(today, reply), max(today, reply)
        )
        # The task pages open to the user, of the tasks listed (searched as the user).
        listed = [row["task_id"] for row in document["rows"]]
        readable = set(request.env["hy.task"].search([("id", "in", listed)]).ids)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "hy_urge_dispatch",
                "dispatch": dispatch,
                "document": document,
                "readable_task_ids": readable,
                "badge": self._hy_reply_badge(dispatch, today, working_days),
            }
        )
        return request.render("hy_task_tracking.portal_my_hy_urge_dispatch", values)

    # ------------------------------------------------------------------ task page: urges

    def _prepare_hy_task_page_values(self, task, by_token=False, *args, **kwargs):
        values = super()._prepare_hy_task_page_values(task, by_token, *args, **kwargs)
        # Through a share link the reader is no member: no urge history then.
        values["urges"] = [] if by_token else task._hy_portal_urges()
        return values

    # ------------------------------------------------------------------ downloads

    @http.route(
        f"/hy_task_tracking/urge_dispatch/<{RECORD_ID}:dispatch_id>/pdf",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def hy_urge_dispatch_pdf(self, dispatch_id, **kw):
        """The PDF as sent (stored when it was sent), or rendered now when there is none."""
        dispatch = self._hy_check_dispatch(dispatch_id)
        data = dispatch.state == "sent" and dispatch._document_stored_pdf()
        if not data:
            data = dispatch._document_pdf()
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(data)),
                ("Content-Disposition", content_disposition(dispatch._document_filename("pdf"))),
            ],
        )

    @http.route(
        f"/hy_task_tracking/urge_dispatch/<{RECORD_ID}:dispatch_id>/docx",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def hy_urge_dispatch_docx(self, dispatch_id, **kw):
        """The editable DOCX, for signing in the Office's own way."""
        dispatch = self._hy_check_dispatch(dispatch_id)
        data = dispatch._docx_bytes()
        return request.make_response(
            data,
            headers=[
                ("Content-Type", DOCX_MIME),
                ("Content-Length", len(data)),
                ("Content-Disposition", content_disposition(dispatch._document_filename("docx"))),
            ],
        )
