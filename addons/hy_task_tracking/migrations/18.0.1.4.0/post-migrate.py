"""18.0.1.4.0: a task's progress is never empty.

Tasks created without a progress kept NULL in the column: shown as 0 %, but left out of the
average of a group (40 % and "0 %" averaged to 40). They now hold 0, as they always showed;
the ledger already recorded them as 0, so it does not move.
"""


def migrate(cr, version):
    cr.execute("UPDATE hy_task SET progress = 0 WHERE progress IS NULL")
