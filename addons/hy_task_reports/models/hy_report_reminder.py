from datetime import timedelta

from odoo import api, models

from odoo.addons.hy_task_tracking.models.hy_time import hy_today

from .hy_report_period import UNIT_REPORT_KINDS

# The units that send their own 6-month and annual reports (Art. 19.1): the departments and,
# since 1 July 2025, the communes, wards and special zones (the districts before it).
REPORTING_UNIT_TYPES = ("department", "commune", "ward", "special_zone", "district")


class HyReportUnitSubmission(models.Model):
    """The reminder of the units' own reports (Art. 19.1): some days before each deadline of
    the task tracking settings, one mail to each department and commune-level unit, once per
    deadline whatever the reruns. A nightly job of the task tracker's runner (hy.job.status), which
    records what it sent in hy.sent.mark, as the tracker's own jobs do."""

    _inherit = "hy.report.unit.submission"

    @api.model
    def _cron_report_deadline_reminders(self):
        """Daily: remind the units of their coming report; returns the deadlines reminded of."""
        return self.env["hy.job.status"]._run("report_deadline", self._report_deadline_job).result

    @api.model
    def _report_deadline_job(self, run):
        """Each reminder is sent in the days up to the report's last day on time (19/06 for a
        report due "before 20/06"); run.result lists those last days."""
        today = hy_today()
        settings = self.env["hy.settings"]
        lead_days = settings._hy_param("report_reminder_days")
        text = settings._hy_param("report_deadlines")
        Sent = self.env["hy.sent.mark"]
        run.result = []
        for deadline in self.env["hy.task"]._parse_report_deadlines(text, today.year):
            if not deadline - timedelta(days=lead_days) <= today <= deadline:
                continue
            # Keyed on the day of the words ("before 20/06"), as the marks sent before were.
            key = f"report_reminder.{(deadline + timedelta(days=1)).isoformat()}"
            # The units already reminded, so that a rerun reminds only the others.
            units = self.env["hy.unit"].search([("unit_type", "in", REPORTING_UNIT_TYPES)])
            units -= Sent._marked(key, units)
            if not units:
                continue

            def remind(unit, _units, deadline=deadline, key=key):
                self._notify_report_deadline(unit, deadline)
                Sent._mark(key, unit)

            run.each_group({unit: unit for unit in units}, remind, lambda u: u.display_name)
            run.result.append(deadline)

    @api.model
    def _notify_report_deadline(self, units, deadline):
        """One mail to each of ``units``, in its members' language: its report is due before
        the day after ``deadline``, by ``deadline`` at the latest, about the period of the
        settings' cut-off. Queued by the task tracker's mailer (hy.digest)."""
        Digest = self.env["hy.digest"]
        mails = self.env["mail.mail"]
        values = {"deadline": deadline, "before": deadline + timedelta(days=1)}
        values.update(self._report_period_of(deadline))
        for unit in units:
            lang = Digest._mail_lang(unit.user_ids[:1].lang)
            subject = self.with_context(lang=lang).env._(
                "[Task tracking] %(unit)s: report due before %(before)s (by %(last_day)s at the "
                "latest)",
                unit=unit.name,
                before=values["before"].strftime("%d/%m/%Y"),
                last_day=deadline.strftime("%d/%m/%Y"),
            )
            mails |= Digest._queue(
                unit.user_ids.partner_id | unit.partner_id,
                subject,
                "hy_task_reports.mail_report_deadline",
                dict(values, unit=unit),
                lang=lang,
            )
        return mails

    @api.model
    def _report_period_of(self, deadline):
        """{"date_from", "date_to"}: the default period (6-month or annual) whose report is due
        by ``deadline``, from the settings; False when the deadline is not one of theirs."""
        text = self.env["hy.settings"]._hy_param("report_deadlines")
        last_days = self.env["hy.task"]._parse_report_deadlines(text, deadline.year)
        for kind, last_day in zip(UNIT_REPORT_KINDS, last_days, strict=False):
            if last_day == deadline:
                date_from, date_to = self.env["hy.report.period"]._default_dates(
                    kind, deadline.year
                )
                return {"date_from": date_from, "date_to": date_to}
        return {"date_from": False, "date_to": False}
