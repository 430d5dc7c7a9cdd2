"""18.0.1.1.0: reports from the task ledger. Keep what frozen reports stored under new names."""

from odoo.tools import SQL


def _rename(cr, table, old, new):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        (table, old),
    )
    if cr.fetchone():
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN %s TO %s",
                SQL.identifier(table),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )


def migrate(cr, version):
    _rename(cr, "hy_report_line", "transferred_count", "transferred_in_count")
    _rename(cr, "hy_report_entry", "is_transferred", "is_transferred_in")
    # Reports that counted every authority keep doing so (the new default scope of a 6-month
    # or annual report must not be given to them): post-migrate reads this list.
    cr.execute(
        """CREATE TABLE hy_upgrade_all_authorities AS
           SELECT p.id FROM hy_report_period p
            WHERE NOT EXISTS (SELECT 1 FROM hy_report_authority_hy_report_period_rel r
                               WHERE r.hy_report_period_id = p.id)"""
    )
