"""18.0.1.1.0: the totals of a period are stored; entries say whether they are counted.

Reports keep the authorities they counted (none chosen: all of them). Approved and
published reports stay what they were: their lines are not recomputed. Their
totals, now stored on the period, are summed from those lines (so the rates of the totals are
those shown before); the figures that did not exist then (awaiting confirmation, transferred
out, extended, rated) stay 0.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from odoo.addons.hy_task_reports.models.report_figures import COUNT_FIELDS, derived_figures


def migrate(cr, version):
    cr.execute("UPDATE hy_report_entry SET counted = TRUE WHERE counted IS NULL")
    cr.execute(
        """DELETE FROM hy_report_authority_hy_report_period_rel
            WHERE hy_report_period_id IN (SELECT id FROM hy_upgrade_all_authorities)"""
    )
    cr.execute("DROP TABLE hy_upgrade_all_authorities")
    env = api.Environment(cr, SUPERUSER_ID, {})
    counts = (*COUNT_FIELDS, "total_delay_days")
    for period in env["hy.report.period"].with_context(active_test=False).search([]):
        totals = {name: sum(period.line_ids.mapped(name)) for name in counts}
        totals.update(derived_figures(totals, period.late_credit or 50.0))
        cr.execute(
            SQL(
                "UPDATE hy_report_period SET %s WHERE id = %s",
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value) for name, value in totals.items()
                ),
                period.id,
            )
        )
