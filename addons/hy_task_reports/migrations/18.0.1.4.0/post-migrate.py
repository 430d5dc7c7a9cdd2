"""18.0.1.4.0: the reminder of the units' own reports runs on the submissions, and "before
20 June" means by 19 June.

Its job came from hy_task_tracking with its settings (that module's pre-migrate 18.0.1.7.0);
it still called hy.task, where the method no longer is. Its data is noupdate: the job is
pointed at its new home here, nothing else of it changes.
"""

from datetime import timedelta

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("hy_task_reports.ir_cron_report_deadline_reminders", raise_if_not_found=False)
    if cron:
        cron.write(
            {
                "model_id": env["ir.model"]._get_id("hy.report.unit.submission"),
                "code": "model._cron_report_deadline_reminders()",
            }
        )
    _last_day_before_the_deadline(env)


def _last_day_before_the_deadline(env):
    """The regulation's 'before 20 June' ends on 19 June: the periods still collecting
    reports move their last day on time one day back (their late flags follow). Approved
    periods are history: kept."""
    periods = env["hy.report.period"].search(
        [("state", "in", ("draft", "computed")), ("unit_report_deadline", "!=", False)]
    )
    for period in periods:
        stored = period.unit_report_deadline
        if (stored.month, stored.day) in ((6, 20), (11, 30)):
            period.unit_report_deadline = stored - timedelta(days=1)
