"""18.0.1.5.0: approved reports are rendered once and kept, with their SHA-256.

The reports approved before this version have no stored files yet: the "report files" job
prepares them, soon after the upgrade, as it does after an approval. Those already published
stay published; their files are signed once the Office has uploaded its certificate and
publishes again (until then the public page says they are not signed).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    periods = env["hy.report.period"].search(
        [("state", "in", ("approved", "published", "superseded")), ("files_state", "=", "none")]
    )
    if periods:
        periods.write({"files_state": "preparing"})
        env.ref("hy_task_reports.ir_cron_report_files")._trigger()
