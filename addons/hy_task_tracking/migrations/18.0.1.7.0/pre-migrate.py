"""18.0.1.7.0, before the data files: the reminder of the units' own reports (Art. 19.1) went
to hy_task_reports, next to the reports it reminds of; its records go with it.

Its job, the job's server action and status, and its mail keep their rows and settings
(active, next call, interval) under hy_task_reports' name, which that module's data then
finds instead of creating a second job. Here, not in hy_task_reports: this module is the one
that stops declaring them, and the job must go where hy_task_reports is not installed (it
would call a method that no longer exists): noupdate off, Odoo's end-of-update cleanup
(ir.model.data._process_end) deletes what no module declares.
"""

MOVED = (
    "ir_cron_report_deadline_reminders",
    "ir_cron_report_deadline_reminders_ir_actions_server",
    "hy_job_status_report_deadline",
    "mail_report_deadline",
)


def migrate(cr, version):
    cr.execute("SELECT state FROM ir_module_module WHERE name = 'hy_task_reports'")
    row = cr.fetchone()
    if row and row[0] in ("installed", "to upgrade", "to install"):
        cr.execute(
            "UPDATE ir_model_data AS old SET module = 'hy_task_reports'"
            " WHERE old.module = 'hy_task_tracking' AND old.name IN %s"
            " AND NOT EXISTS (SELECT 1 FROM ir_model_data AS new"
            "                  WHERE new.module = 'hy_task_reports' AND new.name = old.name)",
            (MOVED,),
        )
    else:
        cr.execute(
            "UPDATE ir_model_data SET noupdate = FALSE"
            " WHERE module = 'hy_task_tracking' AND name IN %s",
            (MOVED,),
        )
