"""18.0.1.3.0: delays are counted in working days of the Office's calendar.

Reports computed before counted calendar days, and an approved report never changes: each
says so (delay_unit = calendar) until it is computed again.
"""


def migrate(cr, version):
    cr.execute("UPDATE hy_report_period SET delay_unit = 'calendar'")
