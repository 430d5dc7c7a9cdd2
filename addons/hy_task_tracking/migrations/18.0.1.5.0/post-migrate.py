"""18.0.1.5.0: deadlines counted in working days; the date a unit received its task.

Tasks assigned before were sent through the software, which delivers a task the day it is
sent: their receipt date is their assignment date. Every existing deadline stays a date
(``deadline_rule`` = date, the column's default). The Office's calendar and its public
holidays come with the data files (created on this upgrade, then left to the Office).
"""


def migrate(cr, version):
    cr.execute(
        "UPDATE hy_task SET date_received = date_assigned"
        " WHERE date_received IS NULL AND date_assigned IS NOT NULL"
    )
