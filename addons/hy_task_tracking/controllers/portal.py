import uuid
from datetime import date, timedelta

import psycopg2

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.osv.expression import AND
from odoo.tools import format_date, mute_logger

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.hy_task import OPEN_STATES
from ..models.hy_task_update import (
    ALLOWED_EXTENSIONS,
    MAX_FILE_SIZE,
    MAX_FILES,
    UPDATE_STATES,
    unit_role,
)
from ..models.hy_time import HY_TZ, hy_today
from ..models.status_category import AWAITING_CONFIRMATION, OVERDUE_CATEGORIES, PROGRESS_STATUSES
from .routing import RECORD_ID

# Counters of the portal home page, each opening the list with the filter of the same name.
HOME_COUNTERS = {
    "hy_task_assigned_count": "assigned",
    "hy_task_overdue_count": "overdue",
    "hy_task_due_soon_count": "due_soon",
    "hy_task_returned_count": "returned",
    "hy_task_to_confirm_count": "to_confirm",
}
LEAD_ACTIONS = ("accept", "return", "done", "extension")
UNIT_ACTIONS = (*LEAD_ACTIONS, "update")
FLASH_KEY = "hy_task_portal_flash"
HISTORY_KEY = "my_hy_tasks_history"
# The dates the unit's forms take (completion, proposed deadline).
FORM_DATES = (date(2000, 1, 1), date(2099, 12, 31))


class HyTaskPortal(CustomerPortal):
    """Portal of the executing units: their tasks, and what the regulation asks them to do."""

    _hy_items_per_page = 20

    # ------------------------------------------------------------------ home counters

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = [counter for counter in counters if counter in HOME_COUNTERS]
        if wanted:
            Task = request.env["hy.task"]
            can_read = Task.has_access("read")
            filters = self._hy_task_filters(self._hy_unit_ids()) if can_read else {}
            for counter in wanted:
                # Counted as the user: record rules decide what each unit sees.
                values[counter] = (
                    Task.search_count(
                        AND([self._hy_base_domain(), filters[HOME_COUNTERS[counter]]["domain"]])
                    )
                    if can_read
                    else 0
                )
        return values

    # ------------------------------------------------------------------ list helpers

    def _hy_unit_ids(self):
        # env.user is read as superuser: only the user's own memberships are read here.
        return request.env.user.hy_unit_ids.ids

    def _hy_base_domain(self):
        unit_ids = self._hy_unit_ids()
        return [
            ("state", "not in", ("draft", "cancelled")),
            "|",
            ("lead_unit_id", "in", unit_ids),
            ("support_unit_ids", "in", unit_ids),
        ]

    def _hy_category_labels(self):
        """Labels of the status shown (progress_status): reported is not done until the
        Office confirms it."""
        return dict(
            request.env["hy.task"]._fields["progress_status"]._description_selection(request.env)
        )

    def _hy_office_waits(self):
        """What a task with the Office waits for, as the unit reads it."""
        _ = request.env._
        return {
            "return": _("its decision on the returned task"),
            "confirmation": _("confirmation of the reported result"),
            "extension": _("its decision on the extension request"),
        }

    def _hy_task_filters(self, unit_ids):
        _ = request.env._
        lead = [("lead_unit_id", "in", unit_ids)]
        filters = {
            "all": {"label": _("All tasks"), "domain": []},
            "assigned": {
                "label": _("Assigned to us"),
                "domain": lead + [("state", "in", ("assigned", "in_progress"))],
            },
            # Never a task with the Office: its deadline does not run against the unit then.
            "overdue": {
                "label": _("Overdue"),
                "domain": lead + [("status_category", "in", OVERDUE_CATEGORIES)],
            },
            "due_soon": {
                "label": _("Due within 7 days"),
                "domain": lead + [("timeliness", "=", "due_soon")],
            },
            "returned": {
                "label": _("Returned to the Office"),
                "domain": lead + [("state", "=", "returned")],
            },
            "to_confirm": {
                "label": _("Awaiting confirmation"),
                "domain": lead + [("progress_status", "=", AWAITING_CONFIRMATION)],
            },
            "with_office": {
                "label": _("With the Provincial Office"),
                "domain": lead + [("with_office", "=", True)],
            },
            "coordinating": {
                "label": _("We coordinate"),
                "domain": [("support_unit_ids", "in", unit_ids)],
            },
        }
        for key, label in self._hy_category_labels().items():
            filters[key] = {"label": label, "domain": [("progress_status", "=", key)]}
        return filters

    def _hy_task_sortings(self):
        _ = request.env._
        return {
            # What is still to do first, the nearest deadline first; then the finished tasks
            # (the only ones with a completion date), the latest first.
            "deadline": {
                "label": _("Deadline"),
                "order": "date_done desc nulls first, deadline asc nulls last, id desc",
            },
            "status": {
                # Not started first, then in progress, then reported, then done (confirmed);
                # the latest first within each.
                "label": _("Status"),
                "order": "progress_status desc, deadline asc nulls last, id desc",
            },
            "reference": {"label": _("Reference"), "order": "reference desc, id desc"},
        }

    def _hy_deadline_info(self, task, today):
        """Text and CSS class telling how the task stands against its deadline."""
        _ = request.env._
        deadline = task.deadline
        if task.with_office:
            # Whose turn it is: the Office's. Its deadline does not run against the unit.
            return _(
                "With the Provincial Office since %(date)s: %(wait)s",
                date=format_date(request.env, task.office_since),
                wait=self._hy_office_waits().get(task.office_wait, ""),
            ), "text-info-emphasis"
        if not deadline:
            return _("No deadline"), "text-muted"
        if task.state == "done" and not task.confirmed:
            return _("Reported, awaiting confirmation"), "text-info-emphasis"
        if task.state == "done":
            late = task.date_done and (task.date_done - deadline).days
            if late and late > 0:
                return _("Done %s day(s) late", late), "text-warning-emphasis"
            return _("Done on time"), "text-success"
        if task.state not in OPEN_STATES:
            return "", "text-muted"
        # Units count time as the Office does: in working days of its calendar (weekends,
        # public holidays, Tết and compensatory days left out).
        if deadline < today:
            late = task.working_days_overdue
            if not late:  # overdue since a day off only
                return _("Overdue"), "text-danger fw-bold"
            return _("%s working day(s) overdue", late), "text-danger fw-bold"
        if deadline == today:
            return _("Due today"), "text-danger"
        left = task.working_days_left
        if left <= 1:
            return _("1 working day left"), "text-warning-emphasis fw-bold"
        return _("%s working days left", left), (
            "text-warning-emphasis" if left <= 5 else "text-muted"
        )

    def _prepare_hy_tasks_values(
        self, page=1, sortby=None, filterby=None, authority=None, unit=None, search=None
    ):
        """Everything the list page shows, read in a fixed number of queries."""
        _ = request.env._
        Task = request.env["hy.task"]
        unit_ids = self._hy_unit_ids()
        units = request.env["hy.unit"].browse(unit_ids)
        filters = self._hy_task_filters(unit_ids)
        sortings = self._hy_task_sortings()
        authorities = dict(
            request.env["hy.directive"]._fields["authority"]._description_selection(request.env)
        )
        sortby = sortby if sortby in sortings else "deadline"
        filterby = filterby if filterby in filters else "all"
        authority = authority if authority in authorities else None
        unit_id = int(unit) if unit and str(unit).isdigit() and int(unit) in unit_ids else None

        domain = self._hy_base_domain()
        if authority:
            domain = AND([domain, [("authority", "=", authority)]])
        if unit_id:
            domain = AND(
                [domain, ["|", ("lead_unit_id", "=", unit_id), ("support_unit_ids", "in", unit_id)]]
            )
        if search:
            domain = AND(
                [
                    domain,
                    [
                        "|",
                        "|",
                        ("reference", "ilike", search),
                        ("name", "ilike", search),
                        ("directive_id.number", "ilike", search),
                    ],
                ]
            )
        # The chips count each status under the other criteria, in one grouped query.
        category_counts = dict(Task._read_group(domain, ["progress_status"], ["__count"]))
        domain = AND([domain, filters[filterby]["domain"]])

        url_args = {"sortby": sortby, "filterby": filterby}
        if authority:
            url_args["authority"] = authority
        if unit_id:
            url_args["unit"] = unit_id
        if search:
            url_args["search"] = search
        total = Task.search_count(domain)
        pager = portal_pager(
            url="/my/hy_tasks",
            url_args=url_args,
            total=total,
            page=page,
            step=self._hy_items_per_page,
        )
        tasks = Task.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._hy_items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY_KEY] = tasks.ids

        today = hy_today()
        labels = self._hy_category_labels()
        # The template renders the tasks' own fields (t-field); only how each stands against
        # its deadline, a sentence, is worded here.
        deadline_infos = {task.id: self._hy_deadline_info(task, today) for task in tasks}
        # The list names its tasks: a read of the classified ones (one INSERT at most).
        tasks._hy_log_classified("read", "portal list")
        chips = [
            {
                "key": key,
                "label": labels.get(key, key),
                "count": category_counts.get(key, 0),
            }
            for key, _label in PROGRESS_STATUSES
        ]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "hy_tasks",
                "default_url": "/my/hy_tasks",
                "tasks": tasks,
                "deadline_infos": deadline_infos,
                "unit_ids": unit_ids,
                "pager": pager,
                "total": total,
                "chips": chips,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "authorities": authorities,
                "authority": authority,
                "units": units if len(units) > 1 else units.browse(),
                "unit_id": unit_id,
                "searchbar_inputs": {
                    "all": {
                        "input": "all",
                        "label": _("Search in reference, content or document number"),
                    }
                },
                "search_in": "all",
                "search": search or "",
            }
        )
        return values

    # ------------------------------------------------------------------ routes: list

    @http.route(
        ["/my/hy_tasks", f"/my/hy_tasks/page/<{RECORD_ID}:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_my_hy_tasks(
        self, page=1, sortby=None, filterby=None, authority=None, unit=None, search=None, **kw
    ):
        values = self._prepare_hy_tasks_values(
            page=page,
            sortby=sortby,
            filterby=filterby,
            authority=authority,
            unit=unit,
            search=(search or "").strip(),
        )
        return request.render("hy_task_tracking.portal_my_hy_tasks", values)

    # ------------------------------------------------------------------ task page

    def _hy_check_task(self, task_id, access_token=None):
        """The task as the user sees it, and whether only a link token opened it.

        Raises AccessError or MissingError alike; the routes answer both with a 404, so
        that another unit's ids cannot be told from ids that do not exist.
        """
        task_sudo = self._document_check_access("hy.task", task_id, access_token)
        task = request.env["hy.task"].browse(task_id)
        if task.has_access("read"):
            return task, False
        if task_sudo.is_classified:
            # A shared link never opens a classified task: only its units' members may see it.
            raise AccessError(request.env._("This document does not exist."))
        # The valid access token checked above grants reading this one task (portal.mixin):
        # the page is rendered as superuser, read-only, without any unit action.
        return task_sudo, True

    def _hy_actions(self, task, role):
        """Which of the unit's actions the page offers; the POST routes check the same."""
        open_ = task.state in UPDATE_STATES
        return {
            "accept": role == "lead" and task.state == "assigned",
            "return": role == "lead" and open_,
            "update": role in ("lead", "support") and open_,
            "done": role == "lead" and open_,
            "extension": role == "lead"
            and open_
            and bool(task.deadline)
            and not task.extension_pending,
        }

    def _prepare_hy_task_page_values(
        self, task, by_token=False, access_token=None, errors=None, form=None, open_form=None
    ):
        _ = request.env._
        user = request.env.user
        role = False if by_token else unit_role(task, user)[0]
        today = hy_today()
        classified = task.is_classified
        if classified:
            task._hy_log_classified("read", "portal")
        directive = task.directive_id
        deadline_text, deadline_class = self._hy_deadline_info(task, today)

        # The template renders the records' own fields (t-field): labels of selections and
        # dates come out translated and formatted in the reader's language.
        Update = request.env["hy.task.update"]
        if by_token:
            Update = Update.sudo()  # the valid token grants reading this task and its updates
        # sudo: names of colleagues and download tokens of files on updates the user may read.
        updates = Update.search([("task_id", "=", task.id)]).sudo()  # see the comment above
        # Not portal's _get_page_view_values / get_records_pager: they put an access token in
        # the previous / next links, which would make a share link of every task of the list;
        # members read their unit's tasks with their own rights, links carry no token.
        history = request.session.get(HISTORY_KEY, [])
        prev_url = next_url = False
        if task.id in history:
            index = history.index(task.id)
            if index > 0:
                prev_url = f"/my/hy_tasks/{history[index - 1]}"
            if index < len(history) - 1:
                next_url = f"/my/hy_tasks/{history[index + 1]}"

        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "hy_task",
                "task": task,
                "object": task,
                "by_token": by_token,
                "role": role,
                "actions": self._hy_actions(task, role),
                "classified": classified,
                "content": task.title if classified else task.name,
                "directive": directive,
                "deadline_text": deadline_text,
                "deadline_class": deadline_class,
                # Times are shown in Vietnam's time, whatever the reader's own time zone.
                "hy_tz": HY_TZ,
                "updates": updates,
                "errors": errors or {},
                "form": form or {},
                "open_form": open_form,
                "submission_key": uuid.uuid4().hex,
                "today": fields.Date.to_string(today),
                "extension_min": fields.Date.to_string(
                    max(task.deadline or today, today) + timedelta(days=1)
                ),
                "files_hint": _(
                    "Up to %(count)s files of %(size)s MB each: PDF, Word, Excel, images, ZIP/RAR.",
                    count=MAX_FILES,
                    size=MAX_FILE_SIZE // (1024 * 1024),
                ),
                "accept_types": ",".join(sorted(ALLOWED_EXTENSIONS)),
                "flash": request.session.pop(FLASH_KEY, None) if not errors else None,
                "prev_record": prev_url,
                "next_record": next_url,
                "show_chatter": not classified,
                "disable_composer": by_token,
            }
        )
        if by_token:
            values.update(access_token=access_token, token=access_token, no_breadcrumbs=True)
        return values

    @http.route(
        f"/my/hy_tasks/<{RECORD_ID}:task_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def portal_my_hy_task(self, task_id, access_token=None, **kw):
        if not access_token and request.env.user._is_public():
            # A link from a notification email: log in first, then come back here.
            return request.redirect(f"/web/login?redirect=/my/hy_tasks/{task_id}")
        try:
            task, by_token = self._hy_check_task(task_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        values = self._prepare_hy_task_page_values(task, by_token, access_token)
        return request.render("hy_task_tracking.portal_my_hy_task", values)

    # ------------------------------------------------------------------ unit actions

    @http.route(
        f"/my/hy_tasks/<{RECORD_ID}:task_id>/<any({','.join(UNIT_ACTIONS)}):action>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_hy_task_action(self, task_id, action, **post):
        """The unit's forms on the task page (accept, return, update, done, extension)."""
        return self._hy_task_action(task_id, action, post)

    def _hy_task_action(self, task_id, action, post):
        """Run one unit action; on success redirect to the task page with a message (PRG),
        otherwise show the page again with the error next to the form and what was typed."""
        _ = request.env._
        try:
            # No access token here: acting on a task needs the user's own rights on it.
            self._document_check_access("hy.task", task_id)
        except (AccessError, MissingError):
            raise request.not_found() from None
        task = request.env["hy.task"].browse(task_id)
        role = unit_role(task, request.env.user)[0]
        form = {key: value for key, value in post.items() if key != "csrf_token"}
        if action in LEAD_ACTIONS and role != "lead" or not role:
            message = (
                _("Only the lead unit can do this; a coordinating unit posts progress updates.")
                if role == "support"
                else _("Only the units of this task can do this.")
            )
            return self._hy_render_error(task, action, message, form, status=403)
        try:
            with request.env.cr.savepoint():
                kind, message = getattr(self, f"_hy_action_{action}")(task, post)
        except AccessError:
            return self._hy_render_error(
                task, action, _("You are not allowed to do this on this task."), form, status=403
            )
        except UserError as error:  # ValidationError included
            return self._hy_render_error(task, action, error.args[0], form)
        request.session[FLASH_KEY] = {"type": kind, "message": message}
        return request.redirect(f"/my/hy_tasks/{task_id}", code=303)

    def _hy_render_error(self, task, action, message, form, status=422):
        request.env.invalidate_all()
        values = self._prepare_hy_task_page_values(
            task, errors={action: message}, form=form, open_form=action
        )
        return request.render("hy_task_tracking.portal_my_hy_task", values, status=status)

    def _hy_parse_date(self, value):
        """A date from the form: ISO (date input) or dd/mm/yyyy (typed by hand), within
        FORM_DATES: a year like 9999 would make the deadline arithmetic overflow later."""
        _ = request.env._
        value = (value or "").strip()
        parts = value.split("/") if "/" in value else None
        try:
            if parts:
                day, month, year = (int(part) for part in parts)
                parsed = date(year, month, day)
            else:
                parsed = date.fromisoformat(value)
        except (ValueError, OverflowError) as error:  # OverflowError: a year of 20 digits
            raise UserError(_("Please enter a valid date (dd/mm/yyyy).")) from error
        first, last = FORM_DATES
        if not first <= parsed <= last:
            raise UserError(
                _(
                    "Please enter a date between %(first)s and %(last)s.",
                    first=format_date(request.env, first),
                    last=format_date(request.env, last),
                )
            )
        return parsed

    # The rules of each action live on the task (hy.task._unit_*), shared with the API;
    # here the form is read and the outcome worded for the page.

    def _hy_action_accept(self, task, post):
        _ = request.env._
        if not task._unit_accept():
            return "info", _("The task was already accepted.")
        return "success", _("Task accepted: it is now in progress.")

    def _hy_action_return(self, task, post):
        _ = request.env._
        # A classified task's reason goes on paper (Art. 7.3): a typed one is not kept.
        reason = "" if task.is_classified else post.get("reason")
        if not task._unit_return(reason):
            return "info", _("The task was already returned to the Office.")
        return "success", _("The task was returned to the Provincial Office.")

    def _hy_action_done(self, task, post):
        _ = request.env._
        date_done = False
        if (post.get("date_done") or "").strip() and task.state != "done":
            date_done = self._hy_parse_date(post.get("date_done"))
        result = "" if task.is_classified else post.get("result")
        if not task._unit_report_done(result, date_done):
            return "info", _("Completion was already reported.")
        return "success", _("Completion reported: the Office will evaluate and confirm it.")

    def _hy_action_extension(self, task, post):
        _ = request.env._
        new_deadline = self._hy_parse_date(post.get("new_deadline"))
        reason = "" if task.is_classified else post.get("reason")
        if not task._unit_request_extension(new_deadline, reason):
            return "info", _("Your extension request is already waiting for a decision.")
        return "success", _("Extension requested: the Office will decide on it.")

    def _hy_action_update(self, task, post):
        _ = request.env._
        raw = (post.get("progress") or "").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 100:
            raise UserError(_("Progress is a percentage between 0 and 100."))
        note = (post.get("note") or "").strip()
        if task.is_classified:
            note = ""  # a classified task records the percentage only (Art. 7.2.g)
        elif not note:
            raise UserError(_("Please describe the progress made."))
        files = [
            # Read one byte past the limit: enough to refuse the file without reading it all.
            (storage.filename, storage.read(MAX_FILE_SIZE + 1))
            for storage in request.httprequest.files.getlist("attachments")
            if storage.filename
        ]
        key = (post.get("submission_key") or "").strip()[:64] or None
        try:
            # The same form posted twice at once: the second insert waits for the first and
            # then hits the unique key; it is not an error for the user, nor for the log.
            with request.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                update = request.env["hy.task.update"]._post_update(
                    task, int(raw), note, files, key
                )
        except psycopg2.errors.UniqueViolation:
            update = None
        if not update:
            return "info", _("This update was already recorded.")
        return "success", _("Progress update posted.")
