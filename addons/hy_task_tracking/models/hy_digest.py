from datetime import timedelta

from odoo import api, models, tools

from .hy_task import OPEN_STATES
from .hy_time import hy_today
from .status_category import AWAITING_CONFIRMATION, OVERDUE_CATEGORIES

DIGEST_LANG = "vi_VN"


class HyDigest(models.AbstractModel):
    """Mails of the task tracker: unit reminders and the periodic digests.

    Odoo's own ``digest`` serves internal users only and stops itself for recipients who do
    not log in; leaders and unit heads must keep getting these, so they are rendered here from
    QWeb templates and queued as ``mail.mail`` (sent by Odoo's mail queue).
    Every figure is computed as the recipient (``with_user``): record rules decide what each
    one sees, and classified tasks only ever appear as counts or reference labels.
    """

    _name = "hy.digest"
    _description = "Task Tracking Mails"

    # ------------------------------------------------------------------ helpers

    @api.model
    def _base_url(self):
        # sudo: a system parameter, read to build links.
        return self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")

    @api.model
    def _unsubscribe_url(self, user):
        token = tools.misc.hmac(self.env(su=True), "hy-digest-unsubscribe", user.id)
        return f"{self._base_url()}/hy/digest/unsubscribe/{user.id}/{token}"

    @api.model
    def _mail_lang(self, *wanted):
        """The first of ``wanted`` that is installed, else Vietnamese, else English, else any
        installed language: a recipient's language that was removed never stops a mail."""
        Lang = self.env["res.lang"]
        for code in (*wanted, DIGEST_LANG, "en_US"):
            if code and Lang._get_code(code):
                return code
        return Lang.get_installed()[0][0]

    @api.model
    def _queue(self, partners, subject, template, values, lang=None):
        """Render ``template`` in the recipients' language and queue one mail to ``partners``."""
        partners = partners.filtered("email")
        if not partners:
            return self.env["mail.mail"]
        lang = self._mail_lang(lang, partners[:1].lang)
        body = (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(template, dict(values, base_url=self._base_url()))
        )
        # sudo: mail.mail is Odoo's technical queue; what goes in was computed as the recipient.
        return (
            self.env["mail.mail"]
            .sudo()  # sudo: see the comment above
            .create(
                {
                    "subject": subject,
                    "body_html": body,
                    "recipient_ids": [(6, 0, partners.ids)],
                    "email_from": self.env.company.email_formatted or False,
                    "auto_delete": False,
                }
            )
        )

    # ------------------------------------------------------------------ unit reminders

    @api.model
    def _prefetch_unit_notices(self, tasks):
        """Read what the units' notices of ``tasks`` show (mail_unit_reminder), for all of them
        at once: a few queries whatever their number, the notices then read the cache. Without
        it each unit's notice would read its own tasks, and the Office's calendar, again."""
        tasks.fetch(
            ["reference", "name", "deadline", "state", "with_office", "is_classified"]
            + ["directive_id", "lead_unit_id", "sequence_in_directive"]
        )
        for name in ("title", "access_url", "days_overdue", "working_days_overdue"):
            tasks.mapped(name)
        tasks.mapped("working_days_left")
        tasks.directive_id.mapped("number")
        units = tasks.lead_unit_id
        partners = units.user_ids.partner_id | units.partner_id
        partners.fetch(["email", "lang", "email_normalized", "message_bounce"])

    @api.model
    def _notify_units(self, tasks, kind):
        """One mail per lead unit listing its tasks (overdue or due soon)."""
        mails = self.env["mail.mail"]
        for unit, unit_tasks in tasks.grouped("lead_unit_id").items():
            partners = unit.user_ids.partner_id | unit.partner_id
            lang = self._mail_lang(unit.user_ids[:1].lang)
            self_lang = self.with_context(lang=lang)
            subject = (
                self_lang.env._(
                    "[Task tracking] %(unit)s: %(count)s overdue task(s)",
                    unit=unit.name,
                    count=len(unit_tasks),
                )
                if kind == "overdue"
                else self_lang.env._(
                    "[Task tracking] %(unit)s: %(count)s task(s) due soon",
                    unit=unit.name,
                    count=len(unit_tasks),
                )
            )
            mails |= self._queue(
                partners,
                subject,
                "hy_task_tracking.mail_unit_reminder",
                {"unit": unit, "tasks": unit_tasks, "kind": kind, "today": hy_today()},
                lang=lang,
            )
        return mails

    # ------------------------------------------------------------------ digests

    @api.model
    def _leadership_recipients(self):
        groups = self.env.ref("hy_task_tracking.group_leadership") | self.env.ref(
            "hy_task_tracking.group_office_manager"
        )
        return groups.users.filtered(
            lambda u: u.active and u.email and not u.hy_digest_optout and not u._is_superuser()
        )

    @api.model
    def _leadership_values(self, user, date_from, date_to):
        """The leadership digest as ``user`` sees it: counts, overdue per unit, due next."""
        tasks = self.env["hy.task"].with_user(user)
        # Reported is not done: the results the Office confirmed in the period, on time or
        # late as they stand (progress_status counts confirmed results only as done).
        confirmed_in_period = [
            ("confirmed_date", ">=", date_from),
            ("confirmed_date", "<=", date_to),
        ]
        overdue_by_unit = tasks._read_group(
            [("progress_status", "in", OVERDUE_CATEGORIES)],
            ["lead_unit_id"],
            ["__count"],
            order="__count desc",
            limit=10,
        )
        due_next_domain = [
            ("state", "in", OPEN_STATES),
            ("deadline", ">", date_to),
            ("deadline", "<=", date_to + timedelta(days=7)),
        ]
        return {
            "user": user,
            "date_from": date_from,
            "date_to": date_to,
            "new_directives": self.env["hy.directive"]
            .with_user(user)
            .search_count(
                [("create_date", ">=", date_from), ("create_date", "<", date_to + timedelta(1))]
            ),
            "assigned": tasks.search_count(
                [("date_assigned", ">=", date_from), ("date_assigned", "<=", date_to)]
            ),
            "done_on_time": tasks.search_count(
                [("progress_status", "=", "done_on_time"), *confirmed_in_period]
            ),
            "done_late": tasks.search_count(
                [("progress_status", "=", "done_late"), *confirmed_in_period]
            ),
            "awaiting_confirmation": tasks.search_count(
                [("progress_status", "=", AWAITING_CONFIRMATION)]
            ),
            "overdue": tasks.search_count([("progress_status", "in", OVERDUE_CATEGORIES)]),
            "overdue_by_unit": [(unit, count) for unit, count in overdue_by_unit],
            "office": self._office_values(user),
            "due_next_count": tasks.search_count(due_next_domain),
            # Listed one by one only when not classified; classified ones stay in the count.
            "due_next": tasks.search([*due_next_domain, ("is_classified", "=", False)], limit=15),
            "unsubscribe_url": self._unsubscribe_url(user),
        }

    @api.model
    def _office_values(self, user):
        """The Office's own turn as ``user`` sees it: the tasks it holds now, how many beyond
        its time limit, by what it has to do (the overview's figures)."""
        overview = self.env["hy.task.overview"].with_user(user)
        counts = overview._office_counts()
        labels = dict(self.env["hy.task"]._fields["office_wait"]._description_selection(self.env))
        return {
            "count": sum(count for count, _late in counts.values()),
            "late_count": sum(late for _count, late in counts.values()),
            "rows": [(labels[wait], count, late) for wait, (count, late) in counts.items()],
        }

    @api.model
    def _send_leadership_digests(self, period, run=None):
        """The digest of ``period`` to each leader; within a job ``run``, each leader in a
        savepoint and once per period, whatever the reruns."""
        today = hy_today()
        days = 7 if period == "week" else 30
        date_from, date_to = today - timedelta(days=days), today - timedelta(days=1)
        mails = self.env["mail.mail"]
        users = self._leadership_recipients()
        if run:
            Sent = self.env["hy.sent.mark"]
            key = f"digest.{period}.{date_to.isoformat()}"
            users = users - Sent._marked(key, users)

            def send(user, _user):
                nonlocal mails
                mails |= self._send_leadership_digests_to(user, period, date_from, date_to)
                Sent._mark(key, user)

            run.each_group({user: user for user in users}, send, lambda u: u.login)
            return mails
        for user in users:
            mails |= self._send_leadership_digests_to(user, period, date_from, date_to)
        return mails

    @api.model
    def _send_leadership_digests_to(self, users, period, date_from, date_to):
        mails = self.env["mail.mail"]
        for user in users:
            lang = self._mail_lang(user.lang)
            env_lang = self.with_context(lang=lang).env
            subject = (
                env_lang._("Task tracking: weekly summary to %s", date_to.strftime("%d/%m/%Y"))
                if period == "week"
                else env_lang._(
                    "Task tracking: monthly summary to %s", date_to.strftime("%d/%m/%Y")
                )
            )
            # In the recipient's language: the labels of the Office's line come from here.
            values = self.with_context(lang=lang)._leadership_values(user, date_from, date_to)
            mails |= self._queue(
                user.partner_id, subject, "hy_task_tracking.mail_digest_leadership", values, lang
            )
        return mails

    @api.model
    def _unit_head_values(self, user, unit):
        tasks = self.env["hy.task"].with_user(user)
        mine = [("lead_unit_id", "=", unit.id)]
        today = hy_today()
        return {
            "user": user,
            "unit": unit,
            "today": today,
            "portal": user.share,
            "overdue": tasks.search([*mine, ("progress_status", "in", OVERDUE_CATEGORIES)]),
            "due_soon": tasks.search(
                [
                    *mine,
                    ("state", "in", OPEN_STATES),
                    ("deadline", ">=", today),
                    ("deadline", "<=", today + timedelta(days=7)),
                ]
            ),
            "returned": tasks.search([*mine, ("state", "=", "returned")]),
            "unsubscribe_url": self._unsubscribe_url(user),
        }

    @api.model
    def _send_unit_head_digests(self, run=None):
        """The weekly digest of each unit head; within a job ``run``, each unit in a savepoint
        and once per week, whatever the reruns."""
        units = self.env["hy.unit"].search([("head_user_id", "!=", False)])
        if not run:
            return self._send_unit_head_digest(units)
        Sent = self.env["hy.sent.mark"]
        key = f"digest.unit_heads.{hy_today().isoformat()}"
        done = Sent._marked(key, units.head_user_id)
        mails = self.env["mail.mail"]

        def send(unit, _unit):
            nonlocal mails
            mails |= self._send_unit_head_digest(unit)
            Sent._mark(key, unit.head_user_id)

        todo = units.filtered(lambda unit: unit.head_user_id not in done)
        run.each_group({unit: unit for unit in todo}, send, lambda unit: unit.display_name)
        return mails

    @api.model
    def _send_unit_head_digest(self, units):
        mails = self.env["mail.mail"]
        for unit in units:
            head = unit.head_user_id
            if not head.active or not head.email or head.hy_digest_optout:
                continue
            lang = self._mail_lang(head.lang)
            values = self._unit_head_values(head, unit)
            if not (values["overdue"] or values["due_soon"] or values["returned"]):
                continue
            subject = self.with_context(lang=lang).env._("Task tracking: the week of %s", unit.name)
            mails |= self._queue(
                head.partner_id, subject, "hy_task_tracking.mail_digest_unit_head", values, lang
            )
        return mails

    @api.model
    def _cron_weekly_digests(self):
        def job(run):
            settings = self.env["hy.settings"]
            run.result = self.env["mail.mail"]
            if settings._hy_param("digest_weekly"):
                run.result |= self._send_leadership_digests("week", run)
            if settings._hy_param("digest_unit_heads"):
                run.result |= self._send_unit_head_digests(run)

        return self.env["hy.job.status"]._run("weekly_digest", job).result

    @api.model
    def _cron_monthly_digests(self):
        def job(run):
            run.result = self.env["mail.mail"]
            if self.env["hy.settings"]._hy_param("digest_monthly"):
                run.result |= self._send_leadership_digests("month", run)

        return self.env["hy.job.status"]._run("monthly_digest", job).result
