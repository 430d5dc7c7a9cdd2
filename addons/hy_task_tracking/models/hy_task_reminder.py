from collections import defaultdict
from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .classified import user_cleared_for
from .hy_task import DUE_SOON_DAYS, OPEN_STATES
from .hy_time import hy_today
from .status_category import OVERDUE_CATEGORIES


class HyTaskReminder(models.Model):
    """Ledger of the reminders already sent, so that a rerun of a cron never repeats one."""

    _name = "hy.task.reminder"
    # hy.write.guard with nothing declared: only the reminder jobs record reminders.
    _inherit = ["hy.write.guard"]
    _description = "Task Reminder Sent"
    _log_access = False

    task_id = fields.Many2one("hy.task", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(
        [
            ("due_soon", "Due soon"),
            ("overdue", "Overdue"),
            ("stale", "Without update"),
            ("unaccepted", "Never accepted"),
            # hy.task.info.request: threshold holds the request's id, about_date its date.
            ("info_request_before", "Request for information due"),
            ("info_request_after", "Request for information past its date"),
        ],
        required=True,
    )
    channel = fields.Selection(
        [("activity", "Activity for the Office"), ("mail", "Mail to the unit")],
        required=True,
        default="activity",
        help="Each way a reminder reaches someone is recorded on its own, so that a job "
        "stopped between the two finishes the second on its next run, without repeating "
        "the first.",
    )
    threshold = fields.Integer(help="Days before the deadline, for due-soon reminders.")
    about_date = fields.Date(
        help="The deadline (or last update) the reminder was about: a new one resets it."
    )
    date = fields.Date(required=True, default=fields.Date.today)

    _sql_constraints = [
        (
            "reminder_unique",
            "unique(task_id, kind, channel, threshold, about_date)",
            "This reminder was already sent.",
        )
    ]


# hy.task is split by concern on purpose (fields and CRUD, workflow, reminders): one
# file for each, as the issue on "one home for each rule" asks, not one class per module.
class HyTask(models.Model):
    """The reminders of tasks and their nightly jobs: due soon, overdue, without update,
    each recorded in hy.task.reminder so that a rerun never repeats one (Art. 10)."""

    _inherit = "hy.task"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ reminders

    @api.model
    def _parse_thresholds(self, text):
        """'3,1' -> [3, 1]: the days before a deadline at which units are reminded."""
        try:
            values = {
                int(part) for part in (text or "").replace(";", ",").split(",") if part.strip()
            }
        except ValueError as error:
            raise ValueError(_("reminder days must be whole numbers, e.g. 3,1")) from error
        if any(value < 0 for value in values):
            raise ValueError(_("reminder days cannot be negative"))
        return sorted(values, reverse=True)

    @api.model
    def _parse_report_deadlines(self, text, year):
        """'20/06,30/11' -> the last days on which the reports of ``year`` are on time.

        The setting keeps the regulation's words (Art. 19.1): "before 20 June", that is by the
        end of 19 June. Every check and mail uses the day returned here, 19/06 (and 29/11);
        the words say the day after it. Here with the setting it reads (checked by
        hy.settings); their reminder and the periods' deadlines are hy_task_reports'."""
        last_days = []
        for part in (text or "").split(","):
            if not part.strip():
                continue
            try:
                day, month = (int(x) for x in part.strip().split("/"))
                last_days.append(date(year, month, day) - timedelta(days=1))
            except ValueError as error:
                raise ValueError(
                    _("report deadlines are written dd/mm, e.g. 20/06,30/11")
                ) from error
        return last_days

    def _close_settled_activities(self, reported=False):
        """Overdue and stale reminders disappear once the task no longer needs them."""
        # sudo: the unit settles its officer's reminder, which it may not be allowed to see.
        overdue_settled = self.filtered(lambda t: t.status_category not in OVERDUE_CATEGORIES)
        if overdue_settled:
            overdue_settled = overdue_settled.sudo()  # sudo: the job's own activities
            overdue_settled.activity_unlink(["hy_task_tracking.mail_activity_type_overdue"])
        stale_settled = self if reported else self.filtered(lambda t: t.state != "in_progress")
        if stale_settled:
            stale_settled = stale_settled.sudo()  # sudo: the job's own activities
            stale_settled.activity_unlink(["hy_task_tracking.mail_activity_type_stale"])

    def _office_recipients(self):
        """{task id: users}: who in the Office is reminded about each task.

        Its follow-up officer; without one, the head of its follow-up division; failing that,
        the Office managers. Only internal users cleared for the task's level: a classified
        task skips whoever is not cleared for it. Empty only when nobody in the Office is.
        """
        managers = self.env.ref("hy_task_tracking.group_office_manager").users
        result = {}
        for task in self:
            level = task.security_level
            for candidates in (task.followup_user_id, task.followup_unit_id.head_user_id, managers):
                chosen = candidates.filtered(
                    lambda user, level=level: (
                        user.active and not user.share and user_cleared_for(user, level)
                    )
                )
                if chosen:
                    break
            result[task.id] = chosen
        return result

    def _schedule_followup_activities(self, activity_type_xmlid, summary):
        """One activity per task and person reminded (``_office_recipients``), in one batch.

        A classified task's activity has no summary. Raises when nobody can be reminded of a
        task: the nightly job reports it as a failure about that task.
        """
        activity_type = self.env.ref(activity_type_xmlid)
        model_id = self.env["ir.model"]._get_id("hy.task")
        today = hy_today()
        reminded = self._office_recipients()
        nobody = self.filtered(lambda task: not reminded[task.id])
        if nobody:
            raise UserError(
                _(
                    "Nobody in the Office can be reminded of task %s: give it a follow-up "
                    "officer cleared for its level.",
                    nobody[0].reference,
                )
            )
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": task.id,
                "activity_type_id": activity_type.id,
                "user_id": user.id,
                "date_deadline": today,
                "automated": True,
                "summary": False if task.is_classified else summary,
            }
            for task in self
            for user in reminded[task.id]
        ]
        # quick_update: no mail per activity; the officer sees them in the activity menu.
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    def _record_reminders(self, kind, about, threshold=0, channel="activity"):
        """Write the ledger rows that make a reminder happen once per channel."""
        self.env["hy.task.reminder"].create(
            [
                {
                    "task_id": task.id,
                    "kind": kind,
                    "channel": channel,
                    "threshold": threshold,
                    "about_date": about(task),
                    "date": hy_today(),
                }
                for task in self
            ]
        )

    def _already_reminded(self, kind, channel="activity"):
        ledger = self.env["hy.task.reminder"].search_fetch(
            [("kind", "=", kind), ("channel", "=", channel), ("task_id", "in", self.ids)],
            ["task_id", "threshold", "about_date"],
        )
        return {(row.task_id.id, row.threshold, row.about_date) for row in ledger}

    def _remind_office(self, kind, summary, about):
        """Activities for the Office and their ledger rows, together (rerun-safe)."""
        types = {
            "overdue": "hy_task_tracking.mail_activity_type_overdue",
            "stale": "hy_task_tracking.mail_activity_type_stale",
            "unaccepted": "hy_task_tracking.mail_activity_type_stale",
            "due_soon": "hy_task_tracking.mail_activity_type_due_soon",
        }
        self._schedule_followup_activities(types[kind], summary)
        self._record_reminders(kind, about, channel="activity")

    def _mail_unit(self, unit, kind, threshold=0):
        """The unit's notice of these tasks and its ledger rows, together (rerun-safe)."""
        self.env["hy.digest"]._notify_units(self, kind)
        self._record_reminders(kind, lambda t: t.deadline, threshold, channel="mail")

    def _mail_units(self, kind, threshold=0):
        """The notices of these tasks, one per lead unit, and their ledger rows, together
        (rerun-safe), in one batch: what the notices show is read for every task at once,
        the ledger rows are written at once. Each unit's notice still goes through
        ``hy.digest._notify_units`` on its own: the fallback below finds the unit that fails."""
        Digest = self.env["hy.digest"]
        Digest._prefetch_unit_notices(self)
        for tasks in self.grouped("lead_unit_id").values():
            Digest._notify_units(tasks, kind)
        self._record_reminders(kind, lambda t: t.deadline, threshold, channel="mail")

    def _mail_units_each(self, run, kind, threshold=0):
        """``_mail_units`` of all these tasks in one savepoint of the job ``run``; should the
        batch fail, unit by unit, each in its own savepoint, so that a unit whose notice
        fails stops nothing but itself. Returns the units mailed."""
        by_unit = self.grouped("lead_unit_id")

        def mail(units):
            wanted = set(units.ids)
            self.filtered(lambda task: task.lead_unit_id.id in wanted)._mail_units(kind, threshold)

        done = run.each(self.lead_unit_id, mail, lambda unit: unit.display_name)
        # The job's status counts the tasks of the notices sent, not the units.
        run.handled += sum(len(by_unit[unit]) - 1 for unit in done)
        return done

    @api.model
    def _cron_overdue_reminders(self):
        """Daily: statuses first (committed on their own), then one activity per task that
        became overdue for the Office, then one notice per unit; each once per deadline,
        whatever the number of reruns, crashes or failures of one unit."""
        return self.env["hy.job.status"]._run("overdue", self._overdue_job).result

    def _overdue_job(self, run):
        """Statuses, then the Office's activities and their ledger rows in one batch, then
        the units' notices in one batch; a batch that fails is done again record by record
        (unit by unit), so that one bad task or unit stops nothing but itself. The batches
        read and write whatever the number of tasks: a fraction of a query per task, and the
        three INSERTs of its notice per unit (tools/perf/bench_nightly.py)."""
        with run.step(self.env._("statuses")):
            run.handled += len(self._cron_recompute_timeliness())
        overdue = self.search_fetch(
            [("state", "in", OPEN_STATES), ("status_category", "in", OVERDUE_CATEGORIES)],
            ["deadline", "lead_unit_id"],
        )
        sent = overdue._already_reminded("overdue")
        new = overdue.filtered(lambda t: (t.id, 0, t.deadline) not in sent)
        reminded = run.each(
            new,
            lambda tasks: tasks._remind_office(
                "overdue", self.env._("Overdue: urge the unit"), lambda t: t.deadline
            ),
            lambda task: task.reference,
        )
        mailed = overdue._already_reminded("overdue", "mail")
        to_mail = overdue.filtered(lambda t: (t.id, 0, t.deadline) not in mailed)
        to_mail._mail_units_each(run, "overdue")
        run.result = reminded

    @api.model
    def _cron_due_soon_reminders(self):
        """Daily: remind the lead unit N days before the deadline, once per threshold; the
        Office is reminded instead for a unit that no mail reaches."""
        return self.env["hy.job.status"]._run("due_soon", self._due_soon_job).result

    def _due_soon_job(self, run):
        today = hy_today()
        thresholds = self._parse_thresholds(
            self.env["hy.settings"]._hy_param("due_soon_thresholds")
        )
        run.result = self.browse()
        if not thresholds:
            return
        tasks = self.search(
            [
                ("state", "in", OPEN_STATES),
                ("deadline", ">=", today),
                ("deadline", "<=", today + timedelta(days=thresholds[0])),
            ]
        )
        sent = tasks._already_reminded("due_soon", "mail") | tasks._already_reminded("due_soon")
        by_unit_threshold = defaultdict(lambda: self.browse())
        for task in tasks:
            days_left = (task.deadline - today).days
            # The nearest threshold reached: a missed day never sends two reminders at once.
            threshold = min(t for t in thresholds if days_left <= t)
            if (task.id, threshold, task.deadline) not in sent:
                by_unit_threshold[task.lead_unit_id, threshold] |= task
        reachable = {
            key: batch
            for key, batch in by_unit_threshold.items()
            if (key[0].user_ids.partner_id | key[0].partner_id).filtered("email")
        }
        done = run.each_group(
            reachable,
            lambda key, batch: batch._mail_unit(key[0], "due_soon", key[1]),
            lambda key: key[0].display_name,
        )
        # A unit no mail reaches (not connected): the Office reminds it.
        for (unit, threshold), batch in by_unit_threshold.items():
            if (unit, threshold) in reachable:
                continue
            handled = run.each(
                batch,
                lambda tasks, threshold=threshold: (
                    tasks._schedule_followup_activities(
                        "hy_task_tracking.mail_activity_type_due_soon",
                        self.env._("Due soon: the unit cannot be reached by mail"),
                    ),
                    tasks._record_reminders("due_soon", lambda t: t.deadline, threshold),
                ),
                lambda task: task.reference,
            )
            run.result |= handled
        for key in done:
            run.result |= by_unit_threshold[key]

    @api.model
    def _cron_stale_reminders(self):
        """Daily: a task in progress without news for M days is flagged to the Office."""
        return self.env["hy.job.status"]._run("stale", self._stale_job).result

    def _stale_job(self, run):
        run.result = self.browse()
        days = self.env["hy.settings"]._hy_param("stale_days")
        if days <= 0:
            return
        limit = fields.Datetime.now() - timedelta(days=days)
        stale = self.search(
            [
                ("state", "=", "in_progress"),
                "|",
                ("last_update_date", "<", limit),
                "&",
                ("last_update_date", "=", False),
                ("date_assigned", "<", limit.date()),
            ]
        )
        sent = stale._already_reminded("stale")

        def since(task):
            return (task.last_update_date and task.last_update_date.date()) or task.date_assigned

        new = stale.filtered(lambda t: (t.id, 0, since(t)) not in sent)
        run.result = run.each(
            new,
            lambda tasks: tasks._remind_office(
                "stale", self.env._("No update from the unit"), since
            ),
            lambda task: task.reference,
        )
        run.result |= self._unaccepted_reminders(run)

    def _unaccepted_reminders(self, run):
        """A task without deadline that its unit never accepted has no due-soon or overdue
        reminder to wake anyone: after the setting's number of working days from its
        assignment, its follow-up officer is reminded to urge the unit, once."""
        days = self.env["hy.settings"]._hy_param("unaccepted_days")
        if days <= 0:
            return self.browse()
        today = hy_today()
        candidates = self.search(
            [
                ("state", "=", "assigned"),
                ("deadline", "=", False),
                ("date_assigned", "<", today),
            ]
        )
        working_days = candidates and candidates._working_days(today)
        waiting = candidates.filtered(lambda t: working_days.count(t.date_assigned, today) >= days)
        sent = waiting._already_reminded("unaccepted")
        new = waiting.filtered(lambda t: (t.id, 0, t.date_assigned) not in sent)
        return run.each(
            new,
            lambda tasks: tasks._remind_office(
                "unaccepted",
                self.env._("Assigned without deadline and never accepted: urge the unit"),
                lambda t: t.date_assigned,
            ),
            lambda task: task.reference,
        )

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_recompute_timeliness(self):
        """Daily: "overdue" and "due soon" move with the calendar, not with a write.

        Only the calendar moves here, so two set-based UPDATEs replace the Python compute
        (the ORM would flush them in batches of 100 rows, one query per batch).
        ``_compute_status_category`` stays the single definition for every write; the tests
        check that both agree.
        """
        today = hy_today()
        self.flush_model()
        # Tasks that became overdue, with their ledger entries, in one statement.
        overdue_ids = self.env["hy.task.ledger"]._record_status_job(today)
        self.env.cr.execute(
            """
            UPDATE hy_task
               SET timeliness = 'due_soon'
             WHERE active AND state IN %(open)s AND NOT COALESCE(with_office, FALSE)
               AND deadline >= %(today)s AND deadline <= %(limit)s AND timeliness = 'on_time'
         RETURNING id
            """,
            {"open": OPEN_STATES, "today": today, "limit": today + timedelta(days=DUE_SOON_DAYS)},
        )
        stale = self.browse(overdue_ids + [row[0] for row in self.env.cr.fetchall()])
        stale.invalidate_recordset(["status_category", "progress_status", "timeliness"])
        # Let anything stored that depends on these fields recompute as well.
        stale.modified(["status_category", "progress_status", "timeliness"])
        return stale
